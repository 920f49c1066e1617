"""``--format markdown``: the blocks of a table renderer as GitHub-flavoured Markdown.

For reports and ``$GITHUB_STEP_SUMMARY``: :class:`corridor.render.terminal.Heading` blocks
become ``###`` headings, tables pipe tables (numeric columns right-aligned, a cell's lines
joined by ``<br>``), header-less grids lists of ``**key**: value``, other text paragraphs.
Rules in ``docs/outputs.md``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, TextIO

from corridor.render.terminal import Heading, plain_text, write_text

__all__ = ["markdown_escape", "markdown_lines", "write_markdown"]

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|$~])")


def markdown_escape(text: str) -> str:
    """``text`` safe inside a Markdown table cell (GitHub flavour): the characters that
    format are backslash-escaped."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def _md_line(text: str) -> str:
    """A paragraph line: escaped, and a leading ``#``, ``-`` or ``+`` (heading, list)
    escaped too."""
    text = markdown_escape(text)
    return "\\" + text if text[:1] in ("#", "-", "+") else text


def _md_cell(cell: Any) -> str:
    lines = [markdown_escape(ln.strip()) for ln in plain_text(cell).split("\n")]
    return "<br>".join(ln for ln in lines if ln) or " "


def _md_table(table: Any) -> list[str]:
    from rich.text import Text

    lines: list[str] = []
    if table.title:
        title = table.title.plain if isinstance(table.title, Text) else str(table.title)
        lines += [f"**{markdown_escape(title)}**", ""]
    columns = table.columns
    rows = [[c for c in col.cells] for col in columns]
    n = max((len(r) for r in rows), default=0)
    if not table.show_header:
        for i in range(n):
            cells = [rows[j][i] for j in range(len(columns))]
            key = _md_cell(cells[0])
            rest = " · ".join(v for v in (_md_cell(c) for c in cells[1:]) if v.strip())
            lines.append(f"- **{key}**: {rest}" if key.strip() else f"- {rest}")
        return lines
    head = [_md_cell(col.header) for col in columns]
    align = {"right": "---:", "center": ":---:"}
    lines.append("| " + " | ".join(head) + " |")
    lines.append("| " + " | ".join(align.get(col.justify, "---") for col in columns) + " |")
    for i in range(n):
        lines.append("| " + " | ".join(_md_cell(rows[j][i]) for j in range(len(columns)))
                     + " |")
    return lines


def markdown_lines(blocks: Sequence[Any]) -> list[str]:
    """The Markdown lines of ``blocks``: headings as ``###``, tables as pipe tables (rows
    with several lines joined by ``<br>``), key-value grids as lists, text as paragraphs."""
    from rich.padding import Padding
    from rich.table import Table

    out: list[str] = []
    for block in blocks:
        while isinstance(block, Padding):
            block = block.renderable
        if isinstance(block, Table):
            part = _md_table(block)
        else:
            text = plain_text(block.text if isinstance(block, Heading) else block).strip()
            if not text:
                continue
            if isinstance(block, Heading):
                part = [f"### {markdown_escape(text)}"]
            else:
                part = ["  \n".join(_md_line(ln.strip()) for ln in text.split("\n"))]
        if out:
            out.append("")
        out.extend(part)
    return out


def write_markdown(blocks: Sequence[Any], out: TextIO) -> None:
    """Write ``blocks`` as GitHub-flavoured Markdown (for reports and
    ``$GITHUB_STEP_SUMMARY``)."""
    write_text("\n".join(markdown_lines(blocks)) + "\n", out)
