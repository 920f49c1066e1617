"""Validation of network and scenario files: every problem in every file, collected and
sorted."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from corridor.errors import NetworkError, UsageError
from corridor.format.network import (
    MANIFEST_NAME,
    _display,
    bundled_network_path,
    find_network,
    load,
    load_fragment,
    load_network,
    looks_like_manifest,
    resolve_manifest,
)
from corridor.format.problems import Problem, sort_problems
from corridor.format.scenario import is_scenario_file, load_scenario
from corridor.format.yamlsafe import DEFAULT_LIMITS, Limits
from corridor.model import Network

__all__ = ["NetworkSummary", "ValidationReport", "validate"]

_YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class NetworkSummary:
    name: str
    manifest: str
    files: tuple[str, ...]
    content_hash: str


@dataclass(frozen=True)
class ValidationReport:
    """What ``validate`` found: all problems (sorted by file, line, column), the networks
    and the files that were read."""

    problems: tuple[Problem, ...]
    networks: tuple[NetworkSummary, ...]
    files: tuple[str, ...]

    @property
    def error_count(self) -> int:
        return sum(1 for p in self.problems if p.severity == "error")

    @property
    def warning_count(self) -> int:
        return sum(1 for p in self.problems if p.severity == "warning")

    def failed(self, *, strict: bool = False) -> bool:
        """True if there are errors, or warnings when ``strict``."""
        return self.error_count > 0 or (strict and self.warning_count > 0)


def validate(
    paths: Sequence[str | os.PathLike[str]] = (),
    *,
    limits: Limits = DEFAULT_LIMITS,
    network: str | os.PathLike[str] | None = None,
) -> ValidationReport:
    """Validate networks, scenario files and YAML files.

    Each path may be a network folder (with ``network.yaml``), a manifest, a scenario file
    (a top-level ``scenario_version``), any other YAML file (checked on its own for syntax
    and fields), or a folder holding networks: then every network below it is validated,
    scenario files are validated as scenarios, and other YAML files that no network
    includes are checked on their own and reported (W309). A folder walk skips hidden
    folders, virtual environments and git-ignored paths (:func:`_walk_yaml`); a YAML file
    that is not a network file is reported as such (W310) instead of being checked field by
    field. No paths: the network of the working directory
    (:func:`corridor.format.network.find_network`), else the bundled network.

    Scenario files are checked against ``network`` (a network folder or manifest; None:
    the bundled network): their ids must exist there, and the records they add or change
    must pass the network checks. When that network has errors, only their fields are
    checked.

    Raises :class:`UsageError` for a path that does not exist or holds no YAML.
    """
    targets = [Path(p) for p in paths] or [find_network() or bundled_network_path()]
    for t in targets:
        if not t.exists() and not t.is_symlink():
            raise UsageError(f"{t}: no such file or folder")
    problems: list[Problem] = []
    networks: list[NetworkSummary] = []
    files: list[str] = []
    base = _Base(network)
    for target in targets:
        manifest = target / MANIFEST_NAME
        if (target.is_dir() and target.name != MANIFEST_NAME
                and not (manifest.exists() or manifest.is_symlink())):
            _validate_tree(target, limits, problems, networks, files, base)
        elif target.is_file() and is_scenario_file(target):
            _validate_scenario(target, limits, problems, files, base)
        else:
            _validate_one(target, limits, problems, networks, files, base)
    return ValidationReport(tuple(sort_problems(problems)), tuple(networks),
                            tuple(dict.fromkeys(files)))


def _validate_one(target: Path, limits: Limits, problems: list[Problem],
                  networks: list[NetworkSummary], files: list[str],
                  base: _Base | None = None) -> set[Path]:
    """Validate one network (folder or manifest) or lone file; return the files it read."""
    if target.is_file() and target.name != MANIFEST_NAME and not _looks_like_manifest(target):
        files.append(_display(target))
        foreign = _not_network_file(target, limits)
        problems.extend([foreign] if foreign else load_fragment(target, limits=limits))
        return {target.resolve()}
    result = load(target, limits=limits)
    problems.extend(result.problems)
    files.extend(result.files)
    if result.network is not None:
        n = result.network
        networks.append(NetworkSummary(n.name, n.manifest, n.files, n.content_hash))
        if base is not None and not result.errors:
            with contextlib.suppress(OSError, UsageError):
                base.loaded[resolve_manifest(target).resolve()] = n
    return {Path(f).resolve() for f in result.files}


def _looks_like_manifest(path: Path) -> bool:
    """A YAML file not named network.yaml is a manifest if it has a top-level
    ``format_version`` key (read from its first few kilobytes only); an unreadable file
    goes to the loader, which reports it."""
    return looks_like_manifest(path) or not os.access(path, os.R_OK)


#: Folders that are never walked: virtual environments are recognised by these files.
_VENV_MARKERS = ("pyvenv.cfg", "conda-meta")
_SKIP_DIRS = frozenset({"node_modules", "__pycache__", "site-packages"})


def _walk_yaml(root: Path) -> list[Path]:
    """YAML files under ``root``, sorted, skipping hidden folders and files (a name that
    starts with '.'), virtual environments (a folder holding ``pyvenv.cfg`` or
    ``conda-meta``), ``node_modules``, ``__pycache__`` and ``site-packages``, and paths git
    ignores (:func:`_git_ignored`)."""
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        keep = []
        for d in sorted(dirnames):
            full = os.path.join(dirpath, d)
            if d.startswith(".") or d in _SKIP_DIRS:
                continue
            if any(os.path.exists(os.path.join(full, m)) for m in _VENV_MARKERS):
                continue
            keep.append(d)
        dirnames[:] = keep
        found.extend(Path(dirpath, f) for f in filenames
                     if f.endswith(_YAML_SUFFIXES) and not f.startswith("."))
    ignored = _git_ignored(root, found)
    return sorted(p for p in found if p not in ignored)


def _git_ignored(root: Path, paths: list[Path]) -> set[Path]:
    """The ``paths`` git ignores, asked once with ``git check-ignore --stdin``; an empty
    set when ``root`` is not in a git work tree (no ``.git`` in it or a folder above, so
    git is not even started) or git is not installed."""
    here = root.absolute()
    if not paths or not any((d / ".git").exists() for d in (here, *here.parents)):
        return set()
    import subprocess

    data = "".join(str(p) + "\0" for p in paths)
    try:
        done = subprocess.run(["git", "check-ignore", "--stdin", "-z"], cwd=root, input=data,
                              capture_output=True, text=True, check=False)
    except OSError:
        return set()
    if done.returncode not in (0, 1):  # 128: not a git work tree
        return set()
    return {Path(x) for x in done.stdout.split("\0") if x}


#: Top-level keys of which a network file has at least one.
_NETWORK_KEYS = frozenset({"format_version", "places", "links", "crossings", "terminals",
                           "sources", "projects"})


def _not_network_file(path: Path, limits: Limits) -> Problem | None:
    """W310 when ``path`` parses as YAML but is not a network file (its top level is not
    a mapping with at least one of format_version, places, links, crossings, terminals,
    sources); None otherwise, also when it does not parse (the field checks report it)."""
    from corridor.format.problems import problem
    from corridor.format.yamlsafe import Map, load_file

    try:  # the usual case, a network key on a line of its own near the top: no second parse
        with open(path, "rb") as fh:
            head = fh.read(65536)
    except OSError:
        return None
    if any(line.split(b":", 1)[0].decode("utf-8", "replace") in _NETWORK_KEYS
           for line in head.splitlines() if b":" in line and line[:1].isalpha()):
        return None
    display = _display(path)
    root, _, problems = load_file(path, display, limits)
    if problems or root is None:
        return None
    if isinstance(root, Map) and _NETWORK_KEYS & set(root.items):
        return None
    return problem("W310", "not a network file (none of format_version, places, links, "
                   "crossings, terminals, sources at the top level); not checked further",
                   display, root.line, root.col)


class _Base:
    """The network scenario files are checked against, loaded once when first needed: the
    one this validation already loaded when it is among the targets (``loaded``, by
    resolved manifest), else read from its files. Never from the query cache."""

    def __init__(self, path: str | os.PathLike[str] | None) -> None:
        self.path = path
        self._network: Network | None = None
        self._tried = False
        self.loaded: dict[Path, Network] = {}

    def get(self) -> Network | None:
        if not self._tried:
            self._tried = True
            try:
                manifest = resolve_manifest(self.path).resolve()
            except (OSError, UsageError):
                manifest = None
            got = self.loaded.get(manifest) if manifest is not None else None
            if got is not None:
                self._network = got
            else:
                try:
                    self._network = load_network(self.path, cache=False)
                except NetworkError:
                    self._network = None
        return self._network


def _validate_scenario(target: Path, limits: Limits, problems: list[Problem],
                       files: list[str], base: _Base) -> None:
    from corridor.format.patch import check_scenario

    got = load_scenario(target, limits=limits)
    problems.extend(got.problems)
    files.append(_display(target))
    if got.scenario is not None:
        network = base.get()
        if network is not None:
            problems.extend(check_scenario(network, got.scenario))


def _validate_tree(root: Path, limits: Limits, problems: list[Problem],
                   networks: list[NetworkSummary], files: list[str], base: _Base) -> None:
    yaml_files = _walk_yaml(root)
    manifests = [p for p in yaml_files if p.name == MANIFEST_NAME]
    if not yaml_files:
        raise UsageError(f"{root}: no YAML files in this folder")
    covered: set[Path] = set()
    for m in manifests:
        covered |= _validate_one(m, limits, problems, networks, files, base)
    from corridor.format.problems import problem

    for f in yaml_files:
        if f.resolve() in covered or not f.is_file():
            continue
        if is_scenario_file(f):
            _validate_scenario(f, limits, problems, files, base)
            continue
        display = _display(f)
        files.append(display)
        foreign = _not_network_file(f, limits)
        if foreign is not None:
            problems.append(foreign)
            continue
        problems.append(problem("W309", "no network manifest includes this file"
                                + ("" if manifests else f" (no {MANIFEST_NAME} under {root})"),
                                display))
        problems.extend(load_fragment(f, limits=limits))
