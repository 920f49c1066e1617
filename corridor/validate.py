"""Validation of network and scenario files: every problem in every file, collected and
sorted."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from corridor.errors import NetworkError, UsageError
from corridor.model import Network
from corridor.network import (
    MANIFEST_NAME,
    _display,
    bundled_network_path,
    load,
    load_fragment,
    load_network,
)
from corridor.problems import Problem, sort_problems
from corridor.scenario import is_scenario_file, load_scenario
from corridor.yamlsafe import DEFAULT_LIMITS, Limits

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
    includes are checked on their own and reported (W309). No paths: the bundled network.

    Scenario files are checked against ``network`` (a network folder or manifest; None:
    the bundled network): their ids must exist there, and the records they add or change
    must pass the network checks. When that network has errors, only their fields are
    checked.

    Raises :class:`UsageError` for a path that does not exist or holds no YAML.
    """
    targets = [Path(p) for p in paths] or [bundled_network_path()]
    for t in targets:
        if not t.exists() and not t.is_symlink():
            raise UsageError(f"{t}: no such file or folder")
    problems: list[Problem] = []
    networks: list[NetworkSummary] = []
    files: list[str] = []
    base = _Base(network)
    for target in targets:
        if target.is_dir() and not (target / MANIFEST_NAME).is_file():
            _validate_tree(target, limits, problems, networks, files, base)
        elif target.is_file() and is_scenario_file(target):
            _validate_scenario(target, limits, problems, files, base)
        else:
            _validate_one(target, limits, problems, networks, files)
    return ValidationReport(tuple(sort_problems(problems)), tuple(networks),
                            tuple(dict.fromkeys(files)))


def _validate_one(target: Path, limits: Limits, problems: list[Problem],
                  networks: list[NetworkSummary], files: list[str]) -> set[Path]:
    """Validate one network (folder or manifest) or lone file; return the files it read."""
    if target.is_file() and target.name != MANIFEST_NAME and not _looks_like_manifest(target):
        problems.extend(load_fragment(target, limits=limits))
        files.append(_display(target))
        return {target.resolve()}
    result = load(target, limits=limits)
    problems.extend(result.problems)
    files.extend(result.files)
    if result.network is not None:
        n = result.network
        networks.append(NetworkSummary(n.name, n.manifest, n.files, n.content_hash))
    return {Path(f).resolve() for f in result.files}


def _looks_like_manifest(path: Path) -> bool:
    """A YAML file not named network.yaml is a manifest if it has a top-level
    ``format_version`` key (read from its first few kilobytes only)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(8192)
    except OSError:
        return True  # let the loader report it
    return any(line.startswith(b"format_version:") for line in head.splitlines())


class _Base:
    """The network scenario files are checked against, loaded once when first needed."""

    def __init__(self, path: str | os.PathLike[str] | None) -> None:
        self.path = path
        self._network: Network | None = None
        self._tried = False

    def get(self) -> Network | None:
        if not self._tried:
            self._tried = True
            try:
                self._network = load_network(self.path)
            except NetworkError:
                self._network = None
        return self._network


def _validate_scenario(target: Path, limits: Limits, problems: list[Problem],
                       files: list[str], base: _Base) -> None:
    from corridor.patch import check_scenario

    got = load_scenario(target, limits=limits)
    problems.extend(got.problems)
    files.append(_display(target))
    if got.scenario is not None:
        network = base.get()
        if network is not None:
            problems.extend(check_scenario(network, got.scenario))


def _validate_tree(root: Path, limits: Limits, problems: list[Problem],
                   networks: list[NetworkSummary], files: list[str], base: _Base) -> None:
    manifests = sorted(root.rglob(MANIFEST_NAME))
    yaml_files = sorted(p for p in root.rglob("*") if p.suffix in _YAML_SUFFIXES)
    if not yaml_files:
        raise UsageError(f"{root}: no YAML files in this folder")
    covered: set[Path] = set()
    for m in manifests:
        covered |= _validate_one(m, limits, problems, networks, files)
    from corridor.problems import problem

    for f in yaml_files:
        if f.resolve() in covered or not f.is_file():
            continue
        if is_scenario_file(f):
            _validate_scenario(f, limits, problems, files, base)
            continue
        display = _display(f)
        problems.append(problem("W309", "no network manifest includes this file"
                                + ("" if manifests else f" (no {MANIFEST_NAME} under {root})"),
                                display))
        problems.extend(load_fragment(f, limits=limits))
        files.append(display)
