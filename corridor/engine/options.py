"""The options every analysis takes, as one concept: modes, avoid, planned projects, cargo,
containers, value of time, drivers. :func:`check_options` validates and normalizes them into a
:class:`QueryOptions`; :func:`blocked_places`, :func:`weight_of` and :func:`provenance_of` turn
them into what a search needs. ``compare``, ``matrix``, ``reach``, ``pareto``, ``sweep`` and the
side-by-side views all import them from here (DESIGN section 7).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from corridor.engine import costs, graph
from corridor.engine.planned import Planned, PlannedArg, resolve_planned
from corridor.engine.routing import (
    CARGO_TYPES,
    DEFAULT_VALUE_OF_TIME_USD_PER_HOUR,
    OBJECTIVE_NAMES,
    Avoid,
    Provenance,
    operating,
    resolve_avoid,
)
from corridor.errors import UsageError
from corridor.format.spec import MAX_CONTAINERS, MAX_VALUE_OF_TIME_USD_PER_HOUR
from corridor.model import MODES, Network
from corridor.textutil import printable

__all__ = ["QueryOptions", "check_options", "blocked_places", "provenance_of", "weight_of"]


@dataclass(frozen=True, slots=True)
class QueryOptions:
    """The options an analysis ran with, normalized: modes in canonical order, places as
    ids, countries upper case, avoided items sorted."""

    modes: tuple[str, ...] = MODES
    avoid_places: tuple[str, ...] = ()
    avoid_countries: tuple[str, ...] = ()
    avoid_crossings: tuple[str, ...] = ()
    include_planned: Planned = False
    cargo: str = "teu"
    containers: int = 1
    value_of_time_usd_per_hour: float = DEFAULT_VALUE_OF_TIME_USD_PER_HOUR
    drivers: int = 1
    driving_hours_per_day: float | None = None

    @property
    def avoid(self) -> Avoid:
        return Avoid(self.avoid_places, self.avoid_countries, self.avoid_crossings)

    @property
    def op(self) -> costs.Operating:
        """How the shipment moves (cargo, containers, drivers): the graph is built for it."""
        return costs.Operating(cargo=self.cargo, containers=self.containers,
                               drivers=self.drivers,
                               driving_hours_per_day=self.driving_hours_per_day)


def check_options(
    network: Network,
    *,
    objective: str,
    modes: Iterable[str] | None,
    avoid: Iterable[str] | Avoid,
    include_planned: PlannedArg,
    cargo: str,
    containers: int,
    value_of_time_usd_per_hour: float,
    drivers: int = 1,
    driving_hours_per_day: float | None = None,
) -> QueryOptions:
    """Validate and normalize the options shared by the analyses.

    Raises UsageError (unknown objective, mode or cargo; containers below 1; negative value
    of time) or UnknownPlaceError (an ``avoid`` item that is no place, country or crossing).
    """
    if objective not in OBJECTIVE_NAMES:
        raise UsageError(f"unknown objective {printable(str(objective))!r}; use one of "
                         + ", ".join(OBJECTIVE_NAMES))
    if modes is None:
        mode_t = MODES
    else:
        given = [m.strip() for m in modes if m.strip()]
        bad = sorted(set(given) - set(MODES))
        if bad:
            raise UsageError(f"unknown mode {printable(bad[0])!r}; use one or more of "
                             + ", ".join(MODES))
        mode_t = tuple(m for m in MODES if m in set(given))
        if not mode_t:
            raise UsageError("no modes given; use one or more of " + ", ".join(MODES))
    if cargo not in CARGO_TYPES:
        raise UsageError(f"unknown cargo {printable(str(cargo))!r}; use teu or feu")
    if isinstance(containers, bool) or not isinstance(containers, int) or containers < 1:
        raise UsageError("containers must be a whole number of at least 1")
    if containers > MAX_CONTAINERS:
        raise UsageError(f"containers must be at most {MAX_CONTAINERS:,}")
    vot = float(value_of_time_usd_per_hour)
    if not 0 <= vot <= MAX_VALUE_OF_TIME_USD_PER_HOUR:
        raise UsageError("value of time must be a number from 0 to "
                         f"{MAX_VALUE_OF_TIME_USD_PER_HOUR:,.0f} (USD per TEU-hour)")
    op = operating(cargo=cargo, containers=containers, drivers=drivers,
                   driving_hours_per_day=driving_hours_per_day)
    av = avoid if isinstance(avoid, Avoid) else resolve_avoid(network, avoid)
    return QueryOptions(
        modes=mode_t,
        avoid_places=av.places,
        avoid_countries=av.countries,
        avoid_crossings=av.crossings,
        include_planned=resolve_planned(network, include_planned),
        cargo=cargo,
        containers=containers,
        value_of_time_usd_per_hour=vot,
        drivers=op.drivers,
        driving_hours_per_day=op.driving_hours_per_day,
    )


def blocked_places(network: Network, options: QueryOptions) -> frozenset[str]:
    """Ids of the places a search may not enter: avoided places and every place of an
    avoided country."""
    ids = set(options.avoid_places)
    if options.avoid_countries:
        countries = set(options.avoid_countries)
        ids.update(p.id for p in network.places if p.country in countries)
    return frozenset(ids)


def provenance_of(network: Network) -> Provenance:
    from corridor import __version__

    return Provenance(network=network.name, content_hash=network.content_hash,
                      scenarios=network.scenarios, tool_version=__version__,
                      manifest=network.manifest)


def weight_of(
    eg: graph.ExpandedGraph, network: Network, objective: str, options: QueryOptions
) -> graph.Weight:
    """The edge weight of ``objective`` under ``options`` (see :func:`graph.weight_for`)."""
    return graph.weight_for(
        eg,
        objective=objective,
        value_of_time_usd_per_hour=options.value_of_time_usd_per_hour
        * costs.teu_equivalent(network.defaults, options.op),
        modes=None if set(options.modes) == set(MODES) else options.modes,
        avoid_places=blocked_places(network, options),
        avoid_crossings=options.avoid_crossings,
    )
