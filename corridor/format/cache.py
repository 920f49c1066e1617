"""A cache of loaded networks, so that queries do not re-read YAML on every run.

Reading and checking YAML is most of a query's cost on a large network (15 s of 29 s at
100,000 places, bench/README.md). Queries (:func:`corridor.format.network.load_network`) therefore
keep the loaded :class:`Network` under the user's cache folder.

What is trusted, exactly:

- **Nothing in an entry can run code.** Entries are JSON (read with :func:`json.loads`)
  decoded field by field into the model's records by their declared types; a file of any
  other shape (a pickle, a truncated write, a foreign file) is ignored and the YAML is read.
- **Content, not clocks.** An entry's name is a SHA-256 of the bytes of every ``.yaml`` /
  ``.yml`` file in the manifest's folder tree (with their relative paths), the manifest's
  name, the bytes of corridor's own modules and this cache's format. Any edit to any of
  those files gives a new key, whatever its size or modification time. A folder tree holding
  a symbolic link to a directory, or a YAML file that is not a regular file, is not cached.
- **The folder is private.** It is created with mode 0700. A folder that is not a directory
  owned by the current user, or that its group or others may write, is refused: the query
  reads the YAML, and one warning line goes to the ``corridor.format.cache`` logger (stderr unless
  logging is configured). Entries are opened without following symbolic links and without
  blocking (a FIFO is skipped), and only regular files owned by the user are read.
- **The user's own writes are trusted.** Whoever can write the folder (the user, by the
  rule above) can change cached answers (not run code): entries are not re-validated.
- **Bounded.** Entries are written atomically (a temporary file, then a rename). After each
  write the least recently used entries (by modification time, refreshed on every hit) are
  removed until the folder's entries total at most ``CORRIDOR_CACHE_MAX_MB`` (default 2048)
  MiB; an entry larger than the bound is not kept.

Only networks without errors are cached. ``corridor validate`` never uses the cache.

Settings: ``CORRIDOR_CACHE_DIR`` (default ``$XDG_CACHE_HOME/corridor``, else
``~/.cache/corridor``); ``CORRIDOR_NO_CACHE=1`` turns the cache off;
``CORRIDOR_CACHE_MAX_MB`` bounds its size.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import json
import os
import stat
import types
import typing
from collections.abc import Iterable, Mapping
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any

from corridor import model
from corridor.model import Network

__all__ = ["cache_dir", "cache_key", "get", "put", "private_folder", "max_bytes"]

#: Bump when the stored records change shape.
CACHE_FORMAT = 7
_SUFFIXES = (".yaml", ".yml")
_PREFIX = "network-"
_ENTRY_SUFFIX = ".bin"
#: Room for one network of 10^6 places (about 1.2 GB) and a few small.
DEFAULT_MAX_MB = 2048

_warned: set[str] = set()


def cache_dir() -> Path | None:
    """Where cached networks live, or None when the cache is off."""
    if os.environ.get("CORRIDOR_NO_CACHE", "") not in ("", "0"):
        return None
    explicit = os.environ.get("CORRIDOR_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "corridor"


def max_bytes() -> int:
    """The cache's size bound in bytes (``CORRIDOR_CACHE_MAX_MB``, default 2048 MiB)."""
    raw = os.environ.get("CORRIDOR_CACHE_MAX_MB", "")
    try:
        mb = float(raw) if raw else float(DEFAULT_MAX_MB)
    except ValueError:
        mb = float(DEFAULT_MAX_MB)
    if not mb >= 0 or mb == float("inf"):
        mb = float(DEFAULT_MAX_MB)
    return int(mb * 1024 * 1024)


def _warn(folder: Path, why: str) -> None:
    key = f"{folder}\0{why}"
    if key not in _warned:
        _warned.add(key)
        import logging

        logging.getLogger("corridor.format.cache").warning(
            "corridor: not using the network cache %s: %s", folder, why)


