"""Shell completion of place ids and names, from the network a command would use.

Completion runs on every press of Tab, so it stays light: it reads the network (from the
cache when it can) and looks only at its places; it never builds the routing graph or
imports networkx. Any failure completes nothing rather than printing an error into the
user's shell.
"""

from __future__ import annotations

import os

from corridor.textutil import fold

__all__ = ["place_completions", "MAX_COMPLETIONS"]

#: Candidates offered at most (a prefix of one letter on a large network stays usable).
MAX_COMPLETIONS = 100


def place_completions(
    network: str | os.PathLike[str] | None, incomplete: str, *, separator: str | None = None
) -> list[tuple[str, str]]:
    """``(value, help)`` pairs for places whose id, name or alias starts with
    ``incomplete`` (case and diacritics ignored): ids first (help: name and country), then
    names (help: id), each sorted, at most :data:`MAX_COMPLETIONS`. With ``separator``
    (e.g. ``","`` for ``--ports Karachi,Gw``) the last item is completed and the ones
    before it are kept in each value. ``network`` as for
    :func:`corridor.format.network.load_network`."""
    head = ""
    if separator and separator in incomplete:
        cut = incomplete.rindex(separator) + 1
        head, incomplete = incomplete[:cut], incomplete[cut:]
    try:
        from corridor.format.network import load_network

        places = load_network(network).places
    except Exception:  # noqa: BLE001 - completion must never fail loudly
        return []
    want = fold(incomplete)
    ids: list[tuple[str, str]] = []
    names: dict[str, str] = {}
    for p in places:
        if fold(p.id).startswith(want):
            ids.append((p.id, f"{p.name} ({p.country})"))
        for label in (p.name, *p.aliases):
            if fold(label).startswith(want) and fold(label) != fold(p.id):
                names.setdefault(label, p.id)
    out = sorted(ids) + sorted(names.items())
    return [(head + v, h) for v, h in out[:MAX_COMPLETIONS]]
