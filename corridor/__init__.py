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
    "find_route": "corridor.engine.routing",
    "find_routes": "corridor.engine.routing",
    "Route": "corridor.engine.routing",
    "Leg": "corridor.engine.routing",
    "Totals": "corridor.engine.routing",
    "resolve_place": "corridor.engine.places",
    "build_graph": "corridor.engine.graph",
    "compare_ports": "corridor.analysis.compare",
    "Comparison": "corridor.analysis.compare",
    "PortOption": "corridor.analysis.compare",
    "od_matrix": "corridor.analysis.matrix",
    "Matrix": "corridor.analysis.matrix",
    "Cell": "corridor.analysis.matrix",
    "reachable": "corridor.analysis.reach",
    "Reach": "corridor.analysis.reach",
    "find_places": "corridor.analysis.catalog",
    "summarize": "corridor.analysis.catalog",
    "NetworkInfo": "corridor.analysis.catalog",
    "load_scenario": "corridor.format.scenario",
    "with_scenarios": "corridor.format.patch",
    "apply_scenario": "corridor.format.patch",
    "set_value": "corridor.format.patch",
    "find_routes_on": "corridor.engine.closures",
}

if TYPE_CHECKING:
    __version__: str
    from corridor.analysis.catalog import NetworkInfo, find_places, summarize
    from corridor.analysis.compare import Comparison, PortOption, compare_ports
    from corridor.analysis.matrix import Cell, Matrix, od_matrix
    from corridor.analysis.reach import Reach, reachable
    from corridor.engine.closures import find_routes_on
    from corridor.engine.graph import build_graph
    from corridor.engine.places import resolve_place
    from corridor.engine.routing import Leg, Route, Totals, find_route, find_routes
    from corridor.format.patch import apply_scenario, set_value, with_scenarios
    from corridor.format.scenario import load_scenario


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