def private_folder(folder: Path, *, create: bool) -> bool:
    """Whether ``folder`` is safe to use as the cache: a directory owned by this user that
    neither its group nor others may write. With ``create`` it is made (mode 0700) first.
    An unsafe folder is refused with one warning line; one that cannot be made or read,
    silently."""
    try:
        if create:
            os.makedirs(folder, mode=0o700, exist_ok=True)
        st = os.stat(folder)
    except OSError:
        return False
    if not stat.S_ISDIR(st.st_mode):
        _warn(folder, "it is not a directory")
        return False
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        _warn(folder, "it belongs to another user")
        return False
    if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        _warn(folder, "others may write it (chmod 700 it)")
        return False
    return True


def _read_regular(path: str | os.PathLike[str], *, nofollow: bool, limit: int | None) -> bytes:
    """The bytes of ``path``, opened without blocking (and without following a final
    symbolic link with ``nofollow``); raises OSError unless it is a regular file (owned by
    this user with ``nofollow``) of at most ``limit`` bytes."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    if nofollow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise OSError(f"{path}: not a regular file")
        if nofollow and hasattr(os, "getuid") and st.st_uid != os.getuid():
            raise OSError(f"{path}: owned by another user")
        if limit is not None and st.st_size > limit:
            raise OSError(f"{path}: larger than the cache bound")
        # One read of the whole file (its size is known) and one to see the end; more only
        # if it grew meanwhile.
        chunks = []
        want = max(st.st_size + 1, 1 << 16)
        while True:
            chunk = os.read(fd, want)
            if not chunk:
                break
            chunks.append(chunk)
            want = 1 << 22
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)
    finally:
        os.close(fd)


def _map_regular(path: str | os.PathLike[str], *, limit: int | None) -> Any:
    """``path`` memory-mapped read-only, with the checks of :func:`_read_regular` (no final
    symbolic link, a regular file owned by this user, at most ``limit`` bytes): pages are
    read only when used, so a query touches only the parts of an entry it needs. Entries
    are replaced by rename, never rewritten in place, so a mapping stays consistent.
    Falls back to reading the bytes where mapping is not possible."""
    import mmap

    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    flags |= getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise OSError(f"{path}: not a regular file")
        if hasattr(os, "getuid") and st.st_uid != os.getuid():
            raise OSError(f"{path}: owned by another user")
        if limit is not None and st.st_size > limit:
            raise OSError(f"{path}: larger than the cache bound")
        if st.st_size == 0:
            raise OSError(f"{path}: empty")
        try:
            return mmap.mmap(fd, 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):
            return _read_regular(path, nofollow=True, limit=limit)
    finally:
        os.close(fd)


def cache_key(manifest: Path) -> str | None:
    """A digest of the content of everything the network under ``manifest`` may read, and
    of the code that builds it; None if a file cannot be read as a regular file or the
    folder tree holds a directory symbolic link (then the network is simply loaded)."""
    import corridor

    try:
        real = manifest.resolve(strict=True)
        folder = real.parent
        h = hashlib.sha256()
        h.update(f"{CACHE_FORMAT}\0{corridor.__version__}\0{real.name}\0".encode())
        # The code that builds the records, too: a development checkout changes it
        # without changing the version.
        # Every module of the package, subpackages included (by path relative to it).
        package = Path(corridor.__file__).parent
        modules = {m.relative_to(package).as_posix(): m for m in package.rglob("*.py")}
        for name, module in sorted(modules.items()):
            data = _read_regular(module, nofollow=False, limit=None)
            h.update(f"{name}\0{len(data)}\0".encode())
            h.update(data)
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames.sort()
            for name in dirnames:
                if os.path.islink(os.path.join(dirpath, name)):
                    return None  # includes may reach through it: not covered by the walk
            for name in sorted(filenames):
                if not name.endswith(_SUFFIXES):
                    continue
                path = os.path.join(dirpath, name)
                data = _read_regular(path, nofollow=False, limit=None)
                rel = os.path.relpath(path, folder)
                h.update(f"{rel}\0{len(data)}\0".encode())
                h.update(data)
    except (OSError, RuntimeError, ValueError):
        return None
    return h.hexdigest()


# --------------------------------------------------------------------------- encoding
#
# A record is stored as the list of its field values in declaration order; tuples as lists,
# mappings as objects. Decoding is driven by the declared field types of corridor.model, so a
# stored value can only ever become one of the model's records or a plain value.


_FIELDS: dict[type, tuple[str, ...]] = {}
_PLAIN = (str, int, float, bool, type(None))


def _encode(value: Any) -> Any:
    t = type(value)
    if t in _PLAIN:
        return value
    names = _FIELDS.get(t)
    if names is None and is_dataclass(value) and not isinstance(value, type):
        names = _FIELDS[t] = tuple(f.name for f in fields(value))
    if names is not None:
        return [_encode(getattr(value, n)) for n in names]
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _encode(v) for k, v in value.items()}
    return value


_SCALARS: dict[Any, frozenset[type]] = {
    str: frozenset({str}), int: frozenset({int}), float: frozenset({float, int}),
    bool: frozenset({bool}), type(None): frozenset({type(None)}),
}
_HINTS: dict[type, list[tuple[str, Any]]] = {}


def _bad(what: str) -> ValueError:
    return ValueError(f"cache entry: malformed {what}")


def _column(tp: Any, col: list[Any]) -> list[Any]:
    """Decode a column of stored values of type ``tp`` (one per record), checking each:
    column by column, so that records are made by ``map`` over their fields (fast)."""
    if not col:
        return col
    if tp in _SCALARS:
        if not set(map(type, col)) <= _SCALARS[tp]:
            raise _bad(getattr(tp, "__name__", str(tp)))
        return col
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in args if a is not type(None)]
        if len(options) != 1:
            raise TypeError(f"cannot cache a field of type {tp}")
        if options[0] in _SCALARS:
            if not set(map(type, col)) <= _SCALARS[options[0]] | {type(None)}:
                raise _bad(str(tp))
            return col
        present = [x for x in col if x is not None]
        if not present:
            return col
        it = iter(_column(options[0], present))
        return [None if x is None else next(it) for x in col]
    if tp is datetime.date:
        if not set(map(type, col)) <= {str}:
            raise _bad("date")
        return [datetime.date.fromisoformat(x) for x in col]
    if origin is tuple and (len(args) != 2 or args[1] is not Ellipsis):
        # a fixed-length tuple, e.g. tuple[float, float]
        if set(map(type, col)) != {list} or set(map(len, col)) != {len(args)}:
            raise _bad("tuple")
        parts = [_column(a, [x[i] for x in col]) for i, a in enumerate(args)]
        return list(zip(*parts, strict=True))
    if origin is tuple:
        if set(map(type, col)) != {list}:
            raise _bad("list")
        flat = _column(args[0], [y for x in col for y in x])
        if args[0] in _SCALARS:
            return list(map(tuple, col))
        out: list[Any] = []
        pos = 0
        for x in col:
            out.append(tuple(flat[pos:pos + len(x)]))
            pos += len(x)
        return out
    if origin in (Mapping, dict):
        if set(map(type, col)) != {dict}:
            raise _bad("object")
        vals = iter(_column(args[1], [v for x in col for v in x.values()]))
        return [{str(k): next(vals) for k in x} for x in col]
    if isinstance(tp, type) and is_dataclass(tp) and tp.__module__ == model.__name__:
        if tp not in _HINTS:
            hints = typing.get_type_hints(tp, vars(model))
            _HINTS[tp] = [(f.name, hints[f.name]) for f in fields(tp)]
        spec = _HINTS[tp]
        if set(map(type, col)) != {list} or set(map(len, col)) != {len(spec)}:
            raise _bad(tp.__name__)
        transposed = zip(*col, strict=True)
        cols = [_column(ftp, list(c)) for (_, ftp), c in zip(spec, transposed, strict=True)]
        return list(map(tp, *cols))
    raise TypeError(f"cannot cache a field of type {tp}")


def pack(header: dict[str, Any], arrays: dict[str, Any]) -> bytes:
    """An entry: 8 bytes of header length, the JSON header (with where each array is),
    then the arrays' raw bytes (module ``array``, machine order)."""
    import struct

    table = []
    blobs = []
    pos = 0
    for name, a in arrays.items():
        b = a.tobytes()
        table.append([name, a.typecode, pos, len(a)])
        blobs.append(b)
        pos += len(b)
    head = json.dumps({**header, "format": CACHE_FORMAT, "arrays": table},
                      separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return struct.pack("<Q", len(head)) + head + b"".join(blobs)


class Arrays(Mapping[str, Any]):
    """The arrays of an entry, each copied out of the entry's bytes on first use (module
    ``array``); :meth:`view` gives a byte array's memory without copying it."""

    def __init__(self, data: Any, base: int, table: dict[str, tuple[str, int, int]]) -> None:
        self._data = data
        self._base = base
        self._table = table
        self._made: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        got = self._made.get(name)
        if got is None:
            import array

            code, start, end = self._table[name]
            got = array.array(code)
            got.frombytes(memoryview(self._data)[self._base + start:self._base + end])
            self._made[name] = got
        return got

    def count(self, name: str) -> int:
        """How many items array ``name`` holds (without copying it)."""
        import array

        code, start, end = self._table[name]
        return (end - start) // array.array(code).itemsize

    def view(self, name: str) -> memoryview:
        code, start, end = self._table[name]
        view: memoryview = memoryview(self._data)[
            self._base + start:self._base + end].cast(code)  # type: ignore[call-overload]
        return view

    def __iter__(self) -> typing.Iterator[str]:
        return iter(self._table)

    def __len__(self) -> int:
        return len(self._table)


def unpack(data: Any) -> tuple[dict[str, Any], Arrays]:
    """The header and arrays of :func:`pack`'s bytes (or a read-only mapping of them);
    raises ValueError on anything else. Arrays are copied out only when used."""
    import array
    import struct

    (hlen,) = struct.unpack_from("<Q", data, 0)
    header = json.loads(bytes(data[8:8 + hlen]))
    if not isinstance(header, dict) or header.get("format") != CACHE_FORMAT:
        raise ValueError("cache entry: unknown format")
    base = 8 + hlen
    table: dict[str, tuple[str, int, int]] = {}
    for name, code, start, count in header["arrays"]:
        size = array.array(code).itemsize
        end = start + count * size
        if (not isinstance(start, int) or not isinstance(count, int) or start < 0
                or count < 0 or base + end > len(data)):
            raise ValueError("cache entry: truncated")
        table[name] = (code, start, end)
    return header, Arrays(data, base, table)


def encode_network(network: Network) -> bytes:
    """The cache entry for ``network``: JSON and arrays of numbers, data only. Links (most
    of a large network) are stored one JSON text each, with an index of the links at each
    place, so that a query decodes only the links it needs (:class:`LazyNetwork`)."""
    import array

    from corridor.engine.gcutil import gc_paused

    with gc_paused():  # millions of short-lived lists, none cyclic
        doc = _encode(network)
        names = _FIELDS[Network]
        doc[names.index("links")] = []
        doc[names.index("places")] = []
        texts = [json.dumps(_encode(lk), separators=(",", ":"), ensure_ascii=False)
                 .encode("utf-8") for lk in network.links]
        offsets = array.array("q", [0])
        for t in texts:
            offsets.append(offsets[-1] + len(t))
        ptexts = [json.dumps(_encode(p), separators=(",", ":"), ensure_ascii=False)
                  .encode("utf-8") for p in network.places]
        poffsets = array.array("q", [0])
        for t in ptexts:
            poffsets.append(poffsets[-1] + len(t))
        from corridor.engine.places import folded_keys

        folded = json.dumps(folded_keys(network.places), separators=(",", ":"),
                            ensure_ascii=False).encode("utf-8")
        light = {"ids": [p.id for p in network.places],
                 "names": [p.name for p in network.places],
                 "aliases": [list(p.aliases) for p in network.places]}
        position = {p.id: i for i, p in enumerate(network.places)}
        at: list[list[int]] = [[] for _ in network.places]
        for i, lk in enumerate(network.links):
            for pid in dict.fromkeys((lk.from_id, lk.to_id)):
                if pid in position:
                    at[position[pid]].append(i)
        place_offsets = array.array("q", [0])
        for lst in at:
            place_offsets.append(place_offsets[-1] + len(lst))
        closable = [i for i, lk in enumerate(network.links) if lk.closures]
        return pack({"network": doc, "links": len(texts), "closable": closable,
                     "places": light}, {
            "link_offsets": offsets,
            "links": array.array("B", b"".join(texts)),
            "ptext_offsets": poffsets,
            "ptexts": array.array("B", b"".join(ptexts)),
            "folded": array.array("B", folded),
            "place_offsets": place_offsets,
            "place_links": array.array("q", [i for lst in at for i in lst]),
        })


def decode_network(data: bytes) -> Network:
    """A network from :func:`encode_network`'s bytes (a :class:`LazyNetwork`); raises
    ValueError (or another ordinary exception) on anything else. Never runs code from
    ``data``."""
    header, arrays = unpack(data)
    [plain] = _column(Network, [header["network"]])
    assert isinstance(plain, Network)
    n = int(header["links"])
    offsets = arrays["link_offsets"].tolist()
    place_offsets = arrays["place_offsets"].tolist()
    light = header.get("places")
    if not isinstance(light, dict):
        raise ValueError("cache entry: malformed places")
    ids, pnames, paliases = light.get("ids"), light.get("names"), light.get("aliases")
    from itertools import chain

    if (not isinstance(ids, list) or not isinstance(pnames, list)
            or not isinstance(paliases, list) or not len(ids) == len(pnames) == len(paliases)
            or not set(map(type, ids)) <= {str} or not set(map(type, pnames)) <= {str}
            or not set(map(type, paliases)) <= {list}
            or not set(map(type, chain.from_iterable(paliases))) <= {str}):
        raise ValueError("cache entry: malformed places")
    ptext_offsets = arrays["ptext_offsets"].tolist()
    if len(ptext_offsets) != len(ids) + 1 or ptext_offsets[-1] != arrays.count("ptexts"):
        raise ValueError("cache entry: inconsistent place index")
    if (len(offsets) != n + 1 or offsets[-1] != arrays.count("links")
            or len(place_offsets) != len(ids) + 1
            or place_offsets[-1] != len(arrays["place_links"])):
        raise ValueError("cache entry: inconsistent link index")
    closable = header.get("closable")
    if not isinstance(closable, list) or not all(
            isinstance(i, int) and 0 <= i < n for i in closable):
        raise ValueError("cache entry: malformed closable links")
    net = LazyNetwork.of(plain, arrays.view("links"), offsets, place_offsets,
                         arrays["place_links"].tolist())
    object.__setattr__(net, "_closable", closable)
    for name, value in (("_pblob", arrays.view("ptexts")), ("_poffsets", ptext_offsets),
                        ("_pids", ids), ("_pnames", pnames),
                        ("_paliases", [tuple(a) for a in paliases]), ("_onep", {}),
                        ("_folded_blob", arrays.view("folded")), ("_folded", None)):
        object.__setattr__(net, name, value)
    _slot("places").__delete__(net)
    return net


def _slot(name: str) -> Any:
    return Network.__dict__[name]


def _decode_all(self: LazyNetwork, name: str, blob_attr: str, offsets_attr: str,
                tp: Any) -> Any:
    """Field ``name`` of a lazy network, all of its records decoded at once from the blob
    ``self.<blob_attr>`` (one JSON text per record at ``self.<offsets_attr>``) and kept.
    A value already set (decoded, or given to ``replace``) is returned as it is."""
    slot = _slot(name)
    try:
        return slot.__get__(self, Network)
    except AttributeError:
        pass
    from corridor.engine.gcutil import gc_paused

    blob, offsets = getattr(self, blob_attr), getattr(self, offsets_attr)
    with gc_paused():
        rows = json.loads(b"[" + b",".join(
            blob[a:b] for a, b in zip(offsets, offsets[1:], strict=False)) + b"]")
        records = tuple(_column(tuple[tp, ...], [rows])[0])
    slot.__set__(self, records)
    return records


def _lazy_links_get(self: LazyNetwork) -> tuple[model.Link, ...]:
    return _decode_all(self, "links", "_blob", "_offsets",  # type: ignore[no-any-return]
                       model.Link)


def _lazy_links_set(self: LazyNetwork, value: tuple[model.Link, ...]) -> None:
    _slot("links").__set__(self, value)


def _lazy_places_get(self: LazyNetwork) -> tuple[model.Place, ...]:
    return _decode_all(self, "places", "_pblob", "_poffsets",  # type: ignore[no-any-return]
                       model.Place)


def _lazy_places_set(self: LazyNetwork, value: tuple[model.Place, ...]) -> None:
    _slot("places").__set__(self, value)


class LazyNetwork(Network):
    """A :class:`Network` from the cache whose ``links`` are decoded on first use;
    :meth:`links_at` and :meth:`link` read single links without decoding the others.
    Equal to (and interchangeable with) the network it was stored from."""

    __slots__ = ("_blob", "_offsets", "_place_offsets", "_place_links", "_position",
                 "_one", "_closable", "_pblob", "_poffsets", "_pids", "_pnames", "_paliases",
                 "_onep", "_folded_blob", "_folded")
    _blob: memoryview
    _offsets: list[int]
    _place_offsets: list[int]
    _place_links: list[int]
    _position: dict[str, int] | None
    _one: dict[int, model.Link]
    _closable: list[int]
    _pblob: memoryview
    _poffsets: list[int]
    _pids: list[str]
    _pnames: list[str]
    _paliases: list[tuple[str, ...]]
    _onep: dict[int, model.Place]
    _folded_blob: memoryview
    _folded: Any

    links = property(_lazy_links_get, _lazy_links_set)
    places = property(_lazy_places_get, _lazy_places_set)

    @classmethod
    def of(cls, plain: Network, blob: memoryview, offsets: list[int], place_offsets: list[int],
           place_links: list[int]) -> LazyNetwork:
        obj = object.__new__(cls)
        for f in fields(Network):
            if f.name != "links":
                _slot(f.name).__set__(obj, getattr(plain, f.name))
        own: dict[str, Any] = {"_blob": blob, "_offsets": offsets, "_place_offsets": place_offsets,
               "_place_links": place_links, "_position": None, "_one": {}}
        for name, value in own.items():
            object.__setattr__(obj, name, value)  # frozen: the record's own setattr refuses
        return obj

    def _lazy(self) -> bool:
        try:
            self._blob  # noqa: B018
        except AttributeError:
            return False
        return True

    def position(self) -> dict[str, int] | None:
        """Place id -> its index in ``places`` (the first place of an id), made once and
        shared by the lookups of this network; None when this object holds no index."""
        if not self._lazy():
            return None
        if self._position is None:
            from corridor.engine.gcutil import gc_paused

            ids = self._pids
            with gc_paused():
                pos = dict(zip(ids, range(len(ids)), strict=True))
            if len(pos) != len(ids):
                pos = {}
                for i, pid in enumerate(ids):
                    pos.setdefault(pid, i)
            object.__setattr__(self, "_position", pos)
        return self._position

    def links_at(self, place_id: str) -> list[int] | None:
        """Indices (in ``links``) of the links that start or end at ``place_id``, in
        order; None when this object holds no index (then use ``links``)."""
        position = self.position()
        if position is None:
            return None
        i = position.get(place_id)
        if i is None:
            return []
        return self._place_links[self._place_offsets[i]:self._place_offsets[i + 1]]

    def with_manifest(self, manifest: str) -> Network:
        """This network with another ``manifest`` (as displayed), still lazy: the links
        are not decoded (``dataclasses.replace`` would read every field)."""
        if not self._lazy():
            from dataclasses import replace

            return replace(self, manifest=manifest)
        obj = object.__new__(type(self))
        for f in fields(Network):
            if f.name not in ("links", "places"):
                _slot(f.name).__set__(obj, getattr(self, f.name))
        with contextlib.suppress(AttributeError):  # places already decoded
            _slot("places").__set__(obj, _slot("places").__get__(self, Network))
        _slot("manifest").__set__(obj, manifest)
        for name in LazyNetwork.__slots__:
            with contextlib.suppress(AttributeError):
                object.__setattr__(obj, name, getattr(self, name))
        object.__setattr__(obj, "_one", {})
        object.__setattr__(obj, "_onep", {})
        return obj

    def light_places(self) -> tuple[list[str], list[str], list[tuple[str, ...]]] | None:
        """Each place's id, name and aliases, in order, without decoding the places; None
        when this object holds no such index."""
        if not self._lazy():
            return None
        return self._pids, self._pnames, self._paliases

    def folded_index(self) -> Any:
        """The sorted folded keys of the places' ids and of their names and aliases
        (:func:`corridor.engine.places.folded_keys`), decoded on first use; None when this
        object holds none."""
        if not self._lazy():
            return None
        try:
            got = self._folded
        except AttributeError:
            return None
        if got is None:
            from corridor.engine.gcutil import gc_paused
            from corridor.engine.places import check_folded

            with gc_paused():  # 200,000 keys at 10^5 places, none cyclic
                got = check_folded(json.loads(bytes(self._folded_blob)), len(self._pids))
            object.__setattr__(self, "_folded", got)
        return got

    def place_at(self, i: int) -> model.Place:
        """The place at index ``i`` of ``places``, decoded alone when possible."""
        if not self._lazy():
            place: model.Place = self.places[i]
            return place
        try:
            return _slot("places").__get__(self, Network)[i]  # type: ignore[no-any-return]
        except AttributeError:
            pass
        got: model.Place | None = self._onep.get(i)
        if got is None:
            row = json.loads(bytes(self._pblob[self._poffsets[i]:self._poffsets[i + 1]]))
            made: model.Place = _column(model.Place, [row])[0]
            got = self._onep[i] = made
        return got

    def closable_links(self) -> list[int] | None:
        """Indices (in ``links``) of the links that carry closures; None when this object
        holds no index."""
        if not self._lazy():
            return None
        try:
            return list(self._closable)
        except AttributeError:
            return None

    def prefetch_links(self, indices: Iterable[int]) -> None:
        """Decode the links at ``indices`` together (one JSON text, one pass of the
        decoder over their fields), for :meth:`link` to return: what a route's legs need."""
        if not self._lazy():
            return
        want = sorted({i for i in indices if i not in self._one})
        if not want:
            return
        offsets, blob = self._offsets, self._blob
        rows = json.loads(b"[" + b",".join(
            bytes(blob[offsets[i]:offsets[i + 1]]) for i in want) + b"]")
        made = _column(tuple[model.Link, ...], [rows])[0]
        for i, link in zip(want, made, strict=True):
            self._one[i] = link

    def link(self, i: int) -> model.Link:
        """The link at index ``i`` of ``links``, decoded alone when possible."""
        if not self._lazy():
            link: model.Link = self.links[i]
            return link
        got = self._one.get(i)
        if got is None:
            row = json.loads(bytes(self._blob[self._offsets[i]:self._offsets[i + 1]]))
            made: model.Link = _column(model.Link, [row])[0]
            got = self._one[i] = made
        return got

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Network):
            return NotImplemented
        return all(getattr(self, f.name) == getattr(other, f.name)
                   for f in fields(Network) if f.compare)

    __hash__ = Network.__hash__

    def __reduce__(self) -> tuple[type, tuple[object, ...]]:
        """Pickled (and copied) as the plain :class:`Network` it equals."""
        return (Network, tuple(getattr(self, f.name) for f in fields(Network)))

    def __ne__(self, other: object) -> bool:
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq


