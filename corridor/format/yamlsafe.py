"""Safe, bounded YAML reading that keeps positions.

We never let PyYAML construct objects. Its parser (libyaml's C parser when installed, the
pure-Python one otherwise: both emit the same events) turns text into events, and this
module composes those events into small position-carrying nodes itself:

- no object construction at all: only ``!!str``/``!!int``/``!!float``/``!!bool``/``!!null``
  tags are accepted, and every scalar stays the text the user wrote (typing happens later,
  by the schema, in :mod:`corridor.format.build`);
- duplicate mapping keys are reported (PyYAML silently keeps the last);
- nesting depth is bounded without recursion (libyaml's own composer overflows the C stack
  on deeply nested input and kills the process);
- aliases are shared, not copied, and both the number of nodes and the number of
  characters they add when expanded are bounded, so neither a "billion laughs" file nor one
  long scalar reused thousands of times can make later stages (typing, checks, messages)
  do work out of proportion to the file; recursive aliases are rejected;
- files are read only if they are regular files under a size cap, decoded as UTF-8 (a BOM
  is dropped; CRLF line ends are fine), so a FIFO, a device or a huge file cannot hang or
  exhaust memory.

Composing libyaml's events in one Python loop is also the fastest way we measured to read
YAML with positions: PyYAML's own C composer, ruamel.yaml and rapidyaml were slower or give
no line and column (bench/README.md, "First run at 10^5 places").
"""

from __future__ import annotations

import errno
import os
import re
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeAlias, Union

import yaml

from corridor.format.problems import Problem, problem
from corridor.textutil import clip

__all__ = [
    "Scalar",
    "Seq",
    "Map",
    "Node",
    "Limits",
    "read_text",
    "compose",
    "LOADER_NAME",
    "describe_empty",
]

try:
    _Loader: type = yaml.CSafeLoader
    LOADER_NAME = "libyaml"
except AttributeError:  # PyYAML built without libyaml
    _Loader = yaml.SafeLoader
    LOADER_NAME = "pure-python"

_CORE_TAGS = frozenset(
    "tag:yaml.org,2002:" + t for t in ("str", "int", "float", "bool", "null", "map", "seq")
) | {"!"}


class Scalar:
    """A scalar exactly as written. ``plain`` is False for quoted and block scalars."""

    __slots__ = ("value", "plain", "line", "col")

    def __init__(self, value: str, plain: bool, line: int, col: int) -> None:
        self.value = value
        self.plain = plain
        self.line = line
        self.col = col

    def __repr__(self) -> str:
        return f"Scalar({self.value!r}, plain={self.plain}, {self.line}:{self.col})"


class Seq:
    """A sequence. ``size`` counts its nodes and ``chars`` the characters of its scalars
    and keys, both as if aliases were expanded."""

    __slots__ = ("items", "line", "col", "size", "chars")

    def __init__(self, line: int, col: int) -> None:
        self.items: list[Node] = []
        self.line = line
        self.col = col
        self.size = 1
        self.chars = 0


class Map:
    """A mapping with string keys; ``keys`` holds each key's scalar (for its position)."""

    __slots__ = ("items", "keys", "line", "col", "size", "chars")

    def __init__(self, line: int, col: int) -> None:
        self.items: dict[str, Node] = {}
        self.keys: dict[str, Scalar] = {}
        self.line = line
        self.col = col
        self.size = 1
        self.chars = 0


Node: TypeAlias = Union[Scalar, Seq, Map]  # noqa: UP007 (runtime alias on 3.10)


@dataclass(frozen=True)
class Limits:
    """Bounds on what one file may cost. The defaults fit networks of 10^5 places split
    into a few files, with a wide margin."""

    max_bytes: int = 64 * 1024 * 1024
    max_depth: int = 64
    #: Nodes that aliases may add when expanded, over the whole file.
    max_alias_nodes: int = 100_000
    #: Characters (of scalars and keys) that aliases may add when expanded, over the whole
    #: file: a long note reused on every record is fine, a megabyte reused 10^4 times is not.
    max_alias_chars: int = 4 * 1024 * 1024


DEFAULT_LIMITS = Limits()


def _line_col(text: bytes, offset: int) -> tuple[int, int]:
    line = text.count(b"\n", 0, offset) + 1
    start = text.rfind(b"\n", 0, offset) + 1
    col = len(text[start:offset].decode("utf-8", "replace")) + 1
    return line, col


