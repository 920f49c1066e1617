"""Re-run every `$ corridor ...` example in README.md and write its real output back.

    python tools/refresh_readme.py          # rewrite README.md in place
    python tools/refresh_readme.py --check  # exit 1 if any example is out of date

It also replaces the calibration table (the block from `| case | kind | reported |` to the
line `not answered: ...`) with what `python tools/calibrate.py --markdown` prints now.

An example still current at 80, 100, 120 or 130 columns is kept; others are re-taken at 100
columns with NO_COLOR, as tests/test_readme.py compares them. Use it after a change that moves
numbers; then read the diff before committing: the README must say what the numbers mean.
"""

from __future__ import annotations

import os
import re
import shlex
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BLOCK = re.compile(r"```\n(\$ (?:cd \S+ && )?corridor .*?)```", re.S)


def _run(command: str, width: str = "100") -> str:
    from typer.testing import CliRunner

    from corridor.__main__ import cli_module

    head = None
    m = re.match(r"(.*) \| head -(\d+)$", command)
    if m:
        command, head = m.group(1), int(m.group(2))
    cwd = "."
    m = re.match(r"cd (\S+) && (.*)", command)
    if m:
        cwd, command = m.group(1), m.group(2)
    args = shlex.split(command)[1:]
    old = os.getcwd()
    os.chdir(ROOT / cwd)
    try:
        env = {"COLUMNS": width, "NO_COLOR": "1", "CORRIDOR_NETWORK": ""}
        result = CliRunner().invoke(cli_module().app, args, env=env)
    finally:
        os.chdir(old)
    lines = [ln.rstrip() for ln in result.stdout.rstrip("\n").splitlines()]
    if head is not None:
        lines = lines[:head]
    return "\n".join(lines)


def _refresh_block(block: str) -> str:
    parts = re.split(r"^\$ ", block, flags=re.M)
    out = []
    for part in parts[1:]:
        command, _, shown = part.partition("\n")
        shown = shown.rstrip("\n")
        # Keep what is shown when it is still true at one of the widths the test accepts.
        got = next((shown for w in ("80", "100", "120", "130") if _run(command, w) == shown),
                   None) or _run(command)
        out.append(f"$ {command}\n{got}\n" if got else f"$ {command}\n")
    return "".join(out)


def calibration_table() -> str:
    """``tools/calibrate.py --markdown``: the README's calibration table and summary."""
    import subprocess

    out = subprocess.run([sys.executable, str(ROOT / "tools" / "calibrate.py"), "--markdown"],
                         capture_output=True, text=True, check=True, cwd=ROOT).stdout
    return out.rstrip("\n") + "\n"


def _refresh_calibration(text: str) -> str:
    """The README with its calibration table (from ``| case | kind |`` to the line
    ``not answered: ...``) replaced by the current one."""
    start = text.find("| case | kind | reported |")
    if start < 0:
        return text
    end = text.index("\n", text.index("not answered:", start)) + 1
    return text[:start] + calibration_table() + text[end:]


def main(argv: list[str]) -> int:
    path = ROOT / "README.md"
    text = path.read_text(encoding="utf-8")
    new = BLOCK.sub(lambda m: "```\n" + _refresh_block(m.group(1)) + "```", text)
    new = _refresh_calibration(new)
    if "--check" in argv:
        if new != text:
            print("README.md examples or calibration table are out of date; run python "
                  "tools/refresh_readme.py")
            return 1
        return 0
    if new != text:
        path.write_text(new, encoding="utf-8")
        print("README.md updated")
    else:
        print("README.md already current")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