# --------------------------------------------------------------------------- entries


def _entry(manifest: Path, *, create: bool, key: str | None = None) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    key = key or cache_key(manifest)
    if key is None or not private_folder(folder, create=create):
        return None
    return folder / f"{_PREFIX}{key}{_ENTRY_SUFFIX}"


def get(manifest: Path) -> Network | None:
    """The cached network for ``manifest``, or None."""
    folder = cache_dir()
    if folder is None or not folder.exists():
        return None
    key = cache_key(manifest)
    entry = None if key is None else _entry(manifest, create=False, key=key)
    if entry is None or key is None:
        return None
    try:
        data = _map_regular(entry, limit=max_bytes())
        # Decoding makes millions of small acyclic objects on large networks: the cyclic
        # collector's passes over them would double the time.
        from corridor.engine.gcutil import gc_paused

        with gc_paused():
            network = decode_network(data)
    except Exception:  # noqa: BLE001 - missing, unreadable or malformed: load the YAML
        return None
    with contextlib.suppress(OSError, NotImplementedError):
        os.utime(entry, follow_symlinks=False)  # most recently used
    return network


def put(manifest: Path, network: Network) -> None:
    """Store ``network`` for ``manifest``; never raises."""
    key = cache_key(manifest)
    entry = None if key is None else _entry(manifest, create=True, key=key)
    if entry is None or key is None:
        return
    try:
        data = encode_network(network)
    except Exception:  # noqa: BLE001 - caching is an optimisation only
        return
    write_entry(entry, data)


