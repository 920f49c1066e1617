"""Print the calibration table: the model against published transit figures.

    python tools/calibrate.py [--network PATH] [--cases calibration/cases.yaml] [--markdown]

One row per case in calibration/cases.yaml: what was reported, what the model gives (fastest
route under the case's modes and waypoints; planning and P90 days), and model/reported. Then
the median ratio over the time cases, the share within ±35 %, cases outside ±60 % (with the
cause recorded in the case file) and lower bounds the model beats. See
corridor/analysis/calibration.py.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _fmt(x: float | None, spec: str = ".2f") -> str:
    return "-" if x is None else format(x, spec)


def main(argv: list[str]) -> int:
    from corridor.analysis.calibration import load_cases, run_cases, summarize
    from corridor.format.network import load_network

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--network", default=None)
    ap.add_argument("--cases", default=str(ROOT / "calibration" / "cases.yaml"))
    ap.add_argument("--markdown", action="store_true", help="a Markdown table (for the README)")
    args = ap.parse_args(argv)
    from corridor.errors import CorridorError

    try:
        net = load_network(args.network)
        results = run_cases(net, load_cases(args.cases))
    except CorridorError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    md = args.markdown
    head = ("case", "kind", "reported", "model d", "P90 d", "model km", "ratio", "note")
    rows = []
    for r in results:
        c = r.case
        rep = ", ".join(f"{k} {v}" for k, v in c.reported.items())
        if r.measure is None:
            rows.append((c.id, c.kind, rep, "-", "-", "-", "-",
                         "not answered: " + r.unanswered.split(";")[0][:70]))
            continue
        note = ""
        if r.in_range is not None:
            note = "in range" if r.in_range else "outside range"
        if r.measure == "distance":
            note = "distance case (km ratio)"
        if c.cause:
            note = (note + "; " if note else "") + c.cause
        rows.append((c.id, c.kind, rep, _fmt(r.model_days, ".1f"), _fmt(r.model_p90_days, ".1f"),
                     _fmt(r.model_km, ",.0f"), _fmt(r.ratio), note))
    if md:
        print("| " + " | ".join(head) + " |")
        print("|" + "---|" * len(head))
        for row in rows:
            print("| " + " | ".join(row) + " |")
    else:
        widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(head[:-1])]
        print("  ".join(h.ljust(w) for h, w in zip(head, widths, strict=False)) + "  " + head[-1])
        for row in rows:
            cells = "  ".join(x.ljust(w) for x, w in zip(row, widths, strict=False))
            print((cells + "  " + row[-1]).rstrip())
    s = summarize(results)
    print()
    med = "-" if s.median_ratio is None else f"{s.median_ratio:.2f}"
    share = 0 if not s.time_cases else 100 * s.within_35 / s.time_cases
    print(f"time cases answered: {s.time_cases}; median model/reported {med}; "
          f"within ±35 %: {s.within_35}/{s.time_cases} ({share:.0f} %)")
    print("outside ±60 %: " + (", ".join(s.outside_60) or "none"))
    print("faster than a lower bound: " + (", ".join(s.below_lower_bound) or "none"))
    print("not answered: " + (", ".join(s.unanswered) or "none"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
