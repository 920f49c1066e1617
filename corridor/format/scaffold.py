"""``corridor init``: a copy of the bundled network to edit, in a folder of your own.

After a regular (non-editable) install the bundled network lives inside the installed
package, where edits are lost on upgrade and a checkout's ``networks/`` is not what the
installed ``corridor`` reads. :func:`init_network` copies it, with its README, into a new
folder; inside that folder every command finds it (:func:`corridor.format.network.find_network`).
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from corridor.errors import CorridorError, UsageError
from corridor.format.network import BUNDLED_NAME, MANIFEST_NAME, bundled_networks_dir

__all__ = ["InitResult", "init_network"]

_NOTE = (
    "<!-- Copied by `corridor init` from the bundled network. In this copy the files named\n"
    "     below as corridor/<file> are at the top of this folder (network.yaml, places.yaml,\n"
    "     links/...). Edit them, then run `corridor validate` here. -->\n\n"
)


@dataclass(frozen=True)
class InitResult:
    """The folder written, its manifest, and the files copied (relative, sorted)."""

    folder: Path
    manifest: Path
    files: tuple[str, ...]


def init_network(folder: str | os.PathLike[str]) -> InitResult:
    """Copy the bundled network (every file of ``networks/corridor/``) and its README
    (``networks/README.md``, as ``README.md`` with a note on the paths) into ``folder``.

    ``folder`` may be missing (it is created, with its parents) or an empty folder.
    Raises :class:`CorridorError` (exit 1) when it holds anything (nothing is written),
    and :class:`UsageError` (exit 2) when it is a file. Never overwrites a file.
    """
    target = Path(folder)
    if target.exists() and not target.is_dir():
        raise UsageError(f"{target}: exists and is not a folder")
    if target.is_dir() and any(target.iterdir()):
        raise CorridorError(f"{target}: the folder is not empty; corridor init writes only "
                            "into a new or empty folder (nothing was written)")
    source = bundled_networks_dir() / BUNDLED_NAME
    files = sorted(p for p in source.rglob("*")
                   if p.is_file() and "__pycache__" not in p.parts)
    copied: list[str] = []
    try:
        target.mkdir(parents=True, exist_ok=True)
        for src in files:
            rel = src.relative_to(source)
            dst = target / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            with open(src, "rb") as fin, open(dst, "xb") as fout:
                shutil.copyfileobj(fin, fout)
            copied.append(rel.as_posix())
        readme = bundled_networks_dir() / "README.md"
        if readme.is_file() and not (target / "README.md").exists():
            with open(target / "README.md", "x", encoding="utf-8") as fh:
                fh.write(_NOTE + readme.read_text(encoding="utf-8"))
            copied.append("README.md")
    except OSError as err:
        raise CorridorError(f"{target}: cannot write the network: {err.strerror or err}") \
            from err
    return InitResult(target, target / MANIFEST_NAME, tuple(sorted(copied)))
