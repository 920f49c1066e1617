"""corridor: freight routing on the Belarus–Russia–Kazakhstan–Uzbekistan–Afghanistan–Pakistan
corridor and its seaports.

The public API is the names in ``__all__``; everything else lives in submodules. Importing
this package is cheap: networkx is imported only by the routing functions that need it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from corridor.errors import (
    AmbiguousPlaceError,
    CorridorError,
    NetworkError,
    NoRouteError,
    UnknownPlaceError,
    UsageError,
)

__all__ = [
    "__version__",
    "CorridorError",
    "UsageError",
    "NetworkError",
    "UnknownPlaceError",
    "AmbiguousPlaceError",
    "NoRouteError",
    # routing (loaded on first use)
    "find_route",
    "find_routes",
    "Route",
    "Leg",
    "Totals",
    "resolve_place",
    "build_graph",
    # analyses (loaded on first use)
    "compare_ports",
    "Comparison",
    "PortOption",
    "od_matrix",
    "Matrix",
    "Cell",
    "reachable",
    "Reach",
    "find_places",
    "summarize",
    "NetworkInfo",
    # scenarios and dates (loaded on first use)
    "load_scenario",
    "with_scenarios",
    "apply_scenario",
    "set_value",
    "find_routes_on",
]

# Routing names are loaded on first use (PEP 562), so `import corridor` stays cheap and never
# imports networkx (which is imported only inside the graph functions anyway).
_LAZY = {
    "find_route": "corridor.routing",
    "find_routes": "corridor.routing",
    "Route": "corridor.routing",
    "Leg": "corridor.routing",
    "Totals": "corridor.routing",
    "resolve_place": "corridor.places",
    "build_graph": "corridor.graph",
    "compare_ports": "corridor.compare",
    "Comparison": "corridor.compare",
    "PortOption": "corridor.compare",
    "od_matrix": "corridor.matrix",
    "Matrix": "corridor.matrix",
    "Cell": "corridor.matrix",
    "reachable": "corridor.reach",
    "Reach": "corridor.reach",
    "find_places": "corridor.catalog",
    "summarize": "corridor.catalog",
    "NetworkInfo": "corridor.catalog",
    "load_scenario": "corridor.scenario",
    "with_scenarios": "corridor.patch",
    "apply_scenario": "corridor.patch",
    "set_value": "corridor.patch",
    "find_routes_on": "corridor.closures",
}

if TYPE_CHECKING:
    __version__: str
    from corridor.catalog import NetworkInfo, find_places, summarize
    from corridor.closures import find_routes_on
    from corridor.compare import Comparison, PortOption, compare_ports
    from corridor.graph import build_graph
    from corridor.matrix import Cell, Matrix, od_matrix
    from corridor.patch import apply_scenario, set_value, with_scenarios
    from corridor.places import resolve_place
    from corridor.reach import Reach, reachable
    from corridor.routing import Leg, Route, Totals, find_route, find_routes
    from corridor.scenario import load_scenario


def _version() -> str:
    # importlib.metadata costs ~20 ms at start-up; only answers that report the version pay it.
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("corridor")
    except PackageNotFoundError:  # a source checkout that was never installed
        return "0+unknown"


def __getattr__(name: str) -> Any:
    if name == "__version__":
        value = _version()
        globals()[name] = value
        return value
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'corridor' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
