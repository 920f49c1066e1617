"""Small text helpers shared by the loader, the checks and the renderers."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable

__all__ = ["printable", "did_you_mean", "fold"]


def printable(text: str) -> str:
    """Escape control and other non-printable characters so that data or file names can
    never move the cursor, ring the bell or forge lines in a terminal or a CI log."""
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if ch.isprintable() or ch == " ":
            out.append(ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        else:
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
    return "".join(out)


def fold(text: str) -> str:
    """Case- and diacritic-insensitive key: ``"Mazār-i-Sharīf"`` -> ``"mazar-i-sharif"``."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def did_you_mean(word: str, choices: Iterable[str], n: int = 3, cutoff: float = 0.6) -> list[str]:
    """The closest ``choices`` to ``word`` (best first), compared case-insensitively."""
    by_key: dict[str, str] = {}
    for c in choices:
        by_key.setdefault(fold(c), c)
    hits = difflib.get_close_matches(fold(word), list(by_key), n=n, cutoff=cutoff)
    return [by_key[h] for h in hits]
