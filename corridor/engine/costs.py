"""Figures of one step of a journey, as a sum of components: distance, time, cost and CO2
of links, crossings, transfers, seaport handling and rail terminals, for one shipment.

Pure Python, no networkx: the graph builder (``corridor.engine.graph``) calls these once per edge,
and ``route --explain`` calls them again (``explain=True``) for the legs of an answer, so
totals and explanations come from the same arithmetic. The rules are stated exactly in
``docs/operating-model.md``; in short:

- **moving**: ``distance_km / speed`` (or the link's ``hours``), charged ``distance_km x rate``
  per pricing unit; CO2 ``distance_km x factor`` per TEU-equivalent;
- **rest** (road): a driver drives ``A`` hours in 24 (``driving_hours_per_day`` of the country,
  or the team figure for two drivers), so each moving hour brings ``24 / A - 1`` hours of rest;
- **waiting**: for a sailing (half the headway ``168 / frequency_per_week``; a whole headway
  pessimistic) or as a link states it (``wait_hours``); for a train after loading or a change
  onto rail (``wait_hours`` of the transfer or terminal);
- **border**: dwell and fees of the direction travelled;
- **handling** (seaports: export, import, transshipment), **transfer** (mode or gauge change),
  **terminal** (loading or unloading a train at a rail origin or destination).

Every component has a planning figure ``hours`` and a pessimistic ``high_hours``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from corridor.model import (
    CountryDefaults,
    Crossing,
    Defaults,
    Handling,
    Link,
    ModeDefaults,
    Transfer,
)

__all__ = [
    "COMPONENT_KINDS",
    "Component",
    "Figures",
    "Operating",
    "DEFAULT_OPERATING",
    "HOURS_PER_WEEK",
    "mode_defaults",
    "link_figures",
    "crossing_figures",
    "transfer_figures",
    "handling_figures",
    "rail_terminal_figures",
    "pricing_units",
    "box_units",
    "teu_equivalent",
]

#: The kinds of component a leg is made of, in the order they are listed.
COMPONENT_KINDS: tuple[str, ...] = (
    "moving", "rest", "waiting", "border", "handling", "transfer", "terminal",
)
HOURS_PER_WEEK = 168.0


@dataclass(frozen=True, slots=True)
class Operating:
    """How the shipment moves: ``containers`` boxes of ``cargo`` (``teu`` or ``feu``), and
    ``drivers`` per truck (1 or 2), or a daily driving allowance that replaces the network's
    (``driving_hours_per_day``, hours in 24)."""

    cargo: str = "teu"
    containers: int = 1
    drivers: int = 1
    driving_hours_per_day: float | None = None


DEFAULT_OPERATING = Operating()


@dataclass(frozen=True, slots=True)
class Component:
    """One part of a leg. ``hours`` is the planning figure, ``high_hours`` the pessimistic
    one; ``cost_usd`` and ``co2_kg`` are for the whole shipment. ``rule`` says how the
    figures were obtained; ``refs`` names, for each figure used, the field path and the
    record that holds it (a link, a crossing direction, a default block ...), whose
    ``provenance`` and ``loc`` say where it comes from."""

    kind: str
    hours: float
    high_hours: float
    cost_usd: float = 0.0
    distance_km: float = 0.0
    co2_kg: float = 0.0
    rule: str = ""
    refs: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True, slots=True)
class Figures:
    """What one step costs for the shipment: the sums of its components.

    ``moving_hours`` is the moving part of ``hours``, ``rest_hours`` and ``wait_hours`` the
    rest and waiting parts; ``excess_hours`` is ``high - planning`` summed over the
    components (they move together within one step). ``components`` is filled only when
    asked for (``explain=True``)."""

    distance_km: float = 0.0
    hours: float = 0.0
    cost_usd: float = 0.0
    co2_kg: float = 0.0
    moving_hours: float = 0.0
    rest_hours: float = 0.0
    wait_hours: float = 0.0
    excess_hours: float = 0.0
    components: tuple[Component, ...] = ()


_ZERO = Figures()

# A component while it is computed: (kind, hours, high, cost, km, co2, rule-maker, refs).
_Part = tuple[str, float, float, float, float, float, Any, tuple[tuple[str, Any], ...]]


def _sum(parts: list[_Part], explain: bool) -> Figures:
    km = hours = cost = co2 = moving = rest = wait = excess = 0.0
    for kind, h, hi, c, d, e, _, _ in parts:
        km += d
        hours += h
        cost += c
        co2 += e
        excess += hi - h
        if kind == "moving":
            moving += h
        elif kind == "rest":
            rest += h
        elif kind == "waiting":
            wait += h
    comps: tuple[Component, ...] = ()
    if explain:
        comps = tuple(
            Component(kind, h, hi, c, d, e, rule() if callable(rule) else str(rule or ""), refs)
            for kind, h, hi, c, d, e, rule, refs in parts
        )
    return Figures(km, hours, cost, co2, moving, rest, wait, excess, comps)


# --------------------------------------------------------------------------- defaults


def _pick(
    defaults: Defaults, mode: str, country: str | None, attr: str
) -> tuple[float | None, str, Any]:
    """``(value, path, record)`` of a mode figure for a country: the country override where it
    gives the field, else the mode default; ``(None, "", None)`` when neither does."""
    md = defaults.modes.get(mode)
    if md is None:
        return None, "", None
    if country is not None:
        override: CountryDefaults | None = md.by_country.get(country)
        if override is not None:
            value = getattr(override, attr, None)
            if value is not None:
                return float(value), f"defaults.modes.{mode}.by_country.{country}.{attr}", \
                    override
    value = getattr(md, attr, None)
    if value is None:
        return None, "", None
    return float(value), f"defaults.modes.{mode}.{attr}", md


def mode_defaults(defaults: Defaults, mode: str, country: str | None = None) -> ModeDefaults:
    """The effective speed, rate and emission factor of ``mode`` for links leaving a place in
    ``country``: the country override where it gives a field, else the mode default."""
    return ModeDefaults(
        speed_kmh=_pick(defaults, mode, country, "speed_kmh")[0] or 0.0,
        cost_usd_per_teu_km=_pick(defaults, mode, country, "cost_usd_per_teu_km")[0] or 0.0,
        co2_kg_per_teu_km=_pick(defaults, mode, country, "co2_kg_per_teu_km")[0] or 0.0,
    )


# --------------------------------------------------------------------------- cargo


def pricing_units(defaults: Defaults, mode: str, op: Operating) -> float:
    """How many pricing units of ``mode`` the shipment is. Per vehicle when the mode sets
    ``teu_per_vehicle``: ``ceil(containers / capacity)`` vehicles, capacity
    ``teu_per_vehicle`` TEU or ``feu_per_vehicle`` FEU (1 when unset). Else per TEU:
    ``containers``, times the mode's ``feu_teu_ratio`` (else ``defaults.feu_teu_ratio``)
    for FEU."""
    md = defaults.modes.get(mode)
    if md is not None and md.teu_per_vehicle is not None:
        cap = md.teu_per_vehicle if op.cargo == "teu" else (md.feu_per_vehicle or 1)
        return float(math.ceil(op.containers / cap))
    return box_units(defaults, op, md.feu_teu_ratio if md is not None else None)


def box_units(defaults: Defaults, op: Operating, ratio: float | None = None) -> float:
    """Boxes in TEU-equivalents for terminal charges: ``containers``, times ``ratio`` (else
    ``defaults.feu_teu_ratio``) for FEU."""
    if op.cargo != "feu":
        return float(op.containers)
    return float(op.containers) * float(ratio if ratio is not None else defaults.feu_teu_ratio)


def teu_equivalent(defaults: Defaults, op: Operating) -> float:
    """TEU-equivalents of the shipment's cargo, for the value of time: ``containers``, times
    ``defaults.feu_co2_ratio`` (else ``feu_teu_ratio``) for FEU."""
    return box_units(defaults, op, defaults.feu_co2_ratio)


def _allowance(defaults: Defaults, country: str | None, op: Operating
               ) -> tuple[float | None, str, Any]:
    if op.driving_hours_per_day is not None:
        return float(op.driving_hours_per_day), "--driving-hours", None
    attr = "team_driving_hours_per_day" if op.drivers >= 2 else "driving_hours_per_day"
    value, path, rec = _pick(defaults, "road", country, attr)
    if value is None and op.drivers >= 2:
        one, path, rec = _pick(defaults, "road", country, "driving_hours_per_day")
        if one is not None:
            return min(24.0, 2.0 * one), path + " x 2 drivers", rec
    return value, path, rec


# --------------------------------------------------------------------------- steps


def link_figures(
    link: Link,
    defaults: Defaults,
    *,
    country: str | None = None,
    op: Operating = DEFAULT_OPERATING,
    explain: bool = False,
) -> Figures:
    """Figures of travelling ``link`` for the shipment.

    ``country`` is the ISO code of the link's declared ``from`` place: it selects
    ``defaults.modes[mode].by_country`` for both directions of the link.

    Without ``explain`` the same arithmetic runs on figures resolved once per mode, country
    and shipment (:func:`_link_context`), with no component records; a test holds the two
    paths to the same floats.
    """
    if not explain:
        return _link_fast(link, _link_context(defaults, link.mode, country, op))
    mode = link.mode
    km = float(link.distance_km)
    var = defaults.variability
    lid = f"links.{link.id}"
    parts: list[_Part] = []
    # Moving.
    refs: list[tuple[str, Any]] = [(f"{lid}.distance_km", link)]
    if link.hours is not None:
        moving = float(link.hours)
        refs.append((f"{lid}.hours", link))
        how = f"link hours {moving:g}"
    else:
        if link.speed_kmh is not None:
            speed, spath, srec = float(link.speed_kmh), f"{lid}.speed_kmh", link
        else:
            s, spath, srec = _pick(defaults, mode, country, "speed_kmh")
            speed = s or 0.0
        moving = km / speed if speed > 0 else 0.0
        refs.append((spath, srec))
        how = f"{km:g} km / {speed:g} km/h"
    if link.cost_usd is not None:
        unit_cost = float(link.cost_usd)
        refs.append((f"{lid}.cost_usd", link))
        chow = f"USD {unit_cost:g}"
    else:
        if link.cost_usd_per_teu_km is not None:
            rate, rpath, rrec = float(link.cost_usd_per_teu_km), f"{lid}.cost_usd_per_teu_km", link
        else:
            r, rpath, rrec = _pick(defaults, mode, country, "cost_usd_per_teu_km")
            rate = r or 0.0
        unit_cost = km * rate
        refs.append((rpath, rrec))
        chow = f"{km:g} km x USD {rate:g}"
    if link.co2_kg_per_teu_km is not None:
        factor, fpath, frec = float(link.co2_kg_per_teu_km), f"{lid}.co2_kg_per_teu_km", link
    else:
        f, fpath, frec = _pick(defaults, mode, country, "co2_kg_per_teu_km")
        factor = f or 0.0
    refs.append((fpath, frec))
    units = pricing_units(defaults, mode, op)
    teu = teu_equivalent(defaults, op)
    cost = unit_cost * units
    co2 = km * factor * teu
    parts.append(("moving", moving, moving * (1.0 + var.moving), cost, km, co2,
                  lambda: f"{how}; {chow} x {units:g} unit(s); CO2 {km:g} km x {factor:g} kg"
                          f" x {teu:g} TEU", tuple(refs)))
    # Rest (road): the daily driving allowance.
    if mode == "road" and moving > 0:
        allow, apath, arec = _allowance(defaults, country, op)
        if allow is not None and 0 < allow < 24:
            rest = moving * (24.0 / allow - 1.0)
            parts.append(("rest", rest, rest * (1.0 + var.moving), 0.0, 0.0, 0.0,
                          lambda: f"{moving:.2f} h driving x (24 / {allow:g} - 1)",
                          ((apath, arec),)))
    # Waiting for a departure.
    if link.wait_hours is not None:
        w = float(link.wait_hours)
        hi = float(link.wait_hours_high) if link.wait_hours_high is not None else w
        parts.append(("waiting", w, max(w, hi), 0.0, 0.0, 0.0,
                      lambda: f"wait stated by the link: {w:g} h (high {hi:g} h)",
                      ((f"{lid}.wait_hours", link),)))
    elif mode == "sea":
        if link.frequency_per_week is not None:
            freq, qpath, qrec = float(link.frequency_per_week), f"{lid}.frequency_per_week", link
        else:
            fq, qpath, qrec = _pick(defaults, mode, country, "frequency_per_week")
            freq = fq or 0.0
        if freq > 0:
            headway = HOURS_PER_WEEK / freq
            parts.append(("waiting", headway / 2.0, headway, 0.0, 0.0, 0.0,
                          lambda: f"half the headway of {freq:g} sailing(s) a week "
                                  f"(168 / {freq:g} / 2); pessimistic a whole headway",
                          ((qpath, qrec),)))
    return _sum(parts, explain)


_Context = tuple[float, float, float, float | None, float, float, float, float]
_CONTEXTS: dict[tuple[int, str, str | None, Operating], tuple[Defaults, _Context]] = {}


def _link_context(defaults: Defaults, mode: str, country: str | None,
                  op: Operating) -> _Context:
    """``(speed, rate, co2 factor, allowance, frequency, pricing units, TEU-equivalents,
    moving variability)`` of ``mode`` in ``country`` for the shipment, as
    :func:`link_figures` resolves them; memoized per defaults object."""
    key = (id(defaults), mode, country, op)
    hit = _CONTEXTS.get(key)
    if hit is not None and hit[0] is defaults:
        return hit[1]
    allow = _allowance(defaults, country, op)[0] if mode == "road" else None
    ctx: _Context = (
        _pick(defaults, mode, country, "speed_kmh")[0] or 0.0,
        _pick(defaults, mode, country, "cost_usd_per_teu_km")[0] or 0.0,
        _pick(defaults, mode, country, "co2_kg_per_teu_km")[0] or 0.0,
        allow,
        (_pick(defaults, mode, country, "frequency_per_week")[0] or 0.0) if mode == "sea"
        else 0.0,
        pricing_units(defaults, mode, op),
        teu_equivalent(defaults, op),
        defaults.variability.moving,
    )
    if len(_CONTEXTS) > 4096:
        _CONTEXTS.clear()
    _CONTEXTS[key] = (defaults, ctx)
    return ctx


def _link_fast(link: Link, ctx: _Context) -> Figures:
    speed_d, rate_d, factor_d, allow, freq_d, units, teu, var = ctx
    km = float(link.distance_km)
    if link.hours is not None:
        moving = float(link.hours)
    else:
        speed = float(link.speed_kmh) if link.speed_kmh is not None else speed_d
        moving = km / speed if speed > 0 else 0.0
    if link.cost_usd is not None:
        unit_cost = float(link.cost_usd)
    else:
        rate = float(link.cost_usd_per_teu_km) if link.cost_usd_per_teu_km is not None \
            else rate_d
        unit_cost = km * rate
    factor = float(link.co2_kg_per_teu_km) if link.co2_kg_per_teu_km is not None else factor_d
    # The same order of operations as _sum over the parts link_figures lists.
    hours = 0.0 + moving
    excess = 0.0 + (moving * (1.0 + var) - moving)
    rest = 0.0
    if link.mode == "road" and moving > 0 and allow is not None and 0 < allow < 24:
        rest = moving * (24.0 / allow - 1.0)
        hours += rest
        excess += rest * (1.0 + var) - rest
    wait = 0.0
    if link.wait_hours is not None:
        w = float(link.wait_hours)
        hi = float(link.wait_hours_high) if link.wait_hours_high is not None else w
        wait = w
        hours += w
        excess += max(w, hi) - w
    elif link.mode == "sea":
        freq = float(link.frequency_per_week) if link.frequency_per_week is not None else freq_d
        if freq > 0:
            headway = HOURS_PER_WEEK / freq
            wait = headway / 2.0
            hours += wait
            excess += headway - wait
    cost = 0.0 + unit_cost * units
    co2 = 0.0 + km * factor * teu
    return Figures(0.0 + km, hours, cost, co2, 0.0 + moving, 0.0 + rest, 0.0 + wait, excess, ())


def crossing_figures(
    crossing: Crossing,
    defaults: Defaults,
    *,
    a_to_b: bool,
    mode: str,
    country: str | None = None,
    op: Operating = DEFAULT_OPERATING,
    explain: bool = False,
) -> Figures:
    """Figures of passing ``crossing`` by ``mode``, from ``a`` to ``b`` when ``a_to_b``.

    ``country`` is the country being left: the short hop between the posts
    (``distance_km``) emits at that country's factor for ``mode``. Dwell hours and fees are
    those of the direction travelled; fees are per pricing unit of ``mode``.
    """
    direction = crossing.a_to_b if a_to_b else crossing.b_to_a
    side = "a_to_b" if a_to_b else "b_to_a"
    xid = f"crossings.{crossing.id}"
    km = float(crossing.distance_km or 0.0)
    factor, fpath, frec = _pick(defaults, mode, country, "co2_kg_per_teu_km")
    teu = teu_equivalent(defaults, op)
    units = pricing_units(defaults, mode, op)
    hours = float(direction.hours)
    if direction.hours_high is not None:
        high = max(hours, float(direction.hours_high))
        hi_how = f"high {high:g} h stated"
    else:
        high = hours * (1.0 + defaults.variability.border)
        hi_how = f"high = dwell x (1 + {defaults.variability.border:g})"
    fee = float(direction.cost_usd or 0.0)
    refs: tuple[tuple[str, Any], ...] = ((f"{xid}.{side}", direction),)
    if km:
        refs += ((f"{xid}.distance_km", crossing), (fpath, frec))
    parts: list[_Part] = [(
        "border", hours, high, fee * units, km, km * (factor or 0.0) * teu,
        lambda: f"dwell {hours:g} h ({hi_how}); fees USD {fee:g} x {units:g} unit(s)",
        refs,
    )]
    return _sum(parts, explain)


def _field(name: str, *blocks: tuple[str, Handling | Transfer | None]
           ) -> tuple[float | None, str, Any]:
    """The first of ``blocks`` that gives field ``name``: ``(value, path, record)``."""
    for path, block in blocks:
        if block is None:
            continue
        value = getattr(block, name, None)
        if value is not None:
            return float(value), f"{path}.{name}", block
    return None, "", None


def _terminal_part(
    kind: str, defaults: Defaults, op: Operating, hours_fields: tuple[str, ...],
    blocks: tuple[tuple[str, Handling | Transfer | None], ...], *, wait: bool, what: str,
) -> list[_Part]:
    """A terminal operation. Hours: the first block (in order) that gives one of
    ``hours_fields`` (in order of preference); its ``hours_high`` is the pessimistic figure,
    else hours x (1 + ``variability.terminal``). ``cost_usd`` and ``wait_hours``: the first
    block that gives them, field by field. Charges are per box (TEU-equivalents)."""
    h, hpath, hrec = 0.0, "", None
    for bpath, block in blocks:
        for name in hours_fields:
            value = None if block is None else getattr(block, name, None)
            if value is not None:
                h, hpath, hrec = float(value), f"{bpath}.{name}", block
                break
        if hrec is not None:
            break
    cost, cpath, crec = _field("cost_usd", *blocks)
    c = cost or 0.0
    var = defaults.variability.terminal
    stated = getattr(hrec, "hours_high", None) if hrec is not None else None
    high = max(h, float(stated)) if stated is not None else h * (1.0 + var)
    boxes = box_units(defaults, op)
    refs = tuple((p, r) for p, r in ((hpath, hrec), (cpath, crec)) if r is not None)
    parts: list[_Part] = [(kind, h, high, c * boxes, 0.0, 0.0,
                           lambda: f"{what}: {h:g} h, USD {c:g} x {boxes:g} box(es)", refs)]
    if wait:
        w, wpath, wrec = _field("wait_hours", *blocks)
        if w:
            stated_w = getattr(wrec, "wait_hours_high", None)
            whigh = max(w, float(stated_w)) if stated_w is not None else w * (1.0 + var)
            parts.append(("waiting", w, whigh, 0.0, 0.0, 0.0,
                          lambda: f"wait for a train: {w:g} h (high {whigh:g} h)",
                          ((wpath, wrec),)))
    return parts


def transfer_figures(
    transfer: Transfer, defaults: Defaults, *, op: Operating = DEFAULT_OPERATING,
    explain: bool = False, to_mode: str | None = None, path: str = "transfer",
) -> Figures:
    """A change of mode or rail gauge. A rail->rail transfer is a gauge change and falls back
    to ``defaults.gauge_change``, others to ``defaults.transfer``, field by field. A change
    onto rail (``to_mode`` rail) adds the wait for a train (``wait_hours``)."""
    gauge_change = transfer.from_mode == transfer.to_mode
    fb = ("defaults.gauge_change", defaults.gauge_change) if gauge_change else \
        ("defaults.transfer", defaults.transfer)
    onto = to_mode if to_mode is not None else transfer.to_mode
    what = "gauge change" if gauge_change else f"transfer {transfer.from_mode}-{transfer.to_mode}"
    parts = _terminal_part("transfer", defaults, op, ("hours",), ((path, transfer), fb),
                           wait=onto == "rail", what=what)
    return _sum(parts, explain)


def handling_figures(
    handling: Handling | None, defaults: Defaults, *, direction: str = "transshipment",
    op: Operating = DEFAULT_OPERATING, explain: bool = False, path: str = "handling",
) -> Figures:
    """Seaport handling per box: ``direction`` ``export`` (land to ship), ``import`` (ship to
    land) or ``transshipment`` (ship to ship). Hours: the port's ``export_hours`` /
    ``import_hours`` (not for transshipment), else its ``hours``; else the same fields of
    ``defaults.handling``. Cost: the port's ``cost_usd``, else the default's."""
    fields = {"export": ("export_hours", "hours"), "import": ("import_hours", "hours")}.get(
        direction, ("hours",))
    blocks = ((path, handling), ("defaults.handling", defaults.handling))
    parts = _terminal_part("handling", defaults, op, fields, blocks, wait=False,
                           what=f"port handling ({direction})")
    return _sum(parts, explain)


def rail_terminal_figures(
    terminal: Handling | None, defaults: Defaults, *, loading: bool,
    op: Operating = DEFAULT_OPERATING, explain: bool = False, path: str = "rail_terminal",
) -> Figures:
    """Loading a train where a route starts by rail (with the wait for the train), or
    unloading it where a route ends by rail: the place's ``rail_terminal`` figures, else
    ``defaults.rail_terminal``, field by field."""
    blocks = ((path, terminal), ("defaults.rail_terminal", defaults.rail_terminal))
    parts = _terminal_part("terminal", defaults, op, ("hours",), blocks, wait=loading,
                           what="loading a train" if loading else "unloading a train")
    return _sum(parts, explain)
