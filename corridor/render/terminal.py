"""Writing text documents to any stream: width, trailing spaces, encodings.

Every table renderer builds a list of *blocks* (Rich renderables: :class:`Heading`, plain
``Text``, ``Table``, ``Padding``) and hands it to :func:`write_blocks` (``--format table``)
or to :func:`corridor.render.markdown.write_markdown` (``--format markdown``). The rules,
documented in ``docs/outputs.md``:

- **Width.** ``--width N`` (:func:`table_width`), else ``$COLUMNS``, else the terminal's
  width when the stream is a terminal, else *natural*: each table as wide as its content, no
  line folded. At a given width a column never gets narrower than its longest word, so text
  folds only at spaces and an identifier is never cut or folded; when even that does not
  fit, the line is longer than the width.
- **No trailing spaces** on any line.
- **Encodings.** A character the stream's encoding cannot show is replaced by an ASCII
  stand-in (``→`` by ``->``, ``—`` by ``-``, box lines by ``-``), letters lose their accents
  (``ā`` -> ``a``) and anything else becomes ``?``. Nothing raises ``UnicodeEncodeError``.

Light on purpose: Rich is imported inside the functions that draw.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import os
import re
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from rich.table import Table

__all__ = [
    "FALLBACKS",
    "Heading",
    "ascii_fallback",
    "encode_safe",
    "install_error_handler",
    "output_width",
    "table_width",
    "write_blocks",
    "write_text",
    "strip_trailing",
    "plain_text",
]

#: ASCII stand-ins for the symbols corridor prints.
FALLBACKS: dict[str, str] = {
    "→": "->", "←": "<-", "↔": "<->", "⇄": "<->", "·": "-", "×": "x", "Σ": "sum",
    "—": "-", "–": "-", "‒": "-", "−": "-", "…": "...", "★": "*", "✓": "ok", "✗": "x",
    "≤": "<=", "≥": ">=", "≈": "~", "°": " deg", "±": "+/-", "•": "*", "\u00a0": " ",
    "\u202f": " ", "‘": "'", "’": "'", "“": '"', "”": '"', "€": "EUR", "²": "2",
}

#: Set by ``--width N`` for the renderers called inside :func:`table_width`.
_WIDTH: ContextVar[int | None] = ContextVar("corridor_table_width", default=None)

#: Render width used for "natural" output: wide enough that nothing folds.
NATURAL = 100_000

ERROR_HANDLER = "corridor-fallback"


@contextmanager
def table_width(width: int | None) -> Iterator[None]:
    """Make table renderers called inside the block use ``width`` columns (None: the
    default rule, see :func:`output_width`)."""
    token = _WIDTH.set(width)
    try:
        yield
    finally:
        _WIDTH.reset(token)


def _is_terminal(out: TextIO) -> bool:
    try:
        return bool(out.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def output_width(out: TextIO) -> int | None:
    """Columns to lay tables out in for ``out``: ``--width``, else ``$COLUMNS`` (a positive
    integer), else the terminal's width when ``out`` is one, else None (natural width)."""
    forced = _WIDTH.get()
    if forced is not None:
        return max(forced, 1)
    env = os.environ.get("COLUMNS", "").strip()
    if env.isdigit() and int(env) > 0:
        return int(env)
    if _is_terminal(out):
        try:
            return os.get_terminal_size(out.fileno()).columns or 80
        except (AttributeError, ValueError, OSError):
            return 80
    return None


# --------------------------------------------------------------------------- encodings


def _needs_fallback(encoding: str | None) -> bool:
    if not encoding:
        return False
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return True
    return not name.startswith("utf")


def ascii_fallback(ch: str) -> str:
    """The stand-in for one character: from :data:`FALLBACKS`, box-drawing lines as ``-``
    ``|`` ``+``, a letter without its accents, else ``?``."""
    if ch in FALLBACKS:
        return FALLBACKS[ch]
    code = ord(ch)
    if 0x2500 <= code <= 0x257F:  # box drawing
        name = unicodedata.name(ch, "")
        if "HORIZONTAL" in name and "VERTICAL" not in name:
            return "=" if "DOUBLE" in name or "HEAVY" in name else "-"
        if "VERTICAL" in name and "HORIZONTAL" not in name:
            return "|"
        return "+"
    base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    if base and base.isascii():
        return base
    return "?"


def encode_safe(text: str, encoding: str | None) -> str:
    """``text`` with every character ``encoding`` cannot show replaced by its stand-in
    (unchanged for UTF encodings and for streams without an encoding)."""
    if not _needs_fallback(encoding):
        return text
    assert encoding is not None
    try:
        text.encode(encoding)
        return text
    except (UnicodeEncodeError, LookupError):
        pass
    out = []
    for ch in text:
        try:
            ch.encode(encoding)
            out.append(ch)
        except (UnicodeEncodeError, LookupError):
            sub = ascii_fallback(ch)
            try:
                sub.encode(encoding)
            except (UnicodeEncodeError, LookupError):
                sub = "?"
            out.append(sub)
    return "".join(out)


