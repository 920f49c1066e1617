"""corridor: freight routing on the Belarus–Russia–Kazakhstan–Uzbekistan–Afghanistan–Pakistan
corridor and its seaports.

The public API is the names in ``__all__``; everything else lives in submodules. Importing
this package is cheap: networkx is imported only by the routing functions that need it.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from corridor.errors import (
    AmbiguousPlaceError,
    CorridorError,
    NetworkError,
    NoRouteError,
    UnknownPlaceError,
    UsageError,
)

try:
    __version__ = version("corridor")
except PackageNotFoundError:  # a source checkout that was never installed
    __version__ = "0+unknown"

__all__ = [
    "__version__",
    "CorridorError",
    "UsageError",
    "NetworkError",
    "UnknownPlaceError",
    "AmbiguousPlaceError",
    "NoRouteError",
]