def write_entry(entry: Path, data: bytes) -> None:
    """Write ``data`` to ``entry`` atomically, then bound the folder; never raises."""
    import tempfile

    if len(data) > max_bytes():
        return
    try:
        fd, tmp = tempfile.mkstemp(dir=entry.parent, prefix=".tmp-", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, entry)
        except BaseException:
            os.unlink(tmp)
            raise
    except Exception:  # noqa: BLE001 - caching is an optimisation only
        return
    evict(entry.parent, keep=entry)


def evict(folder: Path, *, keep: Path | None = None) -> None:
    """Remove the least recently used entries until they total at most
    :func:`max_bytes`; never raises. ``keep`` (just written) goes last."""
    bound = max_bytes()
    try:
        found: list[tuple[bool, int, int, str]] = []
        with os.scandir(folder) as it:
            for e in it:
                if not e.name.startswith((_PREFIX,)):
                    continue
                st = e.stat(follow_symlinks=False)
                if stat.S_ISREG(st.st_mode):
                    newest = keep is not None and e.name == keep.name
                    found.append((newest, st.st_mtime_ns, st.st_size, e.name))
        total = sum(size for _, _, size, _ in found)
        for _, _, size, name in sorted(found):
            if total <= bound:
                break
            os.unlink(folder / name)
            total -= size
    except OSError:
        return
