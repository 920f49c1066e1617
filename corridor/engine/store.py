"""The compiled routing cache: expanded graphs stored as arrays, so that a query on a network
it has seen before neither builds the graph nor imports networkx.

What is stored, for one network content, one ``include_planned`` and one
:class:`corridor.engine.costs.Operating` (the graph depends on all three):

- the nodes of :func:`corridor.engine.compiled.compile_graph`, in its order, as columns
  (place number, mode, gauge, private tag), with each place's states and gates;
- the edges in compressed sparse rows (``offsets``, ``targets``, each node's edges in build
  order) and the build order itself;
- each edge's figures as float64 columns (the very numbers the build computed, so every
  total is bit-identical to a build in memory), its kind, and a *recipe*: which record made
  it (link, crossing, transfer, handling or rail terminal, by its position in the network)
  and with which parameters (direction, mode, country).

A query reads only the columns its search needs; the data of an edge (its record, figures
and recipe, exactly the dict :func:`corridor.engine.graph.expand` makes) is rebuilt only for
the edges of the answer (:class:`EdgeTable`).

Where and how it is kept follows :mod:`corridor.format.cache` (the same private folder, the
same bound and eviction, entries that hold JSON and raw arrays only, so reading one cannot
run code): entries are named ``network-graph-<key>.bin``. The key is a SHA-256 of this
format, the code of the package, the network's ``content_hash`` (the bytes of its files,
and of every scenario change applied), ``include_planned`` and the operating options.

Only networks that :func:`corridor.format.network.load_network` returned are stored
(:func:`trust`): a network made or changed in code keeps the in-memory build, since its
``content_hash`` may not describe its records.
"""

from __future__ import annotations

import hashlib
import json
import threading
from array import array
from collections.abc import Iterable, Iterator
from typing import Any

from corridor.model import Network

__all__ = ["graph_key", "trust", "trusted", "load", "save", "encode_graph", "decode_graph"]

#: Bump when what is stored changes shape.
GRAPH_FORMAT = 2

#: The figures of an edge, stored one float64 column each (corridor.engine.graph._edge).
FIGURES = ("distance_km", "hours", "cost_usd", "co2_kg", "moving_hours", "rest_hours",
           "wait_hours", "excess_hours", "w_time", "w_cost", "w_distance", "w_co2")
KINDS = ("link", "crossing", "transfer", "handling", "transshipment", "terminal", "gate",
         "join")
RECIPES = ("", "link", "crossing", "transfer", "handling", "terminal")
DIRECTIONS = ("export", "import", "transshipment")

_TRUSTED: list[Network] = []
_TRUST_SIZE = 8


def trust(network: Network) -> None:
    """Mark ``network`` as loaded from its files unchanged (its ``content_hash`` describes
    it), so its graphs may be stored and read back."""
    if network.content_hash and not trusted(network):
        _TRUSTED.insert(0, network)
        del _TRUSTED[_TRUST_SIZE:]


def trusted(network: Network) -> bool:
    return any(n is network for n in _TRUSTED)


_CODE: list[str] = []


def _code_digest() -> str:
    """A digest of every module of the package (the code that builds the graph)."""
    if not _CODE:
        from pathlib import Path

        import corridor
        from corridor.format.cache import _read_regular

        h = hashlib.sha256(corridor.__version__.encode())
        package = Path(corridor.__file__).parent
        for m in sorted(package.rglob("*.py"), key=lambda p: p.relative_to(package).as_posix()):
            data = _read_regular(m, nofollow=False, limit=None)
            h.update(f"{m.relative_to(package).as_posix()}\0{len(data)}\0".encode())
            h.update(data)
        _CODE.append(h.hexdigest())
    return _CODE[0]


def graph_key(network: Network, include_planned: Any, op: Any) -> str | None:
    """The key of the stored graph of ``network`` (None: not storable)."""
    if not network.content_hash or not trusted(network):
        return None
    planned = (sorted(include_planned) if isinstance(include_planned, frozenset)
               else bool(include_planned))
    try:
        code = _code_digest()
    except OSError:
        return None
    text = json.dumps([GRAPH_FORMAT, code, network.content_hash, planned, op.cargo,
                       op.containers, op.drivers, op.driving_hours_per_day])
    return hashlib.sha256(text.encode()).hexdigest()


