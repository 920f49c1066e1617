"""Pausing Python's cyclic garbage collector around bulk allocation."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["gc_paused"]


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block, then freeze what it made.

    Loading YAML, building the graph and decoding a cached network each make millions of
    small acyclic objects on large networks; the collector's passes over them are most of
    the cost (shared/PERF-FACTS.md: 1.9-3.2x). Nothing cyclic is made, so nothing leaks.

    After the block, :func:`gc.freeze` moves every object alive into the permanent
    generation: the objects the block made would otherwise be scanned by the next full
    collections all the same (2.3-4.5 s at 10^5 places, issue 14). Frozen objects are still
    freed by reference counting when released; only cyclic garbage among them would wait
    for :func:`gc.unfreeze`, and the records made here hold no cycles.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()
