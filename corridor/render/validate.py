"""Renderers of a validation report, keyed by ``--format``: text, json, github, sarif.

Each renderer returns either a string (machine formats, printed as is) or a Rich
renderable (text). A flood of problems is cut at ``max_problems`` (0: no limit) and the
rest summarized by code, so a broken file cannot print without end.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from typing import Any

from corridor.format.problems import CODES, Problem
from corridor.format.validate import ValidationReport
from corridor.textutil import printable

__all__ = ["RENDERERS", "render", "render_step_summary", "DEFAULT_MAX_PROBLEMS"]

DEFAULT_MAX_PROBLEMS = 200
DOCS_URI = "https://github.com/corridor-routing/corridor/blob/main/docs/error-codes.md"


def _version() -> str:
    import corridor

    return corridor.__version__


def _shown(report: ValidationReport, max_problems: int) -> tuple[tuple[Problem, ...], int]:
    probs = report.problems
    if max_problems and len(probs) > max_problems:
        return probs[:max_problems], len(probs) - max_problems
    return probs, 0


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _summary_text(report: ValidationReport, strict: bool) -> str:
    e, w = report.error_count, report.warning_count
    n_files = len(report.files)
    nets = ", ".join(f"{printable(n.name)}: {printable(n.manifest)}"
                     for n in report.networks) or "no network"
    verdict = "failed" if report.failed(strict=strict) else "ok"
    strict_note = " (--strict: warnings fail)" if strict and w else ""
    return (f"{verdict}: {_plural(e, 'error')}, {_plural(w, 'warning')} in "
            f"{_plural(n_files, 'file')} ({nets}){strict_note}")


def render_text(report: ValidationReport, *, strict: bool = False,
                max_problems: int = DEFAULT_MAX_PROBLEMS) -> Any:
    from rich.console import Group
    from rich.text import Text

    shown, hidden = _shown(report, max_problems)
    parts: list[Any] = []
    current = None
    for p in shown:
        if p.file != current:
            if current is not None:
                parts.append(Text(""))
            current = p.file
            parts.append(Text(printable(p.file), style="bold underline"))
        style = "red" if p.severity == "error" else "yellow"
        line = Text()
        line.append(f"{printable(p.file)}:{p.line}:{p.col}: ")
        line.append(p.code, style=f"bold {style}")
        line.append(f" {printable(p.message)}")
        parts.append(line)
    if hidden:
        rest = Counter(p.code for p in report.problems[len(shown):])
        by_code = ", ".join(f"{c} x{n}" for c, n in sorted(rest.items()))
        parts.append(Text(""))
        parts.append(Text(f"... and {hidden} more problems not shown ({by_code}); "
                          "use --max-problems 0 to show all", style="dim"))
    if parts:
        parts.append(Text(""))
    failed = report.failed(strict=strict)
    parts.append(Text(_summary_text(report, strict),
                      style="bold red" if failed else "bold green"))
    return Group(*parts)


def report_dict(report: ValidationReport, *, strict: bool = False,
                max_problems: int = DEFAULT_MAX_PROBLEMS) -> dict[str, Any]:
    shown, hidden = _shown(report, max_problems)
    by_code = Counter(p.code for p in report.problems)
    return {
        "tool": {"name": "corridor", "version": _version()},
        "ok": not report.failed(strict=strict),
        "strict": strict,
        "summary": {
            "errors": report.error_count,
            "warnings": report.warning_count,
            "files": len(report.files),
            "by_code": dict(sorted(by_code.items())),
        },
        "networks": [
            {"name": n.name, "manifest": n.manifest, "files": list(n.files),
             "content_hash": n.content_hash}
            for n in report.networks
        ],
        "files": list(report.files),
        "problems": [p.as_dict() for p in shown],
        "truncated": hidden,
    }


def render_json(report: ValidationReport, *, strict: bool = False,
                max_problems: int = DEFAULT_MAX_PROBLEMS) -> str:
    return json.dumps(report_dict(report, strict=strict, max_problems=max_problems),
                      indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def _gh_data(s: str) -> str:
    """A workflow command's message: control characters shown as escapes (``printable``),
    then GitHub's own escaping of ``%``, CR and LF."""
    return printable(s).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(s: str) -> str:
    """A workflow command's property value (file, title): as a message, and ``:``, ``,``."""
    return _gh_data(s).replace(":", "%3A").replace(",", "%2C")


