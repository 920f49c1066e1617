"""Renderers of a network diff (:class:`corridor.analysis.diff.NetworkDiff`), keyed by ``--format``:
text, json and markdown (for ``$GITHUB_STEP_SUMMARY`` and pull-request comments).

All three are plain strings built from the same records; the JSON shape is documented in
``docs/diff.md``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

from corridor.analysis.diff import Answer, Figures, NetworkDiff, RecordChange
from corridor.render.common import Registry, rnd, usd
from corridor.textutil import printable

__all__ = ["DIFF_FORMATS", "diff_dict", "render_diff"]

DIFF_FORMATS: Registry[Callable[[NetworkDiff], str]] = Registry("diff")

#: Field changes shown per record in text and Markdown (JSON lists all).
MAX_FIELDS_SHOWN = 12


def _value(v: Any) -> str:
    if v is None:
        return "-"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return f"{v:g}"
    if isinstance(v, list):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    return printable(str(v))


def _days(hours: float | None) -> str:
    return "-" if hours is None else f"{hours / 24:.1f} d"


def _signed_days(h: float | None) -> str:
    return "" if h is None else f"{h / 24:+.1f} d"


def _signed_usd(c: float | None) -> str:
    if c is None:
        return ""
    return ("+" if c >= 0 else "-") + "$" + usd(abs(c))


def _money(c: float | None) -> str:
    return "-" if c is None else "$" + usd(c)


def _pct(a: Answer) -> str:
    r = a.relative_change()
    if math.isinf(r):
        return "n/a"
    return f"{r * 100:.1f}%"


def _answer_cells(a: Answer) -> list[str]:
    """before, after, change, best changed."""
    names = {p.port: p.name for p in a.ports}

    def side(f: Figures, best: str | None) -> str:
        if f.error is not None:
            return "no answer"
        lead = f"{names.get(best, best)}: " if a.kind == "compare" and best else ""
        return f"{lead}{_days(f.hours)}, {_money(f.cost_usd)}"

    if a.old.error is None and a.new.error is None:
        change = f"{_signed_days(a.change_hours)}, {_signed_usd(a.change_cost_usd)}"
    else:
        change = "answer appears" if a.old.error is not None and a.new.error is None else (
            "answer lost" if a.new.error is not None and a.old.error is None else "-")
    best = "yes" if a.best_changed else "no"
    if a.kind == "compare" and a.best_changed:
        old_best = names.get(a.old_best or "", a.old_best or "-")
        new_best = names.get(a.new_best or "", a.new_best or "-")
        best = f"yes ({old_best} -> {new_best})"
    return [side(a.old, a.old_best), side(a.new, a.new_best), change, best]


def _summary(d: NetworkDiff) -> str:
    c = d.counts
    moved = sum(1 for a in d.answers if a.best_changed)
    return (f"{c['added']} added, {c['removed']} removed, {c['changed']} changed records; "
            f"{len(d.answers)} watched questions, best changed in {moved}")


def _fields_text(r: RecordChange, indent: str) -> list[str]:
    lines = []
    shown = r.fields if r.status == "changed" else ()
    for f in shown[:MAX_FIELDS_SHOWN]:
        lines.append(f"{indent}{printable(f.path)}: {_value(f.old)} -> {_value(f.new)}")
    if len(shown) > MAX_FIELDS_SHOWN:
        lines.append(f"{indent}... and {len(shown) - MAX_FIELDS_SHOWN} more fields")
    return lines


_MARK = {"added": "+", "removed": "-", "changed": "~"}


@DIFF_FORMATS.register("text")
def render_text(d: NetworkDiff) -> str:
    out = [f"old: {printable(d.old.manifest)} ({d.old.name}, {d.old.content_hash[:19]})",
           f"new: {printable(d.new.manifest)} ({d.new.name}, {d.new.content_hash[:19]})", ""]
    out.append("Records")
    if not d.records:
        out.append("  no record changed")
    for r in d.records:
        where = f"  [{printable(r.where)}]" if r.where else ""
        out.append(f"  {_MARK[r.status]} {r.kind} {printable(r.id)} {r.status}{where}")
        out.extend(_fields_text(r, "      "))
    out.append("")
    src = printable(d.watch_source) if d.watch_source else "default set"
    out.append(f"Watched questions ({src})")
    if not d.answers:
        out.append("  none")
    for a in d.answers:
        before, after, change, best = _answer_cells(a)
        out.append(f"  {printable(a.label)}")
        out.append(f"      before {before}; after {after}; change {change}; "
                   f"best changed: {best}")
    out.append("")
    out.append(_summary(d))
    out.extend(f"failed: {b}" for b in d.broken)
    return "\n".join(out) + "\n"


def _md(s: str) -> str:
    return printable(s).replace("|", "\\|")


def _answer_table(answers: list[Answer]) -> list[str]:
    out = ["| question | before | after | change | best changed |",
           "| --- | --- | --- | --- | --- |"]
    for a in answers:
        cells = [_md(a.label), *(_md(c) for c in _answer_cells(a))]
        if a.best_changed:
            cells[0] = f"**{cells[0]}**"
        out.append("| " + " | ".join(cells) + " |")
    return out


@DIFF_FORMATS.register("markdown")
def render_markdown(d: NetworkDiff) -> str:
    out = ["## corridor diff", ""]
    out.append(f"`{_md(d.old.manifest)}` ({_md(d.old.name)}, `{d.old.content_hash[:19]}`) "
               f"→ `{_md(d.new.manifest)}` ({_md(d.new.name)}, `{d.new.content_hash[:19]}`)")
    out.append("")
    out.append(f"**{_summary(d)}**")
    for b in d.broken:
        out.append("")
        out.append(f"> **Failed:** {_md(b)}")
    out += ["", "### Watched questions", ""]
    src = f"`{_md(d.watch_source)}`" if d.watch_source else "the default set"
    out.append(f"Questions from {src}.")
    out.append("")
    moved = [a for a in d.answers if a.best_changed or a.relative_change() > 0]
    still = [a for a in d.answers if a not in moved]
    if moved:
        out.extend(_answer_table(moved))
    elif d.answers:
        out.append("No watched answer moved.")
    else:
        out.append("No watched question.")
    if still:
        out += ["", f"<details><summary>{len(still)} unchanged</summary>", ""]
        out.extend(_answer_table(still))
        out += ["", "</details>"]
    out += ["", "### Records", ""]
    if not d.records:
        out.append("No record changed.")
    else:
        out.append("| | kind | id | field | old | new |")
        out.append("| --- | --- | --- | --- | --- | --- |")
        for r in d.records:
            first = f"| {_MARK[r.status]} | {r.kind} | `{_md(r.id)}` |"
            if r.status != "changed":
                out.append(f"{first} *{r.status}* | | |")
                continue
            for i, f in enumerate(r.fields[:MAX_FIELDS_SHOWN]):
                lead = first if i == 0 else "| | | |"
                out.append(f"{lead} {_md(f.path)} | {_md(_value(f.old))} | "
                           f"{_md(_value(f.new))} |")
            if len(r.fields) > MAX_FIELDS_SHOWN:
                out.append(f"| | | | … {len(r.fields) - MAX_FIELDS_SHOWN} more fields | | |")
    return "\n".join(out) + "\n"


def _figures(f: Figures) -> dict[str, Any]:
    return {"hours": rnd(f.hours, 2), "cost_usd": rnd(f.cost_usd, 2),
            "distance_km": rnd(f.distance_km, 1), "route": list(f.route), "error": f.error}


def _question(a: Answer) -> dict[str, Any]:
    q = a.question
    out: dict[str, Any] = {"from": q.origin}
    if a.kind == "route":
        out["to"] = q.destination  # type: ignore[union-attr]
        out["via"] = list(q.via)  # type: ignore[union-attr]
    else:
        out["ports"] = list(q.ports)  # type: ignore[union-attr]
    out.update(by=q.objective, modes=list(q.modes), avoid=list(q.avoid),
               include_planned=q.include_planned)
    return out


def _answer(a: Answer) -> dict[str, Any]:
    rel = a.relative_change()
    out: dict[str, Any] = {
        "kind": a.kind, "label": a.label, "question": _question(a),
        "old": _figures(a.old), "new": _figures(a.new),
        "change": {"hours": rnd(a.change_hours, 2), "cost_usd": rnd(a.change_cost_usd, 2),
                   "relative": None if math.isinf(rel) else rnd(rel, 4)},
        "best_changed": a.best_changed,
    }
    if a.kind == "compare":
        out["old_best"] = a.old_best
        out["new_best"] = a.new_best
        out["ports"] = [{"id": p.port, "name": p.name, "old_rank": p.old_rank,
                         "new_rank": p.new_rank, "old": _figures(p.old),
                         "new": _figures(p.new)} for p in a.ports]
    return out


def diff_dict(d: NetworkDiff) -> dict[str, Any]:
    def side(s: Any) -> dict[str, Any]:
        return {"name": s.name, "content_hash": s.content_hash, "manifest": s.manifest}

    return {
        "ok": not d.broken,
        "summary": {**d.counts, "questions": len(d.answers),
                    "best_changed": sum(1 for a in d.answers if a.best_changed)},
        "failed": list(d.broken),
        "thresholds": {"fail_if_best_changes": d.thresholds.fail_if_best_changes,
                       "max_change": d.thresholds.max_change},
        "records": [{"kind": r.kind, "id": r.id, "status": r.status, "where": r.where,
                     "fields": [{"path": f.path, "old": f.old, "new": f.new}
                                for f in r.fields]} for r in d.records],
        "watch": d.watch_source,
        "answers": [_answer(a) for a in d.answers],
        "provenance": {"old": side(d.old), "new": side(d.new),
                       "tool": {"name": "corridor", "version": d.tool_version}},
    }


@DIFF_FORMATS.register("json")
def render_json(d: NetworkDiff) -> str:
    return json.dumps(diff_dict(d), indent=2, ensure_ascii=False) + "\n"


def render_diff(d: NetworkDiff, fmt: str) -> str:
    return DIFF_FORMATS.get(fmt)(d)
