"""Applying scenarios to a network: pure functions from a network to a patched copy.

Every function here returns a new :class:`~corridor.model.Network` (frozen records are
replaced with :func:`dataclasses.replace`, never mutated) whose ``content_hash`` is derived
from the network's and the change's, so two answers computed from different networks never
share a hash. The rules (order of operations, what open and close do, the hash) are the
contract of ``docs/scenario-format.md``.

- :func:`set_value` changes one figure addressed by a path (the primitive a sweep loops on);
- :func:`set_status` opens or closes links, crossings or projects;
- :func:`apply_scenario` applies a whole :class:`~corridor.format.scenario.Scenario`;
- :func:`check_scenario` applies it and runs the network checks on the result, keeping the
  problems located in the scenario file (what ``corridor validate`` reports);
- :func:`with_scenarios` loads, checks and applies scenario files in order (what
  ``--scenario`` does).
"""

from __future__ import annotations

import hashlib
import math
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import Any

from corridor.format.build import Index
from corridor.format.problems import Problem, problem, sort_problems
from corridor.format.scenario import (
    SECTION_ENTITIES,
    FieldPath,
    Scenario,
    ScenarioError,
    load_scenario,
    parse_path,
)
from corridor.format.spec import ENTITIES, Entity
from corridor.format.yamlsafe import Map, Scalar
from corridor.model import (
    Figure,
    Handling,
    Loc,
    ModeDefaults,
    Network,
    ScenarioRef,
)
from corridor.textutil import did_you_mean, printable

__all__ = [
    "set_value",
    "set_status",
    "apply_scenario",
    "check_scenario",
    "with_scenarios",
    "derived_hash",
]

_PROVENANCE = frozenset({"source", "estimate", "note"})
#: Spec field -> model attribute where they differ.
_ATTRS = {("link", "from"): "from_id", ("link", "to"): "to_id",
          ("transfer", "from"): "from_mode", ("transfer", "to"): "to_mode",
          ("closure", "from"): "from_date", ("closure", "to"): "to_date"}


class _Miss(Exception):
    """A path's record, key or index does not exist in this network (message says which)."""


def derived_hash(content_hash: str, change: str | bytes) -> str:
    """``sha256:`` of a network's content hash, a NUL byte and the change's bytes."""
    data = change.encode("utf-8") if isinstance(change, str) else change
    return "sha256:" + hashlib.sha256(content_hash.encode("ascii") + b"\0" + data).hexdigest()


# --------------------------------------------------------------------------- set


def _suggest(word: str, choices: Iterable[str]) -> str:
    hits = did_you_mean(word, list(choices), n=1)
    return f"; did you mean '{hits[0]}'?" if hits else ""


#: Why a figure changed, and where that was written: ``(text, loc or None)``.
_Mark = tuple[str, Loc | None]


def _marked(obj: Any, mark: _Mark | None) -> Any:
    """``obj`` with its provenance saying that a scenario (or a patch) changed one of its
    figures: the estimate names the change, then the record's own estimate; the sources
    stay (they still stand for the figures not changed); ``loc`` becomes where the change
    was written, when known. Explanations (``--explain``) then cite the change."""
    if mark is None or "provenance" not in type(obj).__slots__:
        return obj
    text, loc = mark
    fig: Figure = obj.provenance
    estimate = text + (f"; otherwise: {fig.estimate}" if fig.estimate else "")
    new = replace(obj, provenance=replace(fig, estimate=estimate))
    return replace(new, loc=loc) if loc is not None and "loc" in type(obj).__slots__ else new


def _put(obj: Any, entity: Entity, segs: Sequence[str], value: Any,
         mark: _Mark | None = None) -> Any:
    name = segs[0]
    f = entity.by_name[name]
    attr = _ATTRS.get((entity.name, name), name)
    if len(segs) == 1:
        if name in _PROVENANCE and "provenance" in type(obj).__slots__:
            fig: Figure = obj.provenance
            kw: dict[str, Any] = {name: tuple(value or ()) if name == "source" else value}
            return replace(obj, provenance=replace(fig, **kw))
        return _marked(replace(obj, **{attr: value}), mark)
    child = getattr(obj, attr)
    if f.kind == "obj":
        if child is None:
            child = Handling()
        return replace(obj, **{attr: _put(child, ENTITIES[f.entity], segs[1:], value, mark)})
    key = segs[1]
    if f.kind == "objmap":
        mapping = dict(child)
        item = mapping.get(key)
        if item is None:
            if f.keys != "country" or not isinstance(obj, ModeDefaults):
                raise _Miss(f"no '{key}' in {name}" + _suggest(key, mapping))
            # A new country override starts from the mode's own figures (all of them).
            item = replace(obj, by_country={})
        mapping[key] = _put(item, ENTITIES[f.entity], segs[2:], value, mark)
        return replace(obj, **{attr: mapping})
    items = list(child)
    i = int(key)
    if i >= len(items):
        raise _Miss(f"{name} has {len(items)} entr{'y' if len(items) == 1 else 'ies'}"
                    + (f" (0 to {len(items) - 1})" if items else ""))
    items[i] = _put(items[i], ENTITIES[f.entity], segs[2:], value, mark)
    return replace(obj, **{attr: tuple(items)})


