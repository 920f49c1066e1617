"""Resolve what a user typed to one place of a network.

A place is named by its id (a UN/LOCODE such as ``PKKHI``, also accepted as ``PK KHI``), its
name or one of its aliases, ignoring case and diacritics (``corridor.textutil.fold``):
``karachi``, ``Mazar-i-Sharif`` and ``Mazār-i-Sharīf`` all work. An id match wins over a
name or alias match. Several places with the same name raise
:class:`~corridor.errors.AmbiguousPlaceError` listing them; no match raises
:class:`~corridor.errors.UnknownPlaceError` with the closest names.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, overload

from corridor.errors import AmbiguousPlaceError, UnknownPlaceError
from corridor.model import Network, Place
from corridor.textutil import did_you_mean, fold, printable

__all__ = ["PlaceIndex", "place_index", "resolve_place", "describe_place", "parse_kind"]


def parse_kind(text: str) -> str:
    """The place kind ``text`` names, as the format spells it: case is ignored and spaces
    or hyphens stand for ``_``, so ``border post``, ``Border-Post`` and ``border_post``
    (what ``corridor nodes`` shows, and what the files say) are all ``border_post``.
    Raises :class:`~corridor.errors.UsageError` listing the kinds otherwise."""
    from corridor.errors import UsageError
    from corridor.model import PLACE_KINDS

    key = "_".join(text.strip().lower().replace("-", " ").replace("_", " ").split())
    if key in PLACE_KINDS:
        return key
    hits = did_you_mean(key, PLACE_KINDS, n=1)
    hint = f"; did you mean {hits[0]!r}?" if hits else ""
    raise UsageError(f"unknown place kind {printable(text)!r}{hint} (use one of "
                     + ", ".join(PLACE_KINDS) + ")")


def describe_place(place: Place) -> str:
    """``"Karachi (PKKHI, PK)"``: how errors and candidate lists name a place."""
    return f"{place.name} ({place.id}, {place.country})"


def _key(text: str) -> str:
    """``fold(text)``, with a fast path for ASCII (most ids and names)."""
    return text.lower().strip() if text.isascii() else fold(text)


def folded_keys(places: Sequence[Place]) -> dict[str, Any]:
    """Sorted lookup keys of ``places``: ``id`` and ``name`` each hold ``keys`` (folded ids,
    or folded names and aliases, sorted, repeated once per place they name) and ``places``
    (the position of that place, ascending within a key). What a cached network stores so
    that the first lookup by name needs no pass over the places."""
    fid = sorted((_key(p.id), i) for i, p in enumerate(places))
    fname = sorted({(_key(x), i) for i, p in enumerate(places) for x in (p.name, *p.aliases)})
    return {"id": {"keys": [k for k, _ in fid], "places": [i for _, i in fid]},
            "name": {"keys": [k for k, _ in fname], "places": [i for _, i in fname]}}


def check_folded(doc: Any, n: int) -> dict[str, Any]:
    """``doc`` if it has the shape of :func:`folded_keys` for ``n`` places; else ValueError.
    (Whether its keys are sorted is not checked: cache entries are the user's own writes,
    trusted not to lie, only never to run code or crash a query.)"""
    ok = isinstance(doc, dict) and set(doc) == {"id", "name"}
    for part in ("id", "name"):
        sub = doc.get(part) if ok else None
        ok = (ok and isinstance(sub, dict) and isinstance(sub.get("keys"), list)
              and isinstance(sub.get("places"), list)
              and len(sub["keys"]) == len(sub["places"])
              and set(map(type, sub["keys"])) <= {str}
              and set(map(type, sub["places"])) <= {int}
              and (not sub["places"] or (min(sub["places"]) >= 0
                                         and max(sub["places"]) < n)))
    if not ok:
        raise ValueError("cache entry: malformed place keys")
    return doc  # type: ignore[no-any-return]


class PlaceIndex:
    """Lookup tables of one network's places: by exact id (built at once), and by folded
    id and folded name/alias (built on the first query that needs them)."""

    def __init__(self, places: Sequence[Place],
                 light: tuple[Sequence[str], Sequence[str], Sequence[tuple[str, ...]]]
                 | None = None, position: dict[str, int] | None = None) -> None:
        """``places`` in network order; ``light``, when given, each place's id, name and
        aliases in the same order, so that lookups read places only for their answers
        (a network from the cache decodes a place only when asked for it)."""
        self.places = places
        self._light = light
        self.by_id: Mapping[str, Place]
        if light is None:
            by_id: dict[str, Place] = {}
            for p in places:
                by_id.setdefault(p.id, p)
            self.by_id = by_id
        else:
            self.by_id = _ById(light[0], places, position)
        self._folded: tuple[dict[str, tuple[Place, ...]], dict[str, tuple[Place, ...]]] | None
        self._folded = None
        self._folded_idx: tuple[dict[str, list[int]], dict[str, list[int]]] | None = None
        self._scans = 0
        #: Sorted folded keys (:func:`folded_keys`) when the network keeps them, read on
        #: the first lookup that is not an exact id.
        self._sorted: dict[str, Any] | None = None
        self._sorted_of: Any = None

    @classmethod
    def of(cls, network: Network) -> PlaceIndex:
        lazy = getattr(network, "light_places", None)
        light = lazy() if lazy is not None else None
        if light is None:
            return cls(network.places)
        idx = cls(_Places(network, len(light[0])), light,
                  network.position())  # type: ignore[attr-defined]
        idx._sorted_of = network.folded_index  # type: ignore[attr-defined]
        return idx

    def _rows(self) -> Iterator[tuple[int, str, str, tuple[str, ...]]]:
        """``(position, id, name, aliases)`` of every place, in order."""
        if self._light is None:
            for i, p in enumerate(self.places):
                yield i, p.id, p.name, p.aliases
        else:
            ids, names, aliases = self._light
            yield from zip(range(len(ids)), ids, names, aliases, strict=True)

    def _index_tables(self) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
        """Folded id -> positions, and folded name or alias -> positions (each place once
        per key, in network order; keys in order of first use)."""
        if self._folded_idx is None:
            fid: dict[str, list[int]] = {}
            fname: dict[str, list[int]] = {}
            for i, pid, name, aliases in self._rows():
                fid.setdefault(_key(pid), []).append(i)
                keys = {_key(name), *(_key(a) for a in aliases)}
                for k in sorted(keys):
                    bucket = fname.setdefault(k, [])
                    if i not in bucket:
                        bucket.append(i)
            self._folded_idx = (fid, fname)
        return self._folded_idx

    def _tables(self) -> tuple[dict[str, tuple[Place, ...]], dict[str, tuple[Place, ...]]]:
        if self._folded is None:
            fid, fname = self._index_tables()
            at = list(self.places).__getitem__  # all at once (one pass for a cached network)
            self._folded = (
                {k: tuple(map(at, v)) for k, v in fid.items()},
                {k: tuple(map(at, v)) for k, v in fname.items()},
            )
        return self._folded

    def _hits(self, key: str, *, by_name: bool) -> tuple[Place, ...]:
        """The places whose folded id (or folded name or alias) is ``key``, in network order:
        from the tables once built, else by one pass over the places, which answers the
        first lookup of a one-shot query without building them (10^5 places)."""
        if self._sorted is None and self._sorted_of is not None:
            self._sorted, self._sorted_of = self._sorted_of(), None
        if self._sorted is not None and self._folded is None:
            from bisect import bisect_left, bisect_right

            part = self._sorted["name" if by_name else "id"]
            keys = part["keys"]
            lo, hi = bisect_left(keys, key), bisect_right(keys, key)
            return tuple(self.places[i] for i in sorted(set(part["places"][lo:hi])))
        self._scans += 1
        if self._folded is not None or self._scans > 4:  # many lookups: build the tables
            return self._tables()[1 if by_name else 0].get(key, ())
        at = self.places.__getitem__
        if not by_name:
            return tuple(at(i) for i, pid, _, _ in self._rows() if _key(pid) == key)
        return tuple(at(i) for i, _, name, aliases in self._rows()
                     if _key(name) == key or any(_key(a) == key for a in aliases))

    @property
    def by_folded_id(self) -> dict[str, tuple[Place, ...]]:
        return self._tables()[0]

    @property
    def by_folded_name(self) -> dict[str, tuple[Place, ...]]:
        return self._tables()[1]

    def resolve(self, query: str) -> Place:
        """The one place ``query`` names. Raises ``UnknownPlaceError`` or
        ``AmbiguousPlaceError`` (both exit code 1 in the CLI)."""
        if query in self.by_id:
            return self.by_id[query]
        key = _key(query)
        keys = [key]
        compact = key.replace(" ", "")
        if compact != key and len(compact) == 5:  # "PK KHI" -> "pkkhi"
            keys.append(compact)
        for k in keys:
            hits = self._hits(k, by_name=False)
            if len(hits) == 1:
                return hits[0]
            if hits:
                return self._ambiguous(query, hits)
        hits = self._hits(key, by_name=True)
        if len(hits) == 1:
            return hits[0]
        if hits:
            return self._ambiguous(query, hits)
        # The suggestions read names and aliases by position (from the light columns of a
        # cached network), so only the places suggested are decoded.
        _, fname = self._index_tables()
        if self._light is not None:
            name_at, aliases_at = self._light[1], self._light[2]
        else:
            name_at = [p.name for p in self.places]
            aliases_at = [p.aliases for p in self.places]
        names = dict.fromkeys(name_at[i] for ix in fname.values() for i in ix)
        words = list(self.by_id) + list(names)
        for ix in fname.values():
            for i in ix:
                words.extend(aliases_at[i])
        close = did_you_mean(query, words, n=5, cutoff=0.6)
        seen: list[str] = []
        for word in close:
            place = self.by_id.get(word)
            if place is None:
                found = fname.get(_key(word), ())
                place = self.places[found[0]] if found else None
            if place is not None:
                text = describe_place(place)
                if text not in seen:
                    seen.append(text)
        msg = f"unknown place {printable(query)!r}"
        if seen:
            msg += "; did you mean: " + ", ".join(seen[:3]) + "?"
        raise UnknownPlaceError(msg, query, seen[:3])

    @staticmethod
    def _ambiguous(query: str, hits: tuple[Place, ...]) -> Place:
        cands = sorted(describe_place(p) for p in hits)
        raise AmbiguousPlaceError(
            f"place {printable(query)!r} is ambiguous: it could be "
            + ", ".join(cands)
            + "; name it by id",
            query,
            cands,
        )


class _Places(Sequence[Place]):
    """A network's places, read one by one (``place_at``) until all are needed."""

    def __init__(self, network: Any, n: int) -> None:
        self._network = network
        self._n = n

    def __len__(self) -> int:
        return self._n

    @overload
    def __getitem__(self, i: int) -> Place: ...

    @overload
    def __getitem__(self, i: slice) -> Sequence[Place]: ...

    def __getitem__(self, i: int | slice) -> Place | Sequence[Place]:
        if isinstance(i, slice):
            return self._network.places[i]  # type: ignore[no-any-return]
        if i < 0:
            i += self._n
        if not 0 <= i < self._n:
            raise IndexError(i)
        return self._network.place_at(i)  # type: ignore[no-any-return]

    def __iter__(self) -> Iterator[Place]:
        return iter(self._network.places)