def _handler(err: UnicodeError) -> tuple[str, int]:
    if not isinstance(err, UnicodeEncodeError):
        raise err
    sub = "".join(ascii_fallback(ch) for ch in err.object[err.start:err.end])
    try:
        sub.encode(err.encoding)
    except (UnicodeEncodeError, LookupError):
        sub = "?" * (err.end - err.start)
    return sub, err.end


def install_error_handler(*streams: Any) -> None:
    """Register the ``corridor-fallback`` codec error handler and switch ``streams`` (text
    streams with a non-UTF encoding) to it, so that no write on them can raise
    ``UnicodeEncodeError``: the CLI's safety net for messages from any code."""
    codecs.register_error(ERROR_HANDLER, _handler)
    for s in streams:
        if _needs_fallback(getattr(s, "encoding", None)) and hasattr(s, "reconfigure"):
            with contextlib.suppress(ValueError, OSError, io.UnsupportedOperation):
                s.reconfigure(errors=ERROR_HANDLER)


_TRAIL = re.compile(r"(?:[ \t]|\x1b\[[0-9;]*m)+$")


def strip_trailing(text: str) -> str:
    """Remove trailing spaces from every line (keeping colour codes that follow them)."""

    def keep_codes(m: re.Match[str]) -> str:
        return "".join(re.findall(r"\x1b\[[0-9;]*m", m.group(0)))

    return "\n".join(_TRAIL.sub(keep_codes, line) if "\x1b" in line else line.rstrip(" \t")
                     for line in text.split("\n"))


def write_text(text: str, out: TextIO) -> None:
    """Write ``text`` to ``out``, characters its encoding cannot show replaced."""
    out.write(encode_safe(text, getattr(out, "encoding", None)))


# --------------------------------------------------------------------------- Rich


@dataclass(frozen=True)
class Heading:
    """A title line: bold in a terminal, a ``###`` heading in Markdown. ``text`` is a str
    or a Rich ``Text`` (kept with its styles)."""

    text: Any

    def renderable(self) -> Any:
        from rich.text import Text

        if isinstance(self.text, Text):
            t = self.text.copy()
            t.stylize("bold")
            return t
        return Text(str(self.text), style="bold")


def plain_text(cell: Any) -> str:
    """The text of a cell or header (a str or a Rich ``Text``), without styles."""
    from rich.text import Text

    if isinstance(cell, Text):
        return cell.plain
    return str(cell) if cell is not None else ""


def _extent(texts: Sequence[str]) -> tuple[int, int]:
    """(longest word, longest line) of ``texts``, in terminal cells."""
    from rich.cells import cell_len

    word = max((cell_len(w) for t in texts for w in t.split()), default=0)
    line = max((cell_len(ln) for t in texts for ln in t.split("\n")), default=0)
    return word, line


def _share(extra: int, weights: Sequence[int]) -> list[int]:
    """``extra`` split in proportion to ``weights`` (largest remainders first, then the
    earlier column), so that the parts add up exactly."""
    total = sum(weights)
    if total <= 0 or extra <= 0:
        return [0] * len(weights)
    raw = [extra * w / total for w in weights]
    parts = [int(r) for r in raw]
    order = sorted(range(len(weights)), key=lambda i: (-(raw[i] - parts[i]), i))
    for i in order[: extra - sum(parts)]:
        parts[i] += 1
    return parts


def _fill(extra: int, needs: Sequence[int]) -> list[int]:
    """``extra`` cells shared out by max-min fairness: a column that needs less than an
    equal share gets all it needs (so short columns do not fold); the columns left share
    the rest in proportion to their needs (:func:`_share`)."""
    alloc = [0] * len(needs)
    left = [i for i, n in enumerate(needs) if n > 0]
    while left and extra > 0:
        fair = extra / len(left)
        small = [i for i in left if needs[i] <= fair]
        if not small:
            for i, part in zip(left, _share(extra, [needs[i] for i in left]), strict=True):
                alloc[i] = part
            break
        for i in small:
            alloc[i] = needs[i]
            extra -= needs[i]
        left = [i for i in left if i not in small]
    return alloc


