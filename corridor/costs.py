"""Figures of one step of a journey: distance, time, cost and CO2 of links, crossings,
transfers and seaport handling, per TEU, from the records and the network defaults.

Pure Python, no networkx: the graph builder (``corridor.graph``) calls these once per edge,
and other commands may call them directly.

Rules (see ``docs/network-format.md``):

- A link's ``hours`` is its own ``hours`` if given, else ``distance_km / speed_kmh`` with the
  link's ``speed_kmh``, else the mode default for the country of the link's ``from`` place
  (``defaults.modes[mode].by_country[CC]``), else the mode default. ``cost_usd`` is the same
  with ``cost_usd`` and ``cost_usd_per_teu_km``; ``co2_kg`` is ``distance_km`` times the
  link's factor or the (country) mode default.
- A transfer with no ``hours``/``cost_usd`` takes ``defaults.gauge_change`` for a change of
  rail gauge and ``defaults.transfer`` for a change of mode (0 when those are unset too);
  handling takes the port's figures, else ``defaults.handling``. Both have no distance and
  no CO2 of their own.
- A crossing charges the dwell ``hours`` and fees ``cost_usd`` of the direction travelled.
  Its ``distance_km`` (the hop between the two posts) counts as distance, and its CO2 is that
  distance times the mode's emission factor in the country being left: the container does
  travel it. Its hours are all delay (waiting), none of it moving time.
"""

from __future__ import annotations

from dataclasses import dataclass

from corridor.model import Crossing, Defaults, Handling, Link, ModeDefaults, Transfer

__all__ = [
    "Figures",
    "mode_defaults",
    "link_figures",
    "crossing_figures",
    "transfer_figures",
    "handling_figures",
    "cargo_factor",
]


@dataclass(frozen=True, slots=True)
class Figures:
    """What one step costs, per TEU. ``moving_hours`` is the part of ``hours`` spent
    travelling (all of a link's hours; none of a crossing's, a transfer's or handling's)."""

    distance_km: float = 0.0
    hours: float = 0.0
    cost_usd: float = 0.0
    co2_kg: float = 0.0
    moving_hours: float = 0.0


def _pick(
    defaults: Defaults, mode: str, country: str | None, attr: str
) -> float:
    md = defaults.modes.get(mode)
    if md is None:
        return 0.0
    if country is not None:
        override = md.by_country.get(country)
        if override is not None:
            value = getattr(override, attr, None)
            if value is not None:
                return float(value)
    value = getattr(md, attr, None)
    return float(value) if value is not None else 0.0


def mode_defaults(defaults: Defaults, mode: str, country: str | None = None) -> ModeDefaults:
    """The effective speed, rate and emission factor of ``mode`` for links leaving a place in
    ``country``: the country override where it gives a field, else the mode default."""
    return ModeDefaults(
        speed_kmh=_pick(defaults, mode, country, "speed_kmh"),
        cost_usd_per_teu_km=_pick(defaults, mode, country, "cost_usd_per_teu_km"),
        co2_kg_per_teu_km=_pick(defaults, mode, country, "co2_kg_per_teu_km"),
    )


def link_figures(link: Link, defaults: Defaults, *, country: str | None = None) -> Figures:
    """Distance (km), time (h), cost (USD) and CO2 (kg) of ``link`` per TEU.

    ``country`` is the ISO code of the link's ``from`` place (selects
    ``defaults.modes[mode].by_country``). A speed of 0 (missing default) gives 0 hours
    rather than a division error; the validator reports such data.
    """
    km = float(link.distance_km)
    if link.hours is not None:
        hours = float(link.hours)
    else:
        speed = (
            float(link.speed_kmh)
            if link.speed_kmh is not None
            else _pick(defaults, link.mode, country, "speed_kmh")
        )
        hours = km / speed if speed > 0 else 0.0
    if link.cost_usd is not None:
        cost = float(link.cost_usd)
    else:
        rate = (
            float(link.cost_usd_per_teu_km)
            if link.cost_usd_per_teu_km is not None
            else _pick(defaults, link.mode, country, "cost_usd_per_teu_km")
        )
        cost = km * rate
    factor = (
        float(link.co2_kg_per_teu_km)
        if link.co2_kg_per_teu_km is not None
        else _pick(defaults, link.mode, country, "co2_kg_per_teu_km")
    )
    return Figures(distance_km=km, hours=hours, cost_usd=cost, co2_kg=km * factor,
                   moving_hours=hours)


def crossing_figures(
    crossing: Crossing,
    defaults: Defaults,
    *,
    a_to_b: bool,
    mode: str,
    country: str | None = None,
) -> Figures:
    """Figures of passing ``crossing`` by ``mode``, from ``a`` to ``b`` when ``a_to_b``.

    ``country`` is the country being left (for the emission factor of the short hop between
    the posts). Dwell hours and fees are those of the direction travelled.
    """
    direction = crossing.a_to_b if a_to_b else crossing.b_to_a
    km = float(crossing.distance_km or 0.0)
    factor = _pick(defaults, mode, country, "co2_kg_per_teu_km")
    return Figures(
        distance_km=km,
        hours=float(direction.hours),
        cost_usd=float(direction.cost_usd or 0.0),
        co2_kg=km * factor,
        moving_hours=0.0,
    )


def _fill(own_hours: float | None, own_cost: float | None, fallback: Handling) -> Figures:
    hours = own_hours if own_hours is not None else fallback.hours
    cost = own_cost if own_cost is not None else fallback.cost_usd
    return Figures(hours=float(hours or 0.0), cost_usd=float(cost or 0.0))


def transfer_figures(transfer: Transfer, defaults: Defaults) -> Figures:
    """Time and cost of a change of mode or rail gauge (a rail→rail transfer is a gauge
    change and defaults to ``defaults.gauge_change``; others to ``defaults.transfer``)."""
    gauge_change = transfer.from_mode == transfer.to_mode
    fallback = defaults.gauge_change if gauge_change else defaults.transfer
    return _fill(transfer.hours, transfer.cost_usd, fallback)


def handling_figures(handling: Handling | None, defaults: Defaults) -> Figures:
    """Time and cost of moving a container between land and sea at a port: the port's own
    ``handling`` figures, else ``defaults.handling``."""
    if handling is None:
        return _fill(None, None, defaults.handling)
    return _fill(handling.hours, handling.cost_usd, defaults.handling)


def cargo_factor(defaults: Defaults, *, cargo: str = "teu", containers: int = 1) -> float:
    """Multiplier from per-TEU cost and CO2 to the shipment: ``containers`` boxes, each one
    TEU or (``cargo="feu"``) ``defaults.feu_teu_ratio`` TEU. Time does not scale."""
    per_box = float(defaults.feu_teu_ratio) if cargo == "feu" else 1.0
    return per_box * containers