def read_text(
    path: Path, display: str, limits: Limits = DEFAULT_LIMITS
) -> tuple[str | None, bytes | None, list[Problem]]:
    """Read ``path`` as UTF-8 text. Returns ``(text, raw_bytes, problems)``; text is None
    when the file cannot be used. ``display`` is the name problems show."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            try:
                to = clip(os.readlink(path))
            except OSError:  # pragma: no cover - removed in between
                to = "?"
            return None, None, [problem("E001", f"a symbolic link to '{to}', which does not "
                                        "exist", display)]
        return None, None, [problem("E001", "no such file", display)]
    except OSError as err:
        if err.errno == errno.ELOOP:
            return None, None, [problem("E012", "symbolic link loop", display)]
        return None, None, [problem("E001", f"cannot read: {err.strerror}", display)]
    if stat.S_ISDIR(st.st_mode):
        return None, None, [problem("E002", "is a directory, expected a YAML file", display)]
    if not stat.S_ISREG(st.st_mode):
        what = "a FIFO" if stat.S_ISFIFO(st.st_mode) else "a device or special file"
        return None, None, [problem("E002", f"is {what}, expected a regular file", display)]
    cap = limits.max_bytes
    if st.st_size > cap:
        return None, None, [_too_big(display, st.st_size, cap)]
    try:
        with open(path, "rb") as fh:
            raw = fh.read(cap + 1)
    except OSError as err:
        return None, None, [problem("E001", f"cannot read: {err.strerror}", display)]
    if len(raw) > cap:
        return None, None, [_too_big(display, len(raw), cap)]
    body = raw
    if body.startswith(b"\xef\xbb\xbf"):
        body = body[3:]
    elif body.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, raw, [problem("E004", "UTF-16 text; save the file as UTF-8", display, 1, 1)]
    nul = body.find(b"\x00")
    if nul >= 0:
        line, col = _line_col(body, nul)
        return None, raw, [problem("E004", "binary data (NUL byte); not a YAML text file",
                                   display, line, col)]
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as err:
        line, col = _line_col(body, err.start)
        return None, raw, [problem("E004", f"invalid UTF-8 byte 0x{body[err.start]:02x}; "
                                   "save the file as UTF-8", display, line, col)]
    return text, raw, []


def _too_big(display: str, size: int, cap: int) -> Problem:
    return problem(
        "E003",
        f"file is larger than {cap // (1024 * 1024)} MiB ({size:,} bytes or more); "
        "split it into several included files",
        display,
    )


class _Abort(Exception):
    pass


def compose(
    text: str, display: str, limits: Limits = DEFAULT_LIMITS, *, loader: type | None = None
) -> tuple[Node | None, list[Problem]]:
    """Compose the single YAML document in ``text`` into nodes.

    Returns ``(root, problems)``; root is None for an empty document or when a fatal
    problem (syntax, depth, aliases) stopped reading. Never raises on any input text.
    ``loader`` picks the PyYAML parser (default: libyaml's when installed); the results
    are the same with either.
    """
    # One flat loop over the parser's events, the open container and its pending key held
    # in local variables: composing is about 40 % of `validate` on 10^5 places, and a helper
    # call per event with attribute updates per scalar cost a sixth of it (bench/README.md,
    # "First run at 10^5 places").
    problems: list[Problem] = []
    anchors: dict[str, Node] = {}
    open_nodes: set[int] = set()
    bad = _NOT_YAML_TEXT.search(text)
    if bad is not None:
        line, col = _text_line_col(text, bad.start())
        code = ord(bad.group())
        name = unicodedata.name(bad.group(), "") or _CONTROL_NAMES.get(code, "control character")
        return None, [problem(
            "E005", f"character U+{code:04X} ({name}) is not allowed in YAML text; delete it "
            f"(inside a double-quoted string it may be written as \\u{code:04x})",
            display, line, col)]
    parser = (loader or _Loader)(text)
    scalar_event, alias_event = yaml.ScalarEvent, yaml.AliasEvent
    map_start, seq_start = yaml.MappingStartEvent, yaml.SequenceStartEvent
    map_end, seq_end = yaml.MappingEndEvent, yaml.SequenceEndEvent
    doc_start = yaml.DocumentStartEvent
    core_tags = _CORE_TAGS
    max_depth = limits.max_depth
    max_alias_nodes, max_alias_chars = limits.max_alias_nodes, limits.max_alias_chars
    root: Node | None = None
    # The open container (None at the top), whether it is a Map, its items (and keys),
    # the key scalar waiting for its value, and the size and characters counted so far.
    # ``parents`` saves the same for each enclosing container.
    cur: Map | Seq | None = None
    in_map = False
    items: Any = None
    keys: dict[str, Scalar] | None = None
    key: Scalar | None = None
    size = chars = 0
    parents: list[tuple[Any, ...]] = []
    alias_nodes = 0
    alias_chars = 0
    documents = 0
    node: Node
    try:
        for event in iter(parser.get_event, None):
            etype = type(event)
            if etype is scalar_event:
                tag = event.tag
                mark = event.start_mark
                if tag is not None and tag not in core_tags:
                    problems.append(problem("E014", f"tag '{clip(tag)}' is not allowed; network "
                                            "files hold plain data", display,
                                            mark.line + 1, mark.column + 1))
                    raise _Abort
                node = Scalar(event.value, not event.style, mark.line + 1, mark.column + 1)
                if event.anchor is not None:
                    anchors[event.anchor] = node
                if in_map:  # the common case, a key or its new scalar value, done here
                    if key is None:
                        key = node
                        continue
                    name = key.value
                    if name not in keys and name != "\x00complex":  # type: ignore[operator]
                        items[name] = node
                        keys[name] = key  # type: ignore[index]
                        size += 1
                        chars += len(name) + len(node.value)
                        key = None
                        continue
            elif etype is map_start or etype is seq_start:
                tag = event.tag
                mark = event.start_mark
                if tag is not None and tag not in core_tags:
                    problems.append(problem("E014", f"tag '{clip(tag)}' is not allowed; network "
                                            "files hold plain data", display,
                                            mark.line + 1, mark.column + 1))
                    raise _Abort
                if len(parents) >= max_depth:
                    problems.append(problem("E008", f"nesting deeper than {max_depth} "
                                            "levels", display, mark.line + 1, mark.column + 1))
                    raise _Abort
                parents.append((cur, in_map, items, keys, key, size, chars))
                if etype is map_start:
                    cur = Map(mark.line + 1, mark.column + 1)
                    in_map, items, keys = True, cur.items, cur.keys
                else:
                    cur = Seq(mark.line + 1, mark.column + 1)
                    in_map, items, keys = False, cur.items, None
                key = None
                size, chars = 1, 0
                if event.anchor is not None:
                    anchors[event.anchor] = cur
                open_nodes.add(id(cur))
                continue
            elif etype is map_end or etype is seq_end:
                assert cur is not None
                node = cur
                cur.size, cur.chars = size, chars
                open_nodes.discard(id(cur))
                cur, in_map, items, keys, key, size, chars = parents.pop()
            elif etype is alias_event:
                target = anchors.get(event.anchor)
                mark = event.start_mark
                line, col = mark.line + 1, mark.column + 1
                if target is None:
                    problems.append(problem("E005", f"unknown alias '*{clip(event.anchor)}'",
                                            display, line, col))
                    raise _Abort
                if id(target) in open_nodes:
                    problems.append(problem("E007", f"recursive alias '*{clip(event.anchor)}'",
                                            display, line, col))
                    raise _Abort
                if isinstance(target, Scalar):
                    alias_nodes += 1
                    alias_chars += len(target.value)
                else:
                    alias_nodes += target.size
                    alias_chars += target.chars
                if alias_nodes > max_alias_nodes:
                    problems.append(problem(
                        "E007", f"aliases expand to more than {max_alias_nodes:,} "
                        "nodes (a 'billion laughs' file?)", display, line, col))
                    raise _Abort
                if alias_chars > max_alias_chars:
                    problems.append(problem(
                        "E007", f"aliases expand to more than {max_alias_chars:,} "
                        "characters (a long value reused too often?)", display, line, col))
                    raise _Abort
                node = target
            elif etype is doc_start:
                documents += 1
                if documents > 1:
                    mark = event.start_mark
                    problems.append(problem("E013", _second_document(text, mark.index),
                                            display, mark.line + 1, mark.column + 1))
                    raise _Abort
                continue
            else:
                continue
            # Attach ``node`` to the open container (or make it the root).
            if in_map:
                if key is None:
                    if isinstance(node, Scalar):
                        key = node
                    else:
                        problems.append(problem("E101", "mapping keys must be plain strings",
                                                display, node.line, node.col))
                        key = Scalar("\x00complex", True, node.line, node.col)
                    continue
                name = key.value
                first = keys.get(name)  # type: ignore[union-attr]
                if first is not None:
                    problems.append(problem(
                        "E006", f"duplicate key '{clip(name)}' (first at line {first.line}); "
                        "YAML loaders would silently keep only the last", display,
                        key.line, key.col))
                elif name != "\x00complex":
                    items[name] = node
                    keys[name] = key  # type: ignore[index]
                    if isinstance(node, Scalar):
                        size += 1
                        chars += len(name) + len(node.value)
                    else:
                        size += node.size
                        chars += len(name) + node.chars
                key = None
            elif cur is not None:
                items.append(node)
                if isinstance(node, Scalar):
                    size += 1
                    chars += len(node.value)
                else:
                    size += node.size
                    chars += node.chars
            else:
                root = node
    except _Abort:
        root = None
    except yaml.MarkedYAMLError as err:
        m = err.problem_mark or err.context_mark
        line, col = (m.line + 1, m.column + 1) if m is not None else (0, 0)
        what = err.problem or str(err)
        if err.context:
            what = f"{what} ({err.context})"
        problems.append(problem("E005", _explain(text, m, what), display, line, col))
        root = None
    except yaml.YAMLError as err:  # pragma: no cover - reader errors without marks
        problems.append(problem("E005", str(err), display))
        root = None
    except RecursionError:  # pragma: no cover - the event loop does not recurse
        problems.append(problem("E008", "nesting too deep", display))
        root = None
    finally:
        parser.dispose()
    if isinstance(root, Scalar) and root.plain and root.value == "":
        root = None  # an empty document ("---" and nothing else): no data, like an empty file
    return root, problems


#: Characters YAML 1.2 does not allow in a stream (outside escapes): C0 controls other than
#: TAB, LF and CR; DEL; C1 controls other than NEL; surrogates; U+FFFE and U+FFFF.
_NOT_YAML_TEXT = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
_CONTROL_NAMES = {0x07: "BEL", 0x08: "BACKSPACE", 0x0B: "VERTICAL TAB", 0x0C: "FORM FEED",
                  0x1B: "ESCAPE", 0x7F: "DELETE"}


def _text_line_col(text: str, index: int) -> tuple[int, int]:
    """1-based line and column (in characters) of ``text[index]``."""
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _explain(text: str, mark: yaml.Mark | None, what: str) -> str:
    """A parser's message, made specific for mistakes people make often."""
    if "incompatible YAML document" in what:
        version = re.search(r"^%YAML[ \t]+(\S+)", text, re.M)
        v = f"%YAML {clip(version.group(1), 20)}" if version else "its %YAML directive"
        return (f"the file declares {v}; network files are YAML 1.2 (1.1 and 1.2 are read): "
                "remove the %YAML line")
    if mark is not None:
        lines = text.split("\n")
        here = lines[mark.line] if mark.line < len(lines) else ""
        at = here[mark.column:mark.column + 1]
        indent = here[: len(here) - len(here.lstrip(" \t"))]
        if "\t" in indent or ("tab" in what and at != "\t"):
            return ("a tab character here: YAML does not allow tabs for indentation; "
                    "indent with spaces")
        if at == "\t":
            return "a tab character here, where YAML needs spaces; replace it with spaces"
    return what


def describe_empty(raw: bytes | None) -> str:
    """How to name a file that holds no YAML data: ``"empty file"``, ``"the file holds
    only comments"`` or ``"the file holds only '---' (an empty YAML document)"``."""
    lines = [ln.strip() for ln in (raw or b"").splitlines()]
    lines = [ln for ln in lines if ln and not ln.startswith(b"#")]
    if not lines:
        return "empty file" if not (raw or b"").strip() else "the file holds only comments"
    if all(ln.startswith((b"---", b"...", b"%")) for ln in lines):
        return "the file holds only '---' (an empty YAML document)"
    return "the file holds no data"


def _second_document(text: str, index: int) -> str:
    rest = text[index:].split("\n", 1)
    after = rest[1] if len(rest) > 1 else ""
    if all(not ln.strip() or ln.lstrip().startswith("#") for ln in after.split("\n")):
        return ("a lone '---' here starts a second, empty YAML document; a network file "
                "holds one document: delete this line")
    return ("'---' starts a second YAML document here; a network file holds one document: "
            "split it into two files (both named in the manifest's include) or delete the line")


def load_file(
    path: Path, display: str, limits: Limits = DEFAULT_LIMITS
) -> tuple[Node | None, bytes | None, list[Problem]]:
    """Read and compose one file: ``(root, raw_bytes, problems)``."""
    text, raw, problems = read_text(path, display, limits)
    if text is None:
        return None, raw, problems
    root, more = compose(text, display, limits)
    return root, raw, problems + more