def fit_table(table: Table, width: int | None) -> int | None:
    """Lay ``table`` out in ``width`` columns (None: natural width) so that text folds only
    at spaces: every column is at least as wide as its longest word (its longest line if
    it is ``no_wrap``); when the table is
    wider than ``width``, each column gets its longest word plus a share of the remaining
    space (:func:`_fill`: columns that need little get all they need, the others share the
    rest in proportion to what their longest line needs). When even the words do not
    fit, the space between columns closes up (to two spaces, then one) and, as a last
    resort, the table is wider than ``width``. Returns the width to render the table at
    (``width``, or more in that last case)."""
    cols = table.columns
    if not cols:
        return width
    extents = [_extent([plain_text(c.header)] + [plain_text(x) for x in c.cells]) for c in cols]
    for col, (word, line) in zip(cols, extents, strict=True):
        col.overflow = "fold"
        least = line if col.no_wrap else word
        if col.min_width is None or col.min_width < least:
            col.min_width = least
    if width is None:
        return None
    mins = [max(line if c.no_wrap else word, c.min_width or 0)
            for c, (word, line) in zip(cols, extents, strict=True)]
    maxs = [max(line, m) for (_, line), m in zip(extents, mins, strict=True)]
    fixed = [c.width for c in cols]
    paddings = [table.padding] + ([(0, 0, 0, 1), (0, 0, 0, 0)] if table.show_header else [])
    for padding in paddings:
        table.padding = padding
        gaps = table._extra_width + sum(table._get_padding_width(i) for i in range(len(cols)))
        avail = width - gaps
        if sum(maxs) <= avail:
            return width
        if sum(mins) <= avail:
            slack = [mx - mn if f is None else 0
                     for mn, mx, f in zip(mins, maxs, fixed, strict=True)]
            for col, mn, add in zip(cols, mins, _fill(avail - sum(mins), slack), strict=True):
                if col.width is None:
                    col.width = mn + add
            return width
    for col, mn in zip(cols, mins, strict=True):
        if col.width is None:
            col.width = mn
    return gaps + sum(c.width or mn for c, mn in zip(cols, mins, strict=True))


def _safe_text(t: Any, encoding: str | None) -> Any:
    """A copy of the Rich ``Text`` ``t`` with its characters replaced by their stand-ins,
    styles kept (done before layout so that columns line up)."""
    from rich.text import Span, Text

    if not _needs_fallback(encoding) or encode_safe(t.plain, encoding) == t.plain:
        return t
    cuts = sorted({o for sp in t.spans for o in (sp.start, sp.end) if 0 < o < len(t)})
    out = Text(style=t.style, justify=t.justify, overflow=t.overflow, no_wrap=t.no_wrap,
               end=t.end)
    for piece in t.divide(cuts):
        plain = encode_safe(piece.plain, encoding)
        spans = [Span(0, len(plain), sp.style) for sp in piece.spans if sp.end > sp.start]
        out.append_text(Text(plain, spans=spans))
    return out


def _safe_cell(cell: Any, encoding: str | None) -> Any:
    from rich.text import Text

    if isinstance(cell, Text):
        return _safe_text(cell, encoding)
    if isinstance(cell, str):
        return encode_safe(cell, encoding)
    return cell


def _prepare(block: Any, encoding: str | None, width: int | None) -> tuple[Any, int | None]:
    """The renderable for ``block`` and the width to render it at: headings made Text,
    tables laid out by :func:`fit_table`, text put into ``encoding``."""
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    if isinstance(block, Heading):
        block = block.renderable()
    if isinstance(block, Text):
        return _safe_text(block, encoding), width
    if isinstance(block, Table):
        if _needs_fallback(encoding):
            if block.title is not None:
                block.title = _safe_cell(block.title, encoding)
            for col in block.columns:
                col.header = _safe_cell(col.header, encoding)
                col._cells = [_safe_cell(c, encoding) for c in col._cells]
        return block, fit_table(block, width)
    if isinstance(block, Padding):
        block.expand = False
        inner = None if width is None else width - block.left - block.right
        block.renderable, used = _prepare(block.renderable, encoding, inner)
        if used is not None and inner is not None and used > inner:
            width = used + block.left + block.right
    return block, width


def write_blocks(blocks: Sequence[Any], out: TextIO) -> None:
    """Render ``blocks`` with Rich and write them to ``out`` by the rules above (width,
    no trailing spaces, encoding fallback). Colour only when ``out`` is a terminal and
    ``NO_COLOR`` is unset."""
    from rich.console import Console

    width = output_width(out)
    buf = io.StringIO()
    encoding = getattr(out, "encoding", None)
    for block in blocks:
        block, used = _prepare(block, encoding, width)
        console = Console(
            file=buf,
            width=used or NATURAL,
            force_terminal=True if _is_terminal(out) else None,
            no_color=True if os.environ.get("NO_COLOR") else None,
            highlight=False,
            emoji=False,
            legacy_windows=False,
        )
        console.print(block, soft_wrap=width is None, crop=False)
    write_text(strip_trailing(buf.getvalue()), out)