def _entry_path(key: str, *, create: bool) -> Any:
    from corridor.format import cache

    folder = cache.cache_dir()
    if folder is None or (not create and not folder.exists()):
        return None
    if not cache.private_folder(folder, create=create):
        return None
    return folder / f"network-graph-{key}.bin"


def load(network: Network, include_planned: Any, op: Any) -> Any:
    """The stored graph (a :class:`corridor.engine.graph.ExpandedGraph`), or None."""
    import contextlib
    import os

    from corridor.format import cache

    key = graph_key(network, include_planned, op)
    entry = None if key is None else _entry_path(key, create=False)
    if entry is None:
        return None
    try:
        data = cache._map_regular(entry, limit=cache.max_bytes())
        eg = decode_graph(data, network, include_planned, op)
    except Exception:  # noqa: BLE001 - missing, unreadable or malformed: build it
        return None
    with contextlib.suppress(OSError, NotImplementedError):
        os.utime(entry, follow_symlinks=False)
    return eg


def save(eg: Any) -> None:
    """Store ``eg`` (built in memory) for later queries; never raises."""
    from corridor.format import cache

    key = graph_key(eg.network, eg.include_planned, eg.op)
    entry = None if key is None else _entry_path(key, create=True)
    if entry is None:
        return
    try:
        data = encode_graph(eg)
    except Exception:  # noqa: BLE001 - the store is an optimisation only
        return
    cache.write_entry(entry, data)


# --------------------------------------------------------------------------- encoding


def encode_graph(eg: Any) -> bytes:
    """The entry for the expanded graph ``eg`` (see the module doc)."""
    from corridor.engine.gcutil import gc_paused
    from corridor.format.cache import pack

    net = eg.network
    c = eg.compiled
    with gc_paused():
        ids = [p.id for p in net.places]
        pidx = {pid: i for i, pid in enumerate(ids)}
        modes: dict[str, int] = {}
        tags: dict[str, int] = {}
        countries: dict[str, int] = {}
        nodes = c.nodes
        n = len(nodes)
        node_place = array("i", bytes(4 * n))
        node_mode = array("b", bytes(n))
        node_gauge = array("i", bytes(4 * n))
        node_tag = array("i", bytes(4 * n))
        for k, node in enumerate(nodes):
            node_place[k] = pidx[node[0]]
            node_mode[k] = modes.setdefault(node[1], len(modes))
            node_gauge[k] = -1 if node[2] is None else node[2]
            node_tag[k] = -1 if len(node) == 3 else tags.setdefault(node[3], len(tags))
        state_place = array("i", [pidx[p] for p in eg.states])
        state_offsets = array("q", [0])
        for st in eg.states.values():
            state_offsets.append(state_offsets[-1] + len(st))
        # Where each place's gates are (-1: none).
        ogate = array("i", [-1]) * len(ids)
        dgate = array("i", [-1]) * len(ids)
        from corridor.engine.graph import DESTINATION_GATE, ORIGIN_GATE

        for k in range(state_offsets[-1], n):
            node = nodes[k]
            if len(node) == 3 and node[1] == ORIGIN_GATE:
                ogate[pidx[node[0]]] = k
            elif len(node) == 3 and node[1] == DESTINATION_GATE:
                dgate[pidx[node[0]]] = k
        # Records by identity.
        link_at = {id(lk): i for i, lk in enumerate(net.links)}
        crossing_at = {id(x): i for i, x in enumerate(net.crossings)}
        transfer_at: dict[int, tuple[int, int]] = {}
        handling_at: dict[int, int] = {}
        rail_at: dict[int, int] = {}
        for ti, t in enumerate(net.terminals):
            for j, tr in enumerate(t.transfers):
                transfer_at[id(tr)] = (ti, j)
            if t.handling is not None:
                handling_at[id(t.handling)] = ti
            if t.rail_terminal is not None:
                rail_at[id(t.rail_terminal)] = ti
        m = len(c.targets)
        kind = array("b", bytes(m))
        rkind = array("b", bytes(m))
        rec = array("i", bytes(4 * m))
        sub = array("i", bytes(4 * m))
        flag = array("b", bytes(m))
        emode = array("b", bytes(m))
        cty = array("i", bytes(4 * m))
        kind_code = {k: i for i, k in enumerate(KINDS)}
        rec_code = {k: i for i, k in enumerate(RECIPES)}
        dir_code = {k: i for i, k in enumerate(DIRECTIONS)}
        data = c.data
        for e in range(m):
            d = data[e]
            kind[e] = kind_code[d["kind"]]
            r = d["recipe"]
            if not r:
                rec[e] = -1
                continue
            what = r[0]
            rkind[e] = rec_code[what]
            if what == "link":
                rec[e] = link_at[id(r[1])]
                cty[e] = countries.setdefault(r[2], len(countries))
            elif what == "crossing":
                rec[e] = crossing_at[id(r[1])]
                flag[e] = 1 if r[2] else 0
                emode[e] = modes.setdefault(r[3], len(modes))
                cty[e] = countries.setdefault(r[4], len(countries))
            elif what == "transfer":
                rec[e], sub[e] = transfer_at[id(r[1])]
                emode[e] = modes.setdefault(r[2], len(modes))
            elif what == "handling":
                rec[e] = -1 if r[1] is None else handling_at[id(r[1])]
                flag[e] = dir_code[r[2]]
            else:  # terminal
                rec[e] = -1 if r[1] is None else rail_at[id(r[1])]
                flag[e] = 1 if r[2] else 0
        arrays: dict[str, Any] = {
            "node_place": node_place, "node_mode": node_mode, "node_gauge": node_gauge,
            "node_tag": node_tag, "state_place": state_place, "state_offsets": state_offsets,
            "ogate": ogate, "dgate": dgate,
            "offsets": array("q", c.offsets), "targets": array("i", c.targets),
            "build_order": array("i", c.order),
            "kind": kind, "rkind": rkind, "rec": rec, "sub": sub, "flag": flag,
            "emode": emode, "cty": cty,
        }
        for name in FIGURES:
            arrays[name] = array("d", [d[name] for d in data])
        header = {"graph_format": GRAPH_FORMAT, "places": len(ids), "modes": list(modes),
                  "tags": list(tags), "countries": list(countries),
                  "nodes": n, "edges": m}
        return pack(header, arrays)


