"""Small text helpers shared by the loader, the checks and the renderers."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable

__all__ = ["printable", "did_you_mean", "fold", "clip", "Suggester", "CLIP_CHARS"]

#: A value quoted in a message is cut to this many characters (see :func:`clip`).
CLIP_CHARS = 80


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


def clip(text: str, limit: int = CLIP_CHARS) -> str:
    """``text`` cut to ``limit`` characters for quoting in a message: a 10 MiB value is
    never repeated in full. ``"aaaa…(10,485,760 characters)"``."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}…({len(text):,} characters)"


def did_you_mean(word: str, choices: Iterable[str], n: int = 3, cutoff: float = 0.6) -> list[str]:
    """The closest ``choices`` to ``word`` (best first), compared case-insensitively.

    For one question. Many questions against the same choices go through one
    :class:`Suggester`, which prepares the choices once."""
    return Suggester(choices, cutoff=cutoff)(word, n=n)


class Suggester:
    """"Did you mean" for many words against one fixed set of choices, with bounded work.

    The choices are folded once and grouped by length. A candidate is scored (difflib's
    ratio, as :func:`difflib.get_close_matches`) only if its length allows a ratio of
    ``cutoff`` at all (``2 * min(a, b) / (a + b) >= cutoff``); per word at most
    ``max_candidates`` of those are scored (nearest in length first; at each length, those
    that start with the word's first character first), and over the life of the suggester
    at most ``budget`` in all: once it is spent, later words get no suggestion. Repeated
    words are answered from a cache. So thousands of unknown references cost a bounded
    amount of work, not their number times the number of choices. The result depends only
    on the words, their order and the choices (no clock).
    """

    def __init__(self, choices: Iterable[str], *, cutoff: float = 0.6,
                 max_candidates: int = 1_000, budget: int = 100_000,
                 max_word: int = 200) -> None:
        self.cutoff = cutoff
        self.max_candidates = max_candidates
        self.budget = budget
        self.max_word = max_word
        self._by_key: dict[str, str] = {}
        for c in choices:
            self._by_key.setdefault(fold(c), c)
        by_len: dict[int, tuple[dict[str, list[str]], list[str]]] = {}
        for key in sorted(self._by_key):
            firsts, every = by_len.setdefault(len(key), ({}, []))
            firsts.setdefault(key[:1], []).append(key)
            every.append(key)
        self._by_len = by_len
        self._cache: dict[tuple[str, int], list[str]] = {}

    def _candidates(self, key: str, cap: int) -> list[str]:
        size = len(key)
        c = self.cutoff
        lo = int(size * c / (2 - c)) if c > 0 else 0
        hi = int(size * (2 - c) / c) + 1 if c > 0 else max(self._by_len, default=0)
        first = key[:1]
        out: list[str] = []
        # Nearest lengths first: size, size+1, size-1, size+2, ...
        for delta in range(0, max(size - lo, hi - size) + 1):
            for length in ((size,) if delta == 0 else (size + delta, size - delta)):
                if not lo <= length <= hi or length not in self._by_len:
                    continue
                firsts, every = self._by_len[length]
                same = firsts.get(first, [])
                out.extend(same)
                if len(out) < cap:
                    out.extend(k for k in every if k[:1] != first)
            if len(out) >= cap:
                return out[:cap]
        return out

    def __call__(self, word: str, n: int = 3) -> list[str]:
        """The closest choices to ``word``, best first (at most ``n``)."""
        if len(word) > 4 * self.max_word:
            return []
        key = fold(word)
        if len(key) > self.max_word or not key:
            return []
        got = self._cache.get((key, n))
        if got is None:
            cap = min(self.max_candidates, self.budget)
            if cap <= 0:
                return []
            cands = self._candidates(key, cap)
            self.budget -= len(cands)
            hits = difflib.get_close_matches(key, cands, n=n, cutoff=self.cutoff)
            got = [self._by_key[h] for h in hits]
            self._cache[(key, n)] = got
        return got
