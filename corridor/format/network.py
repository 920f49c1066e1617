"""Finding and loading networks: a manifest, the files it includes, and the checks.

``load_network(path)`` is what queries use: it returns a :class:`~corridor.model.Network`
or raises :class:`~corridor.errors.NetworkError` listing every error. ``load(path)`` is what
validation uses: it never raises for bad data and returns all problems.

This module stays light (no YAML, no schema): a query whose network comes from the cache
imports only the model. The loading itself is :mod:`corridor.format.loader`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from corridor.errors import NetworkError, UsageError

if TYPE_CHECKING:
    from corridor.format.loader import LoadResult
    from corridor.format.problems import Problem
    from corridor.format.yamlsafe import Limits
    from corridor.model import Network

__all__ = [
    "MANIFEST_NAME",
    "bundled_networks_dir",
    "bundled_network_path",
    "resolve_manifest",
    "find_network",
    "looks_like_manifest",
    "NetworkChoice",
    "choose_network",
    "load",
    "load_fragment",
    "load_network",
]

MANIFEST_NAME = "network.yaml"
BUNDLED_NAME = "corridor"


def bundled_networks_dir() -> Path:
    """The ``networks/`` folder: inside the installed package (wheel), or at the top of a
    source checkout."""
    package = Path(__file__).resolve().parent.parent  # this file is corridor/format/network.py
    for candidate in (package / "networks", package.parent / "networks"):
        if candidate.is_dir():
            return candidate
    raise UsageError("the bundled networks folder is missing from this installation")


def bundled_network_path() -> Path:
    """Manifest of the bundled corridor network."""
    return bundled_networks_dir() / BUNDLED_NAME / MANIFEST_NAME


def resolve_manifest(path: str | os.PathLike[str] | None) -> Path:
    """Turn a network folder or manifest path (None: the bundled network) into the manifest
    path. Raises :class:`UsageError` (exit 2) when it does not exist."""
    if path is None:
        return bundled_network_path()
    p = Path(path)
    if p.is_dir():
        m = p / MANIFEST_NAME
        if m.exists() or m.is_symlink():
            return m  # the loader reports a dangling link (E001) or a directory (E002)
        if p.name == MANIFEST_NAME:
            return p  # a directory named network.yaml: the loader says so (E002)
        raise UsageError(f"{p}: no {MANIFEST_NAME} in this folder; pass a network folder "
                         "or its manifest file")
    if not p.exists() and not p.is_symlink():
        raise UsageError(f"{p}: no such file or folder")
    return p


def looks_like_manifest(path: Path) -> bool:
    """Whether the YAML file ``path`` is a network manifest: it has a top-level
    ``format_version`` key within its first 8 KiB. Unreadable files are not."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(8192)
    except OSError:
        return False
    return any(line.startswith(b"format_version:") for line in head.splitlines())


def find_network(start: str | os.PathLike[str] | None = None) -> Path | None:
    """The network of the folder ``start`` (default: the working directory), found the
    way git finds its repository: ``start/network.yaml``, else the nearest
    ``network.yaml`` in a folder above, up to the file-system root. A ``network.yaml``
    that is not a manifest (no top-level ``format_version``) is passed over. Returns the
    manifest path (absolute), or None."""
    folder = Path(start if start is not None else os.getcwd()).absolute()
    for d in (folder, *folder.parents):
        candidate = d / MANIFEST_NAME
        if candidate.is_file() and looks_like_manifest(candidate):
            return candidate
    return None


@dataclass(frozen=True)
class NetworkChoice:
    """The network a command uses and why: ``origin`` is ``option`` (``--network`` or a
    path argument), ``environment`` (``$CORRIDOR_NETWORK``), ``folder`` (a ``network.yaml``
    in the working directory or above) or ``bundled``."""

    path: Path
    origin: str


def choose_network(
    option: str | os.PathLike[str] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    cwd: str | os.PathLike[str] | None = None,
) -> NetworkChoice:
    """Which network to use, in this order: ``option``; ``$CORRIDOR_NETWORK``; the
    network of the working directory (:func:`find_network`); the bundled network."""
    env = os.environ if environ is None else environ
    if option is not None:
        return NetworkChoice(Path(option), "option")
    if env.get("CORRIDOR_NETWORK"):
        return NetworkChoice(Path(env["CORRIDOR_NETWORK"]), "environment")
    found = find_network(cwd)
    if found is not None:
        return NetworkChoice(found, "folder")
    return NetworkChoice(bundled_network_path(), "bundled")


def _display(path: Path) -> str:
    """How a file is named in problems: relative to the working directory when inside it."""
    s = str(path)
    if os.path.isabs(s):
        try:
            rel = os.path.relpath(s)
            if not rel.startswith(".."):
                return rel
        except ValueError:  # pragma: no cover - another drive on Windows
            pass
    return os.path.normpath(s)


def load(
    manifest: str | os.PathLike[str] | None = None,
    *,
    limits: Limits | None = None,
    checks: bool = True,
) -> LoadResult:
    """Load the network whose manifest (or folder) is ``manifest``; never raises for bad
    data. With ``checks`` the semantic checks run too (see :mod:`corridor.format.checks`).
    Returns a :class:`corridor.format.loader.LoadResult`: the network (None if it could not be
    built), every problem sorted by position, and where each record was written."""
    from corridor.format import loader
    from corridor.format.yamlsafe import DEFAULT_LIMITS

    return loader.load(manifest, limits=limits or DEFAULT_LIMITS, checks=checks)


def load_fragment(path: Path, *, limits: Limits | None = None) -> list[Problem]:
    """Check one YAML file that is not a manifest on its own: syntax and fields only
    (references need the whole network)."""
    from corridor.format import loader
    from corridor.format.yamlsafe import DEFAULT_LIMITS

    return loader.load_fragment(path, limits=limits or DEFAULT_LIMITS)


def load_network(path: str | os.PathLike[str] | None = None, *, cache: bool = True) -> Network:
    """Load a network for queries: a folder or manifest path, or None for the bundled one.

    Raises :class:`NetworkError` with every problem if the network has errors, and
    :class:`UsageError` if the path does not exist. Warnings do not stop loading. With
    ``cache``, a network loaded before from unchanged files comes from the cache of
    :mod:`corridor.format.cache` instead of its YAML.
    """
    if cache:
        from corridor.engine import store
        from corridor.format import cache as network_cache

        manifest = resolve_manifest(path)
        cached = network_cache.get(manifest)
        if cached is not None:
            shown = _display(manifest)
            if cached.manifest != shown:  # cached from another working directory
                if isinstance(cached, network_cache.LazyNetwork):
                    cached = cached.with_manifest(shown)
                else:
                    from dataclasses import replace

                    cached = replace(cached, manifest=shown)
            store.trust(cached)
            return cached
        network = load_network(manifest, cache=False)
        network_cache.put(manifest, network)
        store.trust(network)
        return network
    result = load(path)
    errors = result.errors
    if errors or result.network is None:
        where = resolve_manifest(path)
        n = len(errors)
        raise NetworkError(
            f"the network {_display(where)} has {n} error{'' if n == 1 else 's'}; "
            f"'corridor validate {_display(where.parent)}' lists every problem",
            result.problems)
    return result.network