def _find(records: tuple[Any, ...], key: str, ident: str) -> int:
    for i, r in enumerate(records):
        if getattr(r, key) == ident:
            return i
    return -1


def _set(network: Network, fp: FieldPath, value: Any,
         mark: _Mark | None = None) -> tuple[Network, object]:
    """The network with the figure changed, and the changed record (or defaults)."""
    if fp.id is None:
        d = _put(network.defaults, ENTITIES["defaults"], fp.fields, value, mark)
        return replace(network, defaults=d), d
    records: tuple[Any, ...] = getattr(network, fp.section)
    key = "place" if fp.section == "terminals" else "id"
    i = _find(records, key, fp.id)
    if i < 0:
        what = SECTION_ENTITIES[fp.section]
        raise _Miss(f"unknown {what} '{printable(fp.id)}'"
                    + _suggest(fp.id, (getattr(r, key) for r in records)))
    new = _put(records[i], ENTITIES[SECTION_ENTITIES[fp.section]], fp.fields, value, mark)
    kw: dict[str, Any] = {fp.section: records[:i] + (new,) + records[i + 1:]}
    return replace(network, **kw), new


def _show(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, tuple):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    return "empty (default)" if value is None else str(value)


def _typed(fp: FieldPath, value: Any) -> Any:
    """Check a value given in Python against the field's kind (numbers only)."""
    f = fp.spec
    if f.kind not in ("number", "lat", "lon", "int"):
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ScenarioError(f"{fp}: a number is needed, got {value!r}")
    v = float(value) if f.kind != "int" else value
    if not math.isfinite(v) or (f.sign == "pos" and v <= 0) or (f.sign == "nonneg" and v < 0):
        need = {"pos": "above zero", "nonneg": "zero or more"}.get(f.sign, "finite")
        raise ScenarioError(f"{fp}: the value must be {need} and finite, got {value!r}")
    return v


def set_value(network: Network, path: str | FieldPath, value: Any) -> Network:
    """``network`` with one figure changed: ``path`` as in a scenario's ``set``
    (``crossings.CHAMAN.a_to_b.hours``, ``defaults.modes.rail.cost_usd_per_teu_km``), and
    a value of the field's type (numbers are checked for sign and finiteness; ``None``
    empties an optional field so that its default applies).

    The result's content hash is :func:`derived_hash` of the network's and
    ``"set <path> <repr(value)>"``. Raises :class:`~corridor.format.scenario.ScenarioError` for a
    path that names no field, a record that does not exist, or a bad value.
    """
    fp = parse_path(path) if isinstance(path, str) else path
    v = _typed(fp, value) if value is not None else None
    if v is None and fp.spec.required:
        raise ScenarioError(f"{fp}: the field is required and cannot be emptied")
    try:
        new, _ = _set(network, fp, v, (f"set {fp} = {_show(v)}", None))
    except _Miss as err:
        raise ScenarioError(f"{fp}: {err}") from None
    return replace(new, content_hash=derived_hash(network.content_hash, f"set {fp} {v!r}"))


# --------------------------------------------------------------------------- open, close