def decode_graph(data: bytes, network: Network, include_planned: Any, op: Any) -> Any:
    """The :class:`corridor.engine.graph.StoredExpandedGraph` of :func:`encode_graph`'s
    bytes for ``network``; raises ValueError (or another ordinary exception) on anything
    malformed."""
    from corridor.format.cache import unpack

    header, arrays = unpack(data)
    if header.get("graph_format") != GRAPH_FORMAT:
        raise ValueError("graph entry: unknown format")
    n, m = int(header["nodes"]), int(header["edges"])
    count = arrays.count
    light = getattr(network, "light_places", None)
    known = light() if light is not None else None
    # The places are the network's, in its order (the key covers its content).
    ids = known[0] if known is not None else [p.id for p in network.places]
    if (header["places"] != len(ids)
            or count("offsets") != n + 1 or count("targets") != m
            or arrays["offsets"][-1] != m
            or any(count(k) != n for k in ("node_place", "node_mode", "node_gauge",
                                            "node_tag"))
            or any(count(k) != m for k in (*FIGURES, "kind", "rkind", "rec", "sub",
                                            "flag", "emode", "cty", "build_order"))
            or count("ogate") != len(ids) or count("dgate") != len(ids)
            or count("state_offsets") != count("state_place") + 1):
        raise ValueError("graph entry: inconsistent sizes")
    from corridor.engine.graph import StoredExpandedGraph

    c = StoredCompiled(network, {**header, "places": ids}, arrays)
    return StoredExpandedGraph.of(c, network, include_planned, op, threading.RLock())


# --------------------------------------------------------------------------- reading


class NodeTable:
    """The nodes of a stored graph, made on demand from their columns."""

    __slots__ = ("_g",)

    def __init__(self, g: StoredCompiled) -> None:
        self._g = g

    def __len__(self) -> int:
        return self._g.n

    def __getitem__(self, k: int) -> Any:
        return self._g.node(k)

    def __iter__(self) -> Iterator[Any]:
        node = self._g.node
        return (node(k) for k in range(self._g.n))


class NodeIndex:
    """Node -> number for a stored graph (a read-only mapping)."""

    __slots__ = ("_g",)

    def __init__(self, g: StoredCompiled) -> None:
        self._g = g

    def get(self, node: Any, default: Any = None) -> Any:
        k = self._g.number(node)
        return default if k is None else k

    def __getitem__(self, node: Any) -> int:
        k = self._g.number(node)
        if k is None:
            raise KeyError(node)
        return k

    def __contains__(self, node: Any) -> bool:
        return self._g.number(node) is not None