class _ById(Mapping[str, Place]):
    """Place by exact id (the first place of an id), reading only the places asked for."""

    def __init__(self, ids: Sequence[str], places: Sequence[Place],
                 pos: dict[str, int] | None = None) -> None:
        if pos is None:
            pos = dict(zip(ids, range(len(ids)), strict=True))
            if len(pos) != len(ids):  # repeated ids: the first place of an id wins
                pos = {}
                for i, pid in enumerate(ids):
                    pos.setdefault(pid, i)
        self._pos = pos
        self._places = places

    def __getitem__(self, pid: str) -> Place:
        return self._places[self._pos[pid]]

    def __contains__(self, pid: object) -> bool:
        return pid in self._pos

    def __iter__(self) -> Iterator[str]:
        return iter(self._pos)

    def __len__(self) -> int:
        return len(self._pos)


_CACHE: list[tuple[Network, PlaceIndex]] = []


def place_index(network: Network) -> PlaceIndex:
    """The :class:`PlaceIndex` of ``network``, cached for the last few networks."""
    for net, idx in _CACHE:
        if net is network:
            return idx
    idx = PlaceIndex.of(network)
    _CACHE.insert(0, (network, idx))
    del _CACHE[4:]
    return idx


def resolve_place(network: Network, query: str) -> Place:
    """Resolve ``query`` (id, UN/LOCODE, name or alias; case and diacritics ignored) to a
    place of ``network``.

    Raises :class:`~corridor.errors.UnknownPlaceError` (with the closest matches) or
    :class:`~corridor.errors.AmbiguousPlaceError` (with the candidates).
    """
    return place_index(network).resolve(query)
