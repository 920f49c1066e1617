"""Loading a network's files: the manifest, its includes, typing by the schema, the checks.

The implementation behind :func:`corridor.format.network.load` and
:func:`corridor.format.network.load_fragment`. It lives apart from
:mod:`corridor.format.network` so that a query whose network comes from the cache
(:mod:`corridor.format.cache`) never imports the YAML machinery.
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corridor.engine.gcutil import gc_paused
from corridor.format.build import _INVALID, Builder, Index
from corridor.format.network import _display, resolve_manifest
from corridor.format.problems import Problem, problem, sort_problems
from corridor.format.spec import FORMAT_VERSION, FRAGMENT, MANIFEST, SECTIONS
from corridor.format.yamlsafe import (
    DEFAULT_LIMITS,
    Limits,
    Map,
    Node,
    Seq,
    describe_empty,
    load_file,
)
from corridor.model import Network
from corridor.textutil import clip

__all__ = ["LoadResult", "load", "load_fragment"]


@dataclass
class LoadResult:
    """A network as far as it could be built, with every problem found and an index of
    where each record was written."""

    network: Network | None
    problems: list[Problem]
    index: Index
    files: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def _has_glob(pattern: str) -> bool:
    return any(c in pattern for c in "*?[")


def load(
    manifest: str | os.PathLike[str] | None = None,
    *,
    limits: Limits = DEFAULT_LIMITS,
    checks: bool = True,
) -> LoadResult:
    """Load the network whose manifest (or folder) is ``manifest``; never raises for bad
    data. With ``checks`` the semantic checks run too (see :mod:`corridor.format.checks`)."""
    mpath = resolve_manifest(manifest)
    with gc_paused():
        result = _load(mpath, limits)
    if checks and result.network is not None:
        from corridor.format.checks import run_checks

        result.problems.extend(run_checks(result.network, result.index))
    result.problems = sort_problems(result.problems)
    return result


def _load(mpath: Path, limits: Limits) -> LoadResult:
    problems: list[Problem] = []
    index = Index()
    mdisplay = _display(mpath)
    root, raw, more = load_file(mpath, mdisplay, limits)
    problems.extend(more)
    files = [mdisplay]
    if root is None:
        if not more:
            problems.append(problem("E015", f"{describe_empty(raw)}; a network manifest needs "
                                    "format_version, name, currency, price_year and defaults",
                                    mdisplay, 1, 1))
        return LoadResult(None, problems, index, files)
    if not isinstance(root, Map) or "format_version" not in root.items:
        problems.append(problem("E015", f"not a network manifest (no format_version); "
                                f"a manifest is a mapping with format_version: {FORMAT_VERSION}",
                                mdisplay, root.line, root.col))
        return LoadResult(None, problems, index, files)
    b = Builder(mdisplay, problems, index)
    got = b.fields(root, MANIFEST, "")
    if got is _INVALID:
        return LoadResult(None, problems, index, files)
    values, _, _ = got
    if values["format_version"] != FORMAT_VERSION:
        node = root.items["format_version"]
        problems.append(problem("E109", f"format_version {values['format_version']} is not "
                                f"supported; this corridor reads version {FORMAT_VERSION}",
                                mdisplay, node.line, node.col, "format_version"))
        return LoadResult(None, problems, index, files)

    sections: dict[str, list[Any]] = {name: [] for name in SECTIONS}
    _collect(b, values, sections)
    hashes = [(mpath.name, raw or b"")]

    folder = mpath.parent.resolve()
    seen = {mpath.resolve()}
    include_node = root.items.get("include")
    for i, pattern in enumerate(values.get("include", ())):
        assert isinstance(include_node, Seq)
        item = include_node.items[i]
        where = (mdisplay, item.line, item.col, f"include[{i}]")
        for target, display in _expand(pattern, mpath, folder, where, problems):
            try:
                real = target.resolve()
            except (OSError, RuntimeError):
                problems.append(problem("E012", f"include '{clip(pattern)}': symbolic link loop",
                                        *where))
                continue
            if real in seen:
                problems.append(problem("E011", f"include '{clip(pattern)}': {display} is read "
                                        "already (included twice, or the manifest itself)",
                                        *where))
                continue
            seen.add(real)
            froot, fraw, fmore = load_file(target, display, limits)
            problems.extend(fmore)
            files.append(display)
            hashes.append((str(real.relative_to(folder)), fraw or b""))
            if froot is None:
                if not fmore:
                    problems.append(problem("W016", f"{describe_empty(fraw)}; it holds no "
                                            "records", display, 1, 1))
                continue
            fb = Builder(display, problems, index)
            fgot = fb.fields(froot, FRAGMENT, "")
            if fgot is not _INVALID:
                if not fmore and not any(_has_items(froot, n) for n in SECTIONS):
                    problems.append(problem(
                        "W016", "this file holds no records (no places, links, crossings, "
                        "terminals or sources)", display, froot.line, froot.col))
                _collect(fb, fgot[0], sections)

    defaults = b.defaults(values["defaults"])
    digest = hashlib.sha256()
    for name, data in sorted(hashes):
        digest.update(name.encode("utf-8") + b"\0" + str(len(data)).encode() + b"\0" + data)
    network = Network(
        name=values["name"], format_version=values["format_version"],
        currency=values["currency"], price_year=values["price_year"], defaults=defaults,
        places=tuple(sections["places"]), links=tuple(sections["links"]),
        crossings=tuple(sections["crossings"]), terminals=tuple(sections["terminals"]),
        sources=tuple(sections["sources"]), projects=tuple(sections["projects"]),
        title=values.get("title"),
        description=values.get("description"), manifest=mdisplay, files=tuple(files),
        content_hash="sha256:" + digest.hexdigest(),
        loc=None,
    )
    return LoadResult(network, problems, index, files)


def _has_items(root: Node, section: str) -> bool:
    """Whether ``root`` has a non-empty list under ``section`` (valid or not)."""
    node = root.items.get(section) if isinstance(root, Map) else None
    return isinstance(node, Seq) and bool(node.items)


def _collect(b: Builder, values: dict[str, Any], sections: dict[str, list[Any]]) -> None:
    make = {"places": b.place, "links": b.link, "crossings": b.crossing,
            "terminals": b.terminal, "sources": b.source, "projects": b.project}
    for name in SECTIONS:
        for got in values.get(name, ()):
            sections[name].append(make[name](got))


def _expand(
    pattern: str, mpath: Path, folder: Path, where: tuple[str, int, int, str],
    problems: list[Problem],
) -> list[tuple[Path, str]]:
    """The files an include pattern names, in sorted order, each inside ``folder``."""
    base = mpath.parent
    if os.path.isabs(pattern):
        problems.append(problem("E010", f"include '{clip(pattern)}' is an absolute path; includes "
                                "are relative to the manifest", *where))
        return []
    if _has_glob(pattern) and ".." in pattern.replace("\\", "/").split("/"):
        problems.append(problem("E010", f"include '{clip(pattern)}' points outside the "
                                "network folder ('..')", *where))
        return []
    if _has_glob(pattern):
        matches = glob_files(base, pattern)
        if not matches:
            problems.append(problem("E009", f"include '{clip(pattern)}' matches no file", *where))
            return []
        candidates = [base / m for m in matches]
    else:
        candidates = [base / pattern]
    out = []
    for c in candidates:
        try:
            inside = c.resolve().is_relative_to(folder)
        except (OSError, RuntimeError):
            inside = True  # the loop is reported when the file is read
        if not inside:
            problems.append(problem("E010", f"include '{clip(pattern)}' points outside the network "
                                    f"folder ({_display(c)})", *where))
            continue
        if _has_glob(pattern) and c.is_dir():
            continue
        out.append((c, _display(c)))
    return out


def glob_files(base: Path, pattern: str) -> list[str]:
    """The paths below ``base`` (relative, '/'-separated, sorted) that ``pattern`` matches,
    directories left out.

    Matching is by path segment, relative to ``base``, so glob characters in ``base``'s own
    name (``nets[2024]``) are never read as a pattern. A segment is matched with
    :func:`fnmatch.fnmatchcase` (``*``, ``?``, ``[...]``); a name that starts with ``.`` is
    matched only by a segment that starts with ``.``; ``**`` matches zero or more whole
    directories and does not enter symbolic links to directories, so a link loop can
    neither hang the walk nor match the same file under endless names. A link named by a
    plain segment (``links/*.yaml`` where ``links`` is a link) is followed as usual.
    """
    segments = [seg for seg in pattern.replace("\\", "/").split("/") if seg not in ("", ".")]
    found: set[str] = set()
    # Each state: (directory relative to base as a tuple of names, index of next segment).
    stack: list[tuple[tuple[str, ...], int]] = [((), 0)]
    seen: set[tuple[tuple[str, ...], int]] = set()
    while stack:
        rel, i = stack.pop()
        if (rel, i) in seen:
            continue
        seen.add((rel, i))
        seg = segments[i]
        last = i == len(segments) - 1
        try:
            with os.scandir(base.joinpath(*rel)) as it:
                entries = sorted((e.name, e) for e in it)
        except OSError:
            continue
        if seg == "**":
            if last:
                found.update("/".join((*rel, name)) for name, e in entries
                             if not name.startswith(".") and not _is_dir(e))
            else:
                stack.append((rel, i + 1))
            for name, e in entries:
                if not name.startswith(".") and e.is_dir(follow_symlinks=False):
                    stack.append(((*rel, name), i))
            continue
        for name, e in entries:
            if name.startswith(".") and not seg.startswith("."):
                continue
            if not fnmatch.fnmatchcase(name, seg):
                continue
            if last:
                if not _is_dir(e):
                    found.add("/".join((*rel, name)))
            elif _is_dir(e):
                stack.append(((*rel, name), i + 1))
    return sorted(found)


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:  # a link loop: not a directory we can enter
        return False


def load_fragment(path: Path, *, limits: Limits = DEFAULT_LIMITS) -> list[Problem]:
    """Check one YAML file that is not a manifest on its own: syntax and fields only
    (references need the whole network)."""
    display = _display(path)
    problems: list[Problem] = []
    with gc_paused():
        root, _, more = load_file(path, display, limits)
        problems.extend(more)
        if root is not None:
            b = Builder(display, problems, Index())
            b.fields(root, FRAGMENT, "")
    return sort_problems(problems)