def _status(
    network: Network, ref: str, kind: str | None, status: str
) -> tuple[Network, list[object]]:
    kinds = (kind,) if kind else ("link", "crossing", "project")
    hits = []
    if "link" in kinds and _find(network.links, "id", ref) >= 0:
        hits.append("link")
    if "crossing" in kinds and _find(network.crossings, "id", ref) >= 0:
        hits.append("crossing")
    if "project" in kinds and _find(network.projects, "id", ref) >= 0:
        hits.append("project")
    if not hits:
        pool: list[str] = []
        if "link" in kinds:
            pool += [lk.id for lk in network.links]
        if "crossing" in kinds:
            pool += [c.id for c in network.crossings]
        if "project" in kinds:
            pool += [p.id for p in network.projects]
        what = kind or "link, crossing or project"
        raise _Miss(f"unknown {what} '{printable(ref)}'" + _suggest(ref, pool))
    if len(hits) > 1:
        raise _Ambiguous(f"'{printable(ref)}' is a {' and a '.join(hits)}; write "
                         + " or ".join(f"{h}:{ref}" for h in hits))
    changed: list[object] = []

    def one(rec: Any) -> Any:
        hit = (hits[0] == "project" and rec.project == ref) or (
            hits[0] != "project" and rec.id == ref)
        if not hit:
            return rec
        new = replace(rec, status=status)
        changed.append(new)
        return new

    links = tuple(one(lk) for lk in network.links) if hits[0] != "crossing" else network.links
    xs = tuple(one(c) for c in network.crossings) if hits[0] != "link" else network.crossings
    return replace(network, links=links, crossings=xs), changed


class _Ambiguous(Exception):
    pass


def set_status(network: Network, refs: Iterable[str], status: str) -> Network:
    """``network`` with links, crossings or projects (all the records that name the
    project) set to ``status`` (``operational`` opens, ``closed`` closes). Each ref is an
    id, optionally prefixed ``link:``, ``crossing:`` or ``project:``. The content hash is
    derived from ``"status <status> <refs…>"``. Raises ScenarioError for an unknown or
    ambiguous id."""
    refs = list(refs)
    net = network
    for r in refs:
        kind, sep, ident = r.partition(":")
        try:
            net, _ = _status(net, ident if sep else r, kind if sep else None, status)
        except (_Miss, _Ambiguous) as err:
            raise ScenarioError(str(err)) from None
    return replace(net, content_hash=derived_hash(network.content_hash,
                                                  f"status {status} " + " ".join(refs)))


# --------------------------------------------------------------------------- scenarios

_Hook = Callable[[object, Loc, Loc | None, str | None], None]


def _apply(network: Network, sc: Scenario, hook: _Hook | None) -> tuple[Network, list[Problem]]:
    problems: list[Problem] = []

    def report(code: str, message: str, loc: Loc, path: str) -> None:
        problems.append(problem(code, message, loc.file, loc.line, loc.col, path))

    net = network
    a = sc.add
    extra: dict[str, list[Any]] = {}
    for section, records, key in (("places", a.places, "id"), ("links", a.links, "id"),
                                  ("crossings", a.crossings, "id"),
                                  ("terminals", a.terminals, "place"),
                                  ("sources", a.sources, "id"),
                                  ("projects", a.projects, "id")):
        have = {getattr(r, key) for r in getattr(network, section)}
        keep = []
        for r in records:
            ident = getattr(r, key)
            if ident in have:
                what = SECTION_ENTITIES[section]
                how = ("add the changes with set" if section == "terminals"
                       else "use set to change it, or another id")
                file, line, col, path = sc.index.locate(r, key)
                problems.append(problem("E504", f"the network already has {what} "
                                        f"'{printable(ident)}'; {how}", file, line, col, path))
                continue
            keep.append(r)
        extra[section] = keep
    grown: dict[str, Any] = {s: getattr(net, s) + tuple(v) for s, v in extra.items()}
    net = replace(net, **grown)
    for op in sc.sets:
        try:
            mark = (f"scenario '{sc.name}' sets {op.path} = {_show(op.value)} ({op.loc})",
                    op.loc)
            net, changed = _set(net, op.path, op.value, mark)
        except _Miss as err:
            report("E502", f"{op.path}: {err}", op.loc, f"set.{op.path}")
            continue
        if hook is not None:
            hook(changed, op.loc, op.value_loc, op.path.fields[-1])
    for ops, status, word in ((sc.opens, "operational", "open"), (sc.closes, "closed", "close")):
        for i, ref in enumerate(ops):
            try:
                net, changed_list = _status(net, ref.ref, ref.kind, status)
            except _Miss as err:
                report("E502", str(err), ref.loc, f"{word}[{i}]")
                continue
            except _Ambiguous as err:
                report("E505", str(err), ref.loc, f"{word}[{i}]")
                continue
            if hook is not None:
                for rec in changed_list:
                    hook(rec, ref.loc, None, None)
    applied = ScenarioRef(name=sc.name, path=sc.path, content_hash=sc.content_hash,
                          applied_to=network.content_hash)
    net = replace(net, content_hash=derived_hash(network.content_hash, sc.content_hash),
                  scenarios=network.scenarios + (applied,))
    return net, problems