def render_github(report: ValidationReport, *, strict: bool = False,
                  max_problems: int = DEFAULT_MAX_PROBLEMS) -> str:
    """GitHub Actions workflow commands, one annotation per problem."""
    shown, hidden = _shown(report, max_problems)
    lines = []
    for p in shown:
        level = "error" if p.severity == "error" or strict else "warning"
        props = [f"file={_gh_prop(p.file)}"]
        if p.line:
            props += [f"line={p.line}", f"col={p.col}"]
        props.append(f"title={_gh_prop(p.code + ' ' + CODES[p.code].title)}")
        lines.append(f"::{level} {','.join(props)}::{_gh_data(p.message)}")
    if hidden:
        lines.append(f"::warning title=corridor::{hidden} more problems not shown")
    lines.append(_summary_text(report, strict))
    return "\n".join(lines) + "\n"


def render_sarif(report: ValidationReport, *, strict: bool = False,
                 max_problems: int = DEFAULT_MAX_PROBLEMS) -> str:
    """SARIF 2.1.0, for code-scanning dashboards."""
    shown, _ = _shown(report, max_problems)
    used = sorted({p.code for p in report.problems})
    rule_index = {code: i for i, code in enumerate(used)}
    rules = [
        {
            "id": code,
            "name": CODES[code].title.title().replace(" ", ""),
            "shortDescription": {"text": CODES[code].title},
            "helpUri": f"{DOCS_URI}#{code.lower()}",
            "defaultConfiguration": {"level": CODES[code].severity},
        }
        for code in used
    ]
    results = []
    for p in shown:
        location: dict[str, Any] = {"artifactLocation": {"uri": p.file.replace("\\", "/")}}
        if p.line:
            location["region"] = {"startLine": p.line, "startColumn": max(p.col, 1)}
        results.append({
            "ruleId": p.code,
            "ruleIndex": rule_index[p.code],
            "level": "error" if p.severity == "error" or strict else "warning",
            "message": {"text": p.message},
            "locations": [{"physicalLocation": location}],
        })
    sarif = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "corridor", "version": _version(),
                                "informationUri": DOCS_URI, "rules": rules}},
            "results": results,
        }],
    }
    return json.dumps(sarif, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


#: Problems listed in the step summary (the annotations carry all of them).
SUMMARY_PROBLEMS = 20


def _md_cell(s: str) -> str:
    return printable(s).replace("|", "\\|")


def render_step_summary(report: ValidationReport, *, strict: bool = False) -> str:
    """A short Markdown summary for ``$GITHUB_STEP_SUMMARY``: the verdict, the networks
    with their manifests, the count of each code, and the first problems."""
    failed = report.failed(strict=strict)
    lines = [f"### corridor validate: {'failed' if failed else 'ok'}", "",
             _md_cell(_summary_text(report, strict)), ""]
    if report.networks:
        lines += ["| network | manifest | content hash |", "| --- | --- | --- |"]
        lines += [f"| {_md_cell(n.name)} | `{_md_cell(n.manifest)}` | `{n.content_hash[:19]}` |"
                  for n in report.networks]
        lines.append("")
    if report.problems:
        by_code = Counter(p.code for p in report.problems)
        lines += ["| code | severity | count | meaning |", "| --- | --- | --- | --- |"]
        lines += [f"| {c} | {CODES[c].severity} | {n} | {CODES[c].title} |"
                  for c, n in sorted(by_code.items())]
        lines.append("")
        shown = report.problems[:SUMMARY_PROBLEMS]
        lines += [f"- `{_md_cell(p.file)}:{p.line}:{p.col}` {p.code} {_md_cell(p.message)}"
                  for p in shown]
        if len(report.problems) > len(shown):
            lines.append(f"- ... and {len(report.problems) - len(shown)} more "
                         "(see the annotations)")
        lines.append("")
    return "\n".join(lines) + "\n"


RENDERERS: dict[str, Callable[..., Any]] = {
    "text": render_text,
    "json": render_json,
    "github": render_github,
    "sarif": render_sarif,
}


def render(fmt: str, report: ValidationReport, *, strict: bool = False,
           max_problems: int = DEFAULT_MAX_PROBLEMS) -> Any:
    return RENDERERS[fmt](report, strict=strict, max_problems=max_problems)
