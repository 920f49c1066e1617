"""Pausing Python's cyclic garbage collector around bulk allocation."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["gc_paused"]


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block.

    Loading YAML, building the graph and unpickling a cached network each make millions of
    small acyclic objects on large networks; the collector's passes over them are most of
    the cost (shared/PERF-FACTS.md: 1.9-3.2x). Nothing cyclic is made, so nothing leaks.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
