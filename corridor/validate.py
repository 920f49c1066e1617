"""Validation of network files: every problem in every file, collected and sorted."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from corridor.errors import UsageError
from corridor.network import MANIFEST_NAME, _display, bundled_network_path, load, load_fragment
from corridor.problems import Problem, sort_problems
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
    paths: Sequence[str | os.PathLike[str]] = (), *, limits: Limits = DEFAULT_LIMITS
) -> ValidationReport:
    """Validate networks and YAML files.

    Each path may be a network folder (with ``network.yaml``), a manifest, any other YAML
    file (checked on its own for syntax and fields), or a folder holding networks: then
    every network below it is validated, and YAML files that no network includes are
    checked on their own and reported (W309). No paths: the bundled network.

    Raises :class:`UsageError` for a path that does not exist or holds no YAML.
    """
    targets = [Path(p) for p in paths] or [bundled_network_path()]
    for t in targets:
        if not t.exists() and not t.is_symlink():
            raise UsageError(f"{t}: no such file or folder")
    problems: list[Problem] = []
    networks: list[NetworkSummary] = []
    files: list[str] = []
    for target in targets:
        manifest = target / MANIFEST_NAME
        if (target.is_dir() and target.name != MANIFEST_NAME
                and not (manifest.exists() or manifest.is_symlink())):
            _validate_tree(target, limits, problems, networks, files)
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


def _validate_tree(root: Path, limits: Limits, problems: list[Problem],
                   networks: list[NetworkSummary], files: list[str]) -> None:
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
        display = _display(f)
        problems.append(problem("W309", "no network manifest includes this file"
                                + ("" if manifests else f" (no {MANIFEST_NAME} under {root})"),
                                display))
        problems.extend(load_fragment(f, limits=limits))
        files.append(display)