class EdgeTable:
    """The data dicts of a stored graph's edges (CSR order), rebuilt on demand."""

    __slots__ = ("_g", "_made")

    def __init__(self, g: StoredCompiled) -> None:
        self._g = g
        self._made: dict[int, dict[str, Any]] = {}

    def __len__(self) -> int:
        return self._g.m

    def __getitem__(self, e: int) -> dict[str, Any]:
        d = self._made.get(e)
        if d is None:
            d = self._made[e] = self._g.edge(e)
        return d

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return (self[e] for e in range(self._g.m))


from corridor.engine.compiled import Compiled  # noqa: E402 - after the helpers it uses


class StoredCompiled(Compiled):
    """A :class:`corridor.engine.compiled.Compiled` read from the store: the same attributes,
    made from the stored columns on first use."""

    def __init__(self, network: Network, header: dict[str, Any],
                 arrays: Any) -> None:  # noqa: D107 - no super().__init__
        self.network = network
        self.header = header
        self.arrays = arrays
        self.n = int(header["nodes"])
        self.m = int(header["edges"])
        self.ids: list[str] = header["places"]
        self.modes: list[str] = header["modes"]
        self.tags: list[str] = header["tags"]
        self.countries: list[str] = header["countries"]
        # Searches index these (and the weight columns) in place: a memoryview of the
        # mapped entry is read without a copy, and measured faster than a list (0.24 s
        # against 0.31 s for one search at 10^5 places).
        view = getattr(arrays, "view", None)
        self.offsets = view("offsets") if view is not None else arrays["offsets"].tolist()
        self.targets = view("targets") if view is not None else arrays["targets"].tolist()
        self.nodes = NodeTable(self)  # type: ignore[assignment]
        self.index = NodeIndex(self)  # type: ignore[assignment]
        self.data = EdgeTable(self)  # type: ignore[assignment]
        self._lifted: dict[str, list[Any]] = {}
        self._pidx: dict[str, int] | None = None
        self._group: dict[int, int] | None = None
        self._tail: dict[Any, int] | None = None
        self._view_cache: dict[str, Any] | None = None

    def _views(self) -> dict[str, Any]:
        """Each stored column as a memoryview of the entry (one item read at a time, no
        copy): what rebuilding single nodes and edges reads."""
        views = self._view_cache
        if views is None:
            arrays = self.arrays
            view = getattr(arrays, "view", None)
            views = {name: (view(name) if view is not None else arrays[name])
                     for name in arrays}
            self._view_cache = views
        return views

    # -- nodes
    def node(self, k: int) -> Any:
        from corridor.engine.graph import State

        a = self._views()
        if not 0 <= k < self.n:
            raise IndexError(k)
        g = a["node_gauge"][k]
        place = self.ids[a["node_place"][k]]
        mode = self.modes[a["node_mode"][k]]
        gauge = None if g < 0 else g
        t = a["node_tag"][k]
        if t < 0:
            return State(place, mode, gauge)
        return (place, mode, gauge, self.tags[t])

    def place_number(self, place_id: str) -> int | None:
        if self._pidx is None:
            shared = getattr(self.network, "position", None)
            pos = shared() if shared is not None else None
            self._pidx = pos if pos is not None else {
                pid: i for i, pid in reversed(list(enumerate(self.ids)))}
        return self._pidx.get(place_id)

    def group(self, place_id: str) -> tuple[int, int] | None:
        """The node numbers ``[start, end)`` of a place's states."""
        p = self.place_number(place_id)
        if p is None:
            return None
        if self._group is None:
            self._group = {q: i for i, q in enumerate(self.arrays["state_place"])}
        g = self._group.get(p)
        if g is None:
            return None
        so = self.arrays["state_offsets"]
        return so[g], so[g + 1]

    def number(self, node: Any) -> int | None:
        from corridor.engine.graph import DESTINATION_GATE, ORIGIN_GATE

        try:
            place, mode = node[0], node[1]
        except (TypeError, IndexError, KeyError):
            return None
        if len(node) == 3 and mode in (ORIGIN_GATE, DESTINATION_GATE):
            p = self.place_number(place)
            if p is None:
                return None
            k = self.arrays["ogate" if mode == ORIGIN_GATE else "dgate"][p]
            return None if k < 0 else int(k)
        if len(node) == 3:
            span = self.group(place)
            if span is None:
                return None
            for k in range(*span):
                if self.node(k) == node:
                    return k
            return None
        if self._tail is None:
            tail: dict[Any, int] = {}
            tags = self.arrays["node_tag"]
            for k in range(int(self.arrays["state_offsets"][-1]), self.n):
                if tags[k] >= 0:
                    tail[self.node(k)] = k
            self._tail = tail
        return self._tail.get(tuple(node))

    @property
    def node_place(self) -> list[str]:  # type: ignore[override]
        col = self._lifted.get("#place")
        if col is None:
            ids = self.ids
            col = self._lifted["#place"] = [ids[i] for i in self.arrays["node_place"]]
        return col

    @property
    def node_mode(self) -> list[str]:  # type: ignore[override]
        col = self._lifted.get("#mode")
        if col is None:
            modes = self.modes
            col = self._lifted["#mode"] = [modes[i] for i in self.arrays["node_mode"]]
        return col

    @property
    def order(self) -> list[int]:  # type: ignore[override]
        return self.arrays["build_order"].tolist()  # type: ignore[no-any-return]

    def column(self, name: str) -> list[Any]:
        col = self._lifted.get(name)
        if col is None:
            if name in FIGURES:
                col = self._views()[name]
            elif name == "kind":
                col = [KINDS[k] for k in self.arrays["kind"]]
            elif name == "xid":
                xs = self.network.crossings
                crossing = RECIPES.index("crossing")
                col = [xs[r].id if rk == crossing else None
                       for rk, r in zip(self.arrays["rkind"], self.arrays["rec"], strict=True)]
            else:
                col = [self.data[e].get(name) for e in range(self.m)]
            self._lifted[name] = col
        return col

    # -- edges
    def prefetch(self, edges: Iterable[int]) -> None:
        """Decode the records of ``edges`` together (a route's edges, before its legs are
        made): links from a network of the cache are decoded in one pass."""
        batch = getattr(self.network, "prefetch_links", None)
        if batch is None:
            return
        a = self._views()
        link = RECIPES.index("link")
        batch([a["rec"][e] for e in edges if a["rkind"][e] == link])

    def source_of(self, e: int) -> int:
        from bisect import bisect_right

        return bisect_right(self.offsets, e) - 1

    def edge(self, e: int) -> dict[str, Any]:
        """The data dict of edge ``e``, equal to the one the build made."""
        from corridor.engine.costs import Figures
        from corridor.engine.graph import _edge

        a = self._views()
        net = self.network
        if not 0 <= e < self.m:
            raise IndexError(e)
        kind = KINDS[a["kind"][e]]
        what = RECIPES[a["rkind"][e]]
        r = a["rec"][e]
        place = self.ids[a["node_place"][self.source_of(e)]]
        ref: Any = None
        recipe: tuple[Any, ...] | None = None
        extra: dict[str, Any] = {}
        if what == "link":
            link = getattr(net, "link", None)
            ref = link(r) if link is not None else net.links[r]
            recipe = ("link", ref, self.countries[a["cty"][e]])
        elif what == "crossing":
            ref = net.crossings[r]
            recipe = ("crossing", ref, bool(a["flag"][e]), self.modes[a["emode"][e]],
                      self.countries[a["cty"][e]])
            extra["xid"] = ref.id
        elif what == "transfer":
            j = a["sub"][e]
            ref = net.terminals[r].transfers[j]
            recipe = ("transfer", ref, self.modes[a["emode"][e]],
                      f"terminals.{place}.transfers[{j}]")
        elif what == "handling":
            ref = None if r < 0 else net.terminals[r].handling
            path = "defaults.handling" if ref is None else f"terminals.{place}.handling"
            recipe = ("handling", ref, DIRECTIONS[a["flag"][e]], path)
        elif what == "terminal":
            ref = None if r < 0 else net.terminals[r].rail_terminal
            recipe = ("terminal", ref, bool(a["flag"][e]), f"terminals.{place}.rail_terminal")
        d = _edge(Figures(), kind, ref, recipe, **extra)
        for name in FIGURES:
            d[name] = a[name][e]
        return d
