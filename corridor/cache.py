"""A cache of loaded networks, so that queries do not re-read YAML on every run.

Reading and checking YAML is most of a query's cost on a large network (15 s of 29 s at
100,000 places, bench/README.md) and a tenth of it on the bundled one. Queries
(:func:`corridor.network.load_network`) therefore keep the loaded :class:`Network` in a
pickle under the user's cache folder, keyed by what it was read from:

- the manifest's real path, and the path, size and modification time (ns) of every YAML
  file in the manifest's folder tree (includes cannot point outside it, so every file a
  network reads is covered; touching any of them reloads);
- the corridor version, this cache's format, the Python version, and the size and
  modification time of the package's own modules (a development checkout changes them
  without changing the version).

Only networks without errors are cached. ``corridor validate`` never uses the cache: it
reports problems, which the cache does not keep. Any problem with the cache (unwritable
folder, a corrupt or foreign file) falls back to loading the YAML, silently.

Settings: ``CORRIDOR_CACHE_DIR`` (default ``$XDG_CACHE_HOME/corridor``, else
``~/.cache/corridor``); ``CORRIDOR_NO_CACHE=1`` turns the cache off.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from pathlib import Path

from corridor.model import Network

__all__ = ["cache_dir", "cache_key", "get", "put"]

#: Bump when the pickled records change shape.
CACHE_FORMAT = 2
_SUFFIXES = (".yaml", ".yml")


def cache_dir() -> Path | None:
    """Where cached networks live, or None when the cache is off."""
    if os.environ.get("CORRIDOR_NO_CACHE", "") not in ("", "0"):
        return None
    explicit = os.environ.get("CORRIDOR_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "corridor"


def cache_key(manifest: Path) -> str | None:
    """A digest of everything the network under ``manifest`` may read; None if a file
    cannot be examined (then the network is simply loaded)."""
    import corridor

    try:
        real = manifest.resolve(strict=True)
        folder = real.parent
        h = hashlib.sha256()
        h.update(f"{CACHE_FORMAT}\0{corridor.__version__}\0{sys.version}\0{real}\0".encode())
        # The code that builds the records, too: a development checkout changes it
        # without changing the version.
        package = Path(corridor.__file__).parent
        for name in sorted(os.listdir(package)):
            if name.endswith(".py"):
                st = os.stat(package / name)
                h.update(f"{name}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames.sort()
            for name in sorted(filenames):
                if not name.endswith(_SUFFIXES):
                    continue
                path = os.path.join(dirpath, name)
                st = os.stat(path)
                rel = os.path.relpath(path, folder)
                h.update(f"{rel}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
    except (OSError, RuntimeError, ValueError):
        return None
    return h.hexdigest()


def _entry(manifest: Path) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    key = cache_key(manifest)
    return None if key is None else folder / f"network-{key}.pickle"


def get(manifest: Path) -> Network | None:
    """The cached network for ``manifest``, or None."""
    entry = _entry(manifest)
    if entry is None:
        return None
    try:
        with open(entry, "rb") as fh:
            # Only our own files: a cache entry written by another user is ignored.
            if hasattr(os, "getuid") and os.fstat(fh.fileno()).st_uid != os.getuid():
                return None
            # Unpickling makes millions of small acyclic objects on large networks: the
            # cyclic collector's passes over them would double the time.
            from corridor.gcutil import gc_paused

            with gc_paused():
                network = pickle.load(fh)
    except Exception:  # noqa: BLE001 - a missing or unreadable entry means: load the YAML
        return None
    return network if isinstance(network, Network) else None


def put(manifest: Path, network: Network) -> None:
    """Store ``network`` for ``manifest``; never raises."""
    entry = _entry(manifest)
    if entry is None:
        return
    import tempfile

    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        data = pickle.dumps(network, protocol=pickle.HIGHEST_PROTOCOL)
        fd, tmp = tempfile.mkstemp(dir=entry.parent, prefix=".network-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, entry)
        except BaseException:
            os.unlink(tmp)
            raise
    except Exception:  # noqa: BLE001,S110 - caching is an optimisation only
        return