def apply_scenario(network: Network, scenario: Scenario) -> Network:
    """``network`` patched by ``scenario``: its ``add`` records appended, then each
    ``set`` in file order, then ``open``, then ``close``. The result's content hash is
    :func:`derived_hash` of the network's hash and the scenario's (``sha256:`` of the
    file's bytes), and ``scenarios`` gains the scenario. Pure: ``network`` is unchanged.

    Raises :class:`~corridor.format.scenario.ScenarioError` (with problems at file:line:col) when
    an id does not exist, is ambiguous, or an added id exists already. The semantic checks
    of the result are :func:`check_scenario`'s job.
    """
    net, problems = _apply(network, scenario, None)
    if problems:
        raise _error(scenario, network, sort_problems(problems))
    return net


def _error(sc: Scenario, network: Network, problems: list[Problem]) -> ScenarioError:
    n = sum(1 for p in problems if p.severity == "error")
    return ScenarioError(f"the scenario {printable(sc.path)} does not apply to the network "
                         f"'{printable(network.name)}': {n} error{'' if n == 1 else 's'}",
                         problems)


def check_scenario(network: Network, scenario: Scenario) -> list[Problem]:
    """Every problem of ``scenario`` against ``network``: unknown or ambiguous ids, added
    ids that exist already, and what the network checks (:mod:`corridor.format.checks`) find in
    the records the scenario adds or changes, reported at the scenario's lines. Sorted."""
    from corridor.format.checks import run_checks

    index = Index()
    index.update(scenario.index)
    alive: list[object] = []

    def hook(record: object, loc: Loc, value_loc: Loc | None, field_name: str | None) -> None:
        node = Map(loc.line, loc.col)
        if value_loc is not None and field_name is not None:
            node.items[field_name] = Scalar("", True, value_loc.line, value_loc.col)
        alive.append(record)
        index.add(record, loc.file, node, "")

    net, problems = _apply(network, scenario, hook)
    found = run_checks(net, index)
    problems.extend(p for p in found if p.file == scenario.path)
    return sort_problems(problems)


def scenario_path(path: str | os.PathLike[str]) -> str | os.PathLike[str]:
    """``path`` when it is a file; else, for a bare name such as ``torkham-closed``, the
    bundled scenario ``networks/scenarios/<name>.yaml``. Raises UsageError when neither
    exists (listing the bundled names)."""
    from pathlib import Path

    from corridor.errors import UsageError
    from corridor.format.network import bundled_networks_dir

    p = Path(path)
    if p.is_file():
        return path
    folder = bundled_networks_dir() / "scenarios"
    name = str(path)
    if "/" not in name and os.sep not in name:
        stem = name[:-5] if name.endswith(".yaml") else name
        candidate = folder / f"{stem}.yaml"
        if candidate.is_file():
            return candidate
    known = sorted(f.stem for f in folder.glob("*.yaml")) if folder.is_dir() else []
    hint = _suggest(name, known) or (f"; bundled scenarios: {', '.join(known)}" if known else "")
    raise UsageError(f"{printable(name)}: no such scenario file{hint}")


def with_scenarios(
    network: Network, paths: Sequence[str | os.PathLike[str]]
) -> Network:
    """``network`` with the scenario files at ``paths`` applied in order, each read,
    checked against the network as patched so far (:func:`check_scenario`) and applied.

    A path that is not a file may name a bundled scenario (:func:`scenario_path`).
    Raises :class:`~corridor.errors.UsageError` when a path is neither, and
    :class:`~corridor.format.scenario.ScenarioError` listing the problems of the first file that
    has errors (warnings do not stop it).
    """
    paths = [scenario_path(p) for p in paths]
    net = network
    for path in paths:
        got = load_scenario(path)
        if got.errors or got.scenario is None:
            n = len(got.errors)
            raise ScenarioError(f"the scenario {printable(str(path))} has {n} error"
                                f"{'' if n == 1 else 's'}; 'corridor validate "
                                f"{printable(str(path))}' lists every problem", got.problems)
        problems = check_scenario(net, got.scenario)
        if any(p.severity == "error" for p in problems):
            raise _error(got.scenario, net, problems)
        net = apply_scenario(net, got.scenario)
    return net

