#!/usr/bin/env python3
"""Benchmarks of corridor against the floor of its own stack. Prints ratios, never asserts.

    python bench/bench.py            # 100,000 places / 250,000 links (generated once, cached)
    python bench/bench.py --quick    # 10,000 places / 25,000 links, fewer repetitions

Sections (``--only a,c`` to pick):

(a) validate    ``corridor validate NET`` (whole process) vs a bare ``yaml.load(CSafeLoader)``
                of the same files (whole process too)
(b) cold start  ``corridor route A B --format json`` on the bundled network vs
                ``python -c "import typer, rich.table, networkx, yaml"``; ``corridor --help``
                vs ``python -c pass``
(c) one route   the library's route query on the big network, after loading, vs
                ``networkx.dijkstra_path`` on the same expanded graph
(d) matrix      a 50 x 50 matrix vs 2,500 separate route queries (timed on a sample and
                extrapolated) vs one networkx single-source Dijkstra per origin
(e) one-shot    ``corridor route A B --network NET`` on the big network, whole process, once
(f) targets     issue 14's targets as measured / target (CPU time, peak memory); long, so
                only with ``--only f`` (never in the default run, never in the test suite)
(g) first run   where reading the YAML goes: ``validate`` and a route with the network cache
                off vs a bare CSafeLoader parse (CPU time), and each stage in process
                (parser events, composing, typing, checks, graph); only with ``--only g``

Every figure is the median of ``--reps`` runs unless the line says otherwise. Parts whose
API is missing print ``skipped: <reason>``. Generated networks live in a cache folder
outside the repository (``$CORRIDOR_BENCH_CACHE``, else ``$TMPDIR/corridor-bench``).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import importlib
import inspect
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
PY = sys.executable
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))  # the checkout's corridor/ and cli.py, as `-m corridor` sees
RESULTS: dict[str, Any] = {}


# --------------------------------------------------------------------------------------------
# helpers


def out(line: str = "") -> None:
    print(line, flush=True)


def skipped(section: str, reason: str) -> None:
    out(f"  {section}: skipped: {reason}")
    RESULTS.setdefault("skipped", {})[section] = reason


def env() -> dict[str, str]:
    e = dict(os.environ)
    e["PYTHONPATH"] = str(REPO) + (os.pathsep + e["PYTHONPATH"] if e.get("PYTHONPATH") else "")
    e.pop("CORRIDOR_NETWORK", None)
    e["NO_COLOR"] = "1"
    e["COLUMNS"] = "100"
    # A private network cache (corridor.format.cache), so figures do not depend on the user's.
    e["CORRIDOR_CACHE_DIR"] = str(BENCH_CACHE)
    e.pop("CORRIDOR_NO_CACHE", None)
    return e


BENCH_CACHE = Path(tempfile.gettempdir()) / "corridor-bench-network-cache"


def run_once(cmd: list[str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    t = time.perf_counter()
    cp = subprocess.run(cmd, cwd=REPO, env=env(), capture_output=True, text=True)
    return time.perf_counter() - t, cp


def time_cmd(cmd: list[str], reps: int, warmup: int = 1) -> tuple[float, list[float], Any]:
    """Median wall time of a whole process; ``cp`` of the last run (for exit code/output)."""
    cp = None
    for _ in range(warmup):
        _, cp = run_once(cmd)
    times = []
    for _ in range(reps):
        dt, cp = run_once(cmd)
        times.append(dt)
    return statistics.median(times), times, cp


def time_call(fn: Callable[[], Any], reps: int) -> tuple[float, list[float], Any]:
    times = []
    res = None
    for _ in range(reps):
        t = time.perf_counter()
        res = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), times, res


def fmt_s(s: float) -> str:
    if s >= 10:
        return f"{s:.1f} s"
    if s >= 1:
        return f"{s:.2f} s"
    return f"{s * 1000:.0f} ms" if s >= 0.01 else f"{s * 1000:.2f} ms"


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b > 0 else "n/a"


def last_line(cp: Any) -> str:
    """The most telling line of a failed command's output (Typer's boxes stripped)."""
    text = (cp.stderr or "").strip() or (cp.stdout or "").strip()
    lines = [ln.strip(" \u2502\u256d\u256e\u2570\u256f\u2500") for ln in text.splitlines()]
    lines = [ln for ln in lines if any(c.isalpha() for c in ln)]
    for ln in reversed(lines):
        if "rror" in ln or "No such" in ln:
            return ln[:200]
    return lines[-1][:200] if lines else f"exit {cp.returncode}, no output"


def try_import(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError as err:
        if getattr(err, "name", None) and err.name != name and err.name.startswith("corridor"):
            raise
        return None


def find_attr(modules: list[str], names: list[str]) -> tuple[Any, str] | None:
    for m in modules:
        mod = try_import(m)
        if mod is None:
            continue
        for n in names:
            if hasattr(mod, n):
                return getattr(mod, n), f"{m}.{n}"
    return None


def call_flexible(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call ``fn`` with only the keyword arguments its signature accepts."""
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return fn(*args, **kwargs)
    if any(p.kind is p.VAR_KEYWORD for p in params.values()):
        return fn(*args, **kwargs)
    return fn(*args, **{k: v for k, v in kwargs.items() if k in params})


# --------------------------------------------------------------------------------------------
# the generated network


def cache_dir() -> Path:
    base = os.environ.get("CORRIDOR_BENCH_CACHE")
    return Path(base) if base else Path(tempfile.gettempdir()) / "corridor-bench"


def ensure_network(places: int, links: int, seed: int, regen: bool) -> tuple[Path, dict[str, Any]]:
    net = cache_dir() / f"net-{places}-{links}-s{seed}"
    meta_path = net / "bench-meta.json"
    gen_src = (BENCH / "gen_network.py").read_bytes()
    import hashlib

    gen_hash = hashlib.sha256(gen_src).hexdigest()[:12]
    if not regen and meta_path.exists():
        meta = json.loads(meta_path.read_text())
        if meta.get("generator_hash") == gen_hash:
            return net, meta
    sys.path.insert(0, str(BENCH))
    import gen_network

    t = time.perf_counter()
    meta = gen_network.generate(places, links, seed, str(net))
    meta["generator_hash"] = gen_hash
    meta_path.write_text(json.dumps(meta, indent=1))
    out(f"generated {net} in {fmt_s(time.perf_counter() - t)}")
    return net, meta


def included_files(net: Path) -> list[Path]:
    import yaml

    with open(net / "network.yaml", "rb") as fh:
        man = yaml.load(fh, Loader=yaml.CSafeLoader)
    return [net / "network.yaml"] + [net / f for f in man.get("include", [])]


# --------------------------------------------------------------------------------------------
# (a) validate


PARSE_SCRIPT = """
import sys, yaml, gc
if sys.argv[1] == "nogc":
    gc.disable()
n = 0
for f in sys.argv[2:]:
    with open(f, "rb") as fh:
        doc = yaml.load(fh, Loader=yaml.CSafeLoader)
    n += sum(len(v) for v in doc.values() if isinstance(v, list))
print(n)
"""


def section_a(net: Path, reps: int) -> None:
    out("(a) validate")
    probe = run_once([PY, "-m", "corridor", "validate", "--help"])[1]
    if probe.returncode != 0:
        skipped("(a) validate", f"`corridor validate` not available ({last_line(probe)})")
        return
    files = [str(f) for f in included_files(net)]
    size = sum(os.path.getsize(f) for f in files)
    v_med, v_all, cp = time_cmd([PY, "-m", "corridor", "validate", str(net)], reps, warmup=0)
    p_med, p_all, _ = time_cmd([PY, "-c", PARSE_SCRIPT, "gc", *files], reps, warmup=0)
    g_med, g_all, _ = time_cmd([PY, "-c", PARSE_SCRIPT, "nogc", *files], reps, warmup=0)
    status = "exit 0 (valid)" if cp.returncode == 0 else f"exit {cp.returncode}: {last_line(cp)}"
    out(
        f"  corridor validate ({size / 1e6:.1f} MB, {len(files)} files): {fmt_s(v_med)}  [{status}]"
    )
    out(f"  bare yaml.load(CSafeLoader), same files:    {fmt_s(p_med)}")
    out(f"  bare yaml.load(CSafeLoader), gc disabled:   {fmt_s(g_med)}")
    out(f"  ratio validate / bare parse:                {ratio(v_med, p_med)}")
    out(f"  ratio validate / bare parse with gc off:    {ratio(v_med, g_med)}")
    RESULTS["a"] = {
        "validate_s": v_all,
        "parse_s": p_all,
        "parse_nogc_s": g_all,
        "validate_exit": cp.returncode,
        "ratio": v_med / p_med,
        "ratio_nogc": v_med / g_med,
        "mb": size / 1e6,
    }
    if cp.returncode != 0:
        out("  note: validation did not pass; first lines of its output:")
        for ln in ((cp.stdout or "") + (cp.stderr or "")).splitlines()[:8]:
            out(f"    {ln[:160]}")


# --------------------------------------------------------------------------------------------
# (b) cold start


def _cold_route(label: str, cmd: list[str], reps: int, floor: float, key: str) -> None:
    probe = run_once(cmd)[1]
    if probe.returncode != 0:
        skipped(
            f"(b) {label}", f"`{' '.join(cmd[1:])}` exits {probe.returncode}: {last_line(probe)}"
        )
        return
    med, _, _ = time_cmd(cmd, reps)
    out(f"  {label}: {fmt_s(med)}  -> {ratio(med, floor)} the import floor")
    RESULTS["b"][key] = med
    RESULTS["b"][key.replace("_s", "_ratio")] = med / floor


def section_b(reps: int, route: tuple[str, str], small: tuple[Path, dict[str, Any]] | None) -> None:
    out("(b) cold start (whole process)")
    floor_imp, _, _ = time_cmd([PY, "-c", "import typer, rich.table, networkx, yaml"], reps)
    floor_pass, _, _ = time_cmd([PY, "-c", "pass"], reps)
    RESULTS["b"] = {"floor_imports_s": floor_imp, "python_pass_s": floor_pass}
    out(f"  python -c pass: {fmt_s(floor_pass)}")
    out(
        f"  python -c 'import typer, rich.table, networkx, yaml' (import floor): {fmt_s(floor_imp)}"
    )
    help_med, _, cp_h = time_cmd([PY, "-m", "corridor", "--help"], reps)
    if cp_h.returncode == 0:
        out(
            f"  corridor --help: {fmt_s(help_med)}  -> {ratio(help_med, floor_pass)} python -c pass"
        )
        RESULTS["b"]["help_s"] = help_med
        RESULTS["b"]["help_ratio"] = help_med / floor_pass
    else:
        skipped("(b) --help", last_line(cp_h))
    cmd = [PY, "-m", "corridor", "route", route[0], route[1], "--format", "json"]
    _cold_route(
        f"corridor route {route[0]} {route[1]} --format json (bundled network)",
        cmd,
        reps,
        floor_imp,
        "route_s",
    )
    if small is not None:
        net, meta = small
        a, b = meta["route"]
        cmd = [PY, "-m", "corridor", "route", a, b, "--format", "json", "--network", str(net)]
        _cold_route(
            f"corridor route on a generated {meta['places']:,}-place network",
            cmd,
            reps,
            floor_imp,
            "route_small_s",
        )


def section_e(net: Path, meta: dict[str, Any]) -> None:
    out("(e) one-shot route on the generated network (whole process, once each)")
    a, b = meta["route"]
    cmd = [PY, "-m", "corridor", "route", a, b, "--format", "json", "--network", str(net)]
    shutil.rmtree(BENCH_CACHE, ignore_errors=True)
    floor = RESULTS.get("b", {}).get("floor_imports_s")
    RESULTS["e"] = {}
    for label, key in (("first run, network cache empty", "route_cold_s"),
                       ("second run, network cache warm", "route_warm_s")):
        dt, cp = run_once(cmd)
        if cp.returncode != 0:
            skipped("(e)", f"`corridor route ... --network` exits {cp.returncode}: "
                    f"{last_line(cp)}")
            return
        extra = f"  -> {ratio(dt, floor)} the import floor" if floor else ""
        out(f"  corridor route {a} {b} --network <{meta['places']:,} places>, {label}: "
            f"{fmt_s(dt)}{extra}")
        RESULTS["e"][key] = dt


# --------------------------------------------------------------------------------------------
# (f) targets of issue 14, as ratios measured / target (at most 1.0 meets the target)

#: (key, what, target): seconds of CPU time (user + system) of a whole process, MiB of peak
#: resident memory, or a ratio to the import floor. Long: runs only with ``--only f``.
TARGETS: list[tuple[str, str, float, str]] = [
    ("route_json_s", "one-shot warm route, --format json", 0.5, "s"),
    ("route_table_s", "one-shot warm route, table", 0.8, "s"),
    ("alternatives_s", "one-shot warm route --alternatives 5", 1.0, "s"),
    ("matrix_200_s", "one-shot warm matrix 200 x 200, one process", 10.0, "s"),
    ("name_lookup_s", "first lookup of a place by name (in process, network loaded)", 0.1, "s"),
    ("route_peak_mib", "peak memory of the one-shot warm route", 300.0, "MiB"),
    ("bundled_route_floor", "bundled route / import floor", 1.15, "x"),
    ("help_floor", "--help / import floor", 1.0, "x"),
    ("validate_floor", "validate (bundled) / import floor", 1.0, "x"),
]


def run_rusage(cmd: list[str]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user + system) and peak resident MiB of one process."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=REPO, env=env(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        raise RuntimeError(f"{' '.join(cmd[2:5])}... exits {proc.returncode}: {err[-300:]}")
    if proc.stderr:
        proc.stderr.close()
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024


def best_cpu(cmd: list[str], reps: int) -> tuple[float, int]:
    """Least CPU seconds of ``reps`` runs (after one warm-up run) and the peak MiB seen."""
    run_rusage(cmd)
    runs = [run_rusage(cmd) for _ in range(reps)]
    return min(r[1] for r in runs), max(r[2] for r in runs)


def section_f(net: Path, meta: dict[str, Any], reps: int) -> None:
    out("(f) targets (issue 14): CPU time of a whole process, least of "
        f"{reps} after a warm-up; ratio = measured / target")
    a, b = meta["route"]
    base = [PY, "-m", "corridor"]
    got: dict[str, float] = {}
    floor = best_cpu([PY, "-c", "import typer, rich.table, networkx, yaml"], reps)[0]
    got["route_json_s"], got["route_peak_mib"] = best_cpu(
        base + ["route", a, b, "--network", str(net), "--format", "json"], reps)
    got["route_table_s"] = best_cpu(base + ["route", a, b, "--network", str(net)], reps)[0]
    got["alternatives_s"] = best_cpu(
        base + ["route", a, b, "--network", str(net), "--alternatives", "5", "--format",
                "json"], reps)[0]
    sys.path.insert(0, str(REPO))
    from corridor.engine.places import place_index
    from corridor.format.network import load_network

    # In process, as a query finds it: from the bench's (warm) network cache.
    os.environ["CORRIDOR_CACHE_DIR"] = str(BENCH_CACHE)
    os.environ.pop("CORRIDOR_NO_CACHE", None)
    network = load_network(net)
    ids = sorted(p.id for p in network.places)
    step = max(1, len(ids) // 200)
    chosen = ids[::step][:200]
    got["matrix_200_s"] = best_cpu(
        base + ["matrix", "--from", ",".join(chosen), "--to", ",".join(reversed(chosen)),
                "--network", str(net), "--format", "json"], 1)[0]
    name = network.places[len(network.places) // 2].name
    t = time.process_time()
    place_index(network).resolve(name)
    got["name_lookup_s"] = time.process_time() - t
    got["bundled_route_floor"] = best_cpu(
        base + ["route", "Tashkent", "Karachi", "--format", "json"], reps)[0] / floor
    got["help_floor"] = best_cpu(base + ["--help"], reps)[0] / floor
    got["validate_floor"] = best_cpu(base + ["validate"], reps)[0] / floor
    RESULTS["f"] = {"floor_cpu_s": floor, **got}
    out(f"  import floor (CPU): {fmt_s(floor)}")
    for key, what, target, unit in TARGETS:
        v = got[key]
        shown = fmt_s(v) if unit == "s" else (f"{v:.0f} MiB" if unit == "MiB" else
                                               f"{v:.2f}x")
        out(f"  {what}: {shown} (target {target:g}{'' if unit == 'x' else ' ' + unit}) "
            f"-> {v / target:.2f} of target{'' if v <= target else '  MISSED'}")


# --------------------------------------------------------------------------------------------
# (g) first run: where reading the YAML goes (issue 14, item 4)

#: Each stage of reading a network, timed in CPU seconds in one process with the collector
#: handled as the product handles it: parser events only (PyYAML's C parser handing each
#: event to Python, nothing kept), ``yamlsafe.load_file`` on every file (read, character
#: check, composing nodes with positions, duplicate keys, limits), the whole
#: ``loader.load(checks=False)`` (the same plus typing into records and the content hash),
#: the checks, and the expanded graph the first query builds.
STAGES_SCRIPT = r"""
import gc, json, sys, time
from pathlib import Path
net, files = sys.argv[1], sys.argv[2:]
cpu = time.process_time
import yaml
from corridor.engine.gcutil import gc_paused
from corridor.format import loader, yamlsafe
from corridor.format.checks import run_checks
texts = [Path(f).read_text(encoding="utf-8") for f in files]
got = {}
with gc_paused():
    t = cpu()
    for text in texts:
        p = yaml.CSafeLoader(text)
        for _ in iter(p.get_event, None):
            pass
        p.dispose()
    got["events_s"] = cpu() - t
    t = cpu()
    roots = [yamlsafe.load_file(Path(f), f)[0] for f in files]
    got["compose_s"] = cpu() - t
del roots, texts
gc.unfreeze()
gc.collect()
t = cpu()
result = loader.load(net, checks=False)
got["load_s"] = cpu() - t
t = cpu()
run_checks(result.network, result.index)
got["checks_s"] = cpu() - t
try:
    from corridor.engine.graph import expanded_graph
    t = cpu()
    expanded_graph(result.network).graph
    got["graph_s"] = cpu() - t
except Exception:
    pass
print(json.dumps(got))
"""


def run_cpu(cmd: list[str], extra_env: dict[str, str] | None = None) -> tuple[float, str]:
    """CPU seconds (user + system) of one whole process, and its stdout."""
    e = env()
    e.update(extra_env or {})
    proc = subprocess.Popen(cmd, cwd=REPO, env=e, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL)
    assert proc.stdout is not None
    stdout = proc.stdout.read().decode(errors="replace")
    _, status, usage = os.wait4(proc.pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise RuntimeError(f"{' '.join(cmd[2:5])}... exits {code}")
    return usage.ru_utime + usage.ru_stime, stdout


def section_g(net: Path, meta: dict[str, Any], reps: int) -> None:
    out(f"(g) first run: CPU time (user + system), least of {reps}; the floor is a bare "
        "yaml.load(CSafeLoader) of the same files")
    files = [str(f) for f in included_files(net)]
    a, b = meta["route"]
    whole = {
        "floor_s": [PY, "-c", PARSE_SCRIPT, "gc", *files],
        "validate_s": [PY, "-m", "corridor", "validate", str(net)],
        "route_nocache_s": [PY, "-m", "corridor", "route", a, b, "--network", str(net),
                            "--format", "json"],
    }
    got: dict[str, float] = {}
    for key, cmd in whole.items():
        got[key] = min(run_cpu(cmd, {"CORRIDOR_NO_CACHE": "1"})[0] for _ in range(reps))
    stages: dict[str, float] = {}
    for _ in range(reps):
        one = json.loads(run_cpu([PY, "-c", STAGES_SCRIPT, str(net), *files])[1])
        for k, v in one.items():
            stages[k] = min(stages.get(k, v), v)
    RESULTS["g"] = {**got, **stages}
    floor = got["floor_s"]
    out(f"  floor, bare CSafeLoader parse (gc on):     {fmt_s(floor)}")
    out(f"  corridor validate:                         {fmt_s(got['validate_s'])}"
        f"  -> {ratio(got['validate_s'], floor)} the floor")
    out(f"  corridor route {a} {b} (no cache): {fmt_s(got['route_nocache_s'])}"
        f"  -> {ratio(got['route_nocache_s'], floor)} the floor")
    ev, comp, load = stages["events_s"], stages["compose_s"], stages["load_s"]
    out("  in one process, gc as the product handles it:")
    out(f"    parser events into Python only:          {fmt_s(ev)}")
    out(f"    read + compose nodes (yamlsafe):         {fmt_s(comp)}"
        f"  ({fmt_s(comp - ev)} above the events)")
    out(f"    typing into records + hash:              {fmt_s(load - comp)}"
        f"  (load(checks=False) {fmt_s(load)})")
    out(f"    checks:                                  {fmt_s(stages['checks_s'])}")
    if "graph_s" in stages:
        out(f"    expanded graph (first query):            {fmt_s(stages['graph_s'])}")


# --------------------------------------------------------------------------------------------
# (c) and (d): in-process, on the generated network


class Lib:
    """The library's entry points as far as they exist (names are discovered, not assumed)."""

    def __init__(self) -> None:
        self.load_network = find_attr(["corridor.format.network", "corridor"], ["load_network"])
        self.expanded_graph = find_attr(
            ["corridor.engine.graph"], ["expanded_graph", "build_graph"]
        )
        self.find_route = find_attr(
            ["corridor.engine.routing", "corridor.route", "corridor"], ["find_route", "route"]
        )
        self.matrix = find_attr(
            ["corridor.analysis.matrix", "corridor.engine.routing", "corridor"],
            ["od_matrix", "route_matrix", "matrix", "find_matrix", "cost_matrix"],
        )


def road_state(lib_graph_mod: Any, place: str) -> Any:
    return lib_graph_mod.State(place, "road", None)


def section_cd(net: Path, meta: dict[str, Any], reps: int, only: set[str], n_sample: int) -> None:
    lib = Lib()
    if lib.load_network is None:
        for s in ("c", "d"):
            if s in only:
                skipped(f"({s})", "corridor.format.network.load_network does not exist yet")
        return
    load_network, name = lib.load_network
    out(f"loading {net.name} in-process with {name} ...")
    t = time.perf_counter()
    try:
        try:  # the YAML load itself, not the network cache (corridor.format.cache)
            network = load_network(str(net), cache=False)
        except TypeError:
            network = load_network(str(net))
    except Exception as err:  # NetworkError, or a loader still being written
        for s in ("c", "d"):
            if s in only:
                skipped(f"({s})", f"{name} failed: {type(err).__name__}: {str(err)[:200]}")
        return
    load_s = time.perf_counter() - t
    out(f"  load_network: {fmt_s(load_s)} (once; excluded from the ratios below)")
    RESULTS["load_network_s"] = load_s
    eg = None
    graph_mod = try_import("corridor.engine.graph")
    if lib.expanded_graph is not None:
        fn, gname = lib.expanded_graph
        t = time.perf_counter()
        eg = fn(network)
        build_s = time.perf_counter() - t
        G = eg.graph
        out(
            f"  {gname}: {fmt_s(build_s)} ({G.number_of_nodes()} nodes, "
            f"{G.number_of_edges()} edges; once, excluded)"
        )
        RESULTS["graph_build_s"] = build_s
    if "c" in only:
        section_c(network, eg, graph_mod, lib, meta, reps)
    if "d" in only:
        section_d(network, eg, graph_mod, lib, meta, n_sample)


def _route_call(lib: Lib, network: Any, o: str, d: str) -> Any:
    fn, _ = lib.find_route
    return call_flexible(fn, network, o, d, objective="time")


def _hours(res: Any) -> Any:
    h = getattr(res, "hours", None)
    return h if h is not None else getattr(getattr(res, "totals", None), "hours", None)


def section_c(
    network: Any, eg: Any, graph_mod: Any, lib: Lib, meta: dict[str, Any], reps: int
) -> None:
    out("(c) one route query, after loading")
    o, d = meta["route"]
    if eg is None:
        skipped("(c)", "no graph builder in corridor.engine.graph to run networkx on")
        return
    import networkx as nx

    G = eg.graph
    src, dst = road_state(graph_mod, o), road_state(graph_mod, d)
    nx_med, _, nx_res = time_call(lambda: nx.dijkstra_path(G, src, dst, weight="w_time"), reps)
    bi_med, _, _ = time_call(lambda: nx.bidirectional_dijkstra(G, src, dst, weight="w_time"), reps)
    nx_hours = nx.path_weight(G, nx_res, weight="hours")
    out(f"  {o} -> {d}, objective time")
    out(f"  networkx dijkstra_path, road state to road state: {fmt_s(nx_med)}  ({nx_hours:.1f} h)")
    out(f"  networkx bidirectional_dijkstra (for reference):  {fmt_s(bi_med)}")
    r: dict[str, Any] = {"pair": [o, d], "nx_dijkstra_path_s": nx_med, "nx_bidir_s": bi_med}
    if lib.find_route is None:
        skipped("(c) library route", "corridor.engine.routing.find_route does not exist yet")
        RESULTS["c"] = r
        return
    fname = lib.find_route[1]
    try:
        t = time.perf_counter()
        first = _route_call(lib, network, o, d)
        first_s = time.perf_counter() - t
        lib_med, _, res = time_call(lambda: _route_call(lib, network, o, d), reps)
    except Exception as err:
        skipped("(c) library route", f"{fname} raised {type(err).__name__}: {str(err)[:200]}")
        traceback.print_exc(limit=3)
        RESULTS["c"] = r
        return
    hours = _hours(res)
    out(f"  {fname}, first call: {fmt_s(first_s)}")
    h = f"  ({hours:.1f} h)" if isinstance(hours, (int, float)) else ""
    out(f"  {fname}, median of {reps} later calls: {fmt_s(lib_med)}{h}")
    out(f"  ratio library route / dijkstra_path: {ratio(lib_med, nx_med)}")
    r.update({"lib_first_s": first_s, "lib_s": lib_med, "ratio": lib_med / nx_med})
    RESULTS["c"] = r
    _ = first


def section_d(
    network: Any, eg: Any, graph_mod: Any, lib: Lib, meta: dict[str, Any], n_sample: int
) -> None:
    out("(d) 50 x 50 matrix")
    origins = meta["matrix_origins"][:50]
    dests = meta["matrix_destinations"][:50]
    n_pairs = len(origins) * len(dests)
    r: dict[str, Any] = {"origins": len(origins), "destinations": len(dests)}
    # plain networkx: one single-source Dijkstra per origin
    if eg is not None:
        import networkx as nx

        G = eg.graph
        t = time.perf_counter()
        for o in origins:
            dist = nx.single_source_dijkstra_path_length(
                G, road_state(graph_mod, o), weight="w_time"
            )
            _ = [dist.get(road_state(graph_mod, d)) for d in dests]
        nx_s = time.perf_counter() - t
        out(f"  networkx single-source Dijkstra per origin ({len(origins)} runs): {fmt_s(nx_s)}")
        r["nx_sssp_s"] = nx_s
    else:
        nx_s = None
        skipped("(d) networkx", "no graph builder in corridor.engine.graph")
    # separate route queries: a sample of pairs, extrapolated
    rq_s = None
    route_hours: dict[tuple[str, str], Any] = {}
    if lib.find_route is not None:
        pairs = [(origins[i % len(origins)], dests[(i * 7) % len(dests)]) for i in range(n_sample)]
        try:
            t = time.perf_counter()
            for o, d in pairs:
                res = _route_call(lib, network, o, d)
                route_hours[(o, d)] = _hours(res)
            sample_s = time.perf_counter() - t
            rq_s = sample_s / len(pairs) * n_pairs
            out(
                f"  {n_pairs} separate {lib.find_route[1]} calls: {fmt_s(rq_s)} "
                f"(extrapolated from {len(pairs)} timed calls, {fmt_s(sample_s / len(pairs))} each)"
            )
            r.update({"route_queries_s": rq_s, "sampled": len(pairs)})
        except Exception as err:
            skipped("(d) route queries", f"{lib.find_route[1]} raised {type(err).__name__}: {err}")
    else:
        skipped("(d) route queries", "corridor.engine.routing.find_route does not exist yet")
    if lib.matrix is None:
        skipped("(d) matrix", "no matrix function in corridor yet")
    else:
        fn, mname = lib.matrix
        try:
            t = time.perf_counter()
            m = call_flexible(fn, network, origins, dests, objective="time")
            m_s = time.perf_counter() - t
            out(f"  {mname} {len(origins)} x {len(dests)} (once): {fmt_s(m_s)}")
            agree = checked = 0
            if hasattr(m, "cell"):
                for (o, d), h in route_hours.items():
                    mh = getattr(m.cell(o, d), "hours", None)
                    if isinstance(h, (int, float)) and isinstance(mh, (int, float)):
                        checked += 1
                        agree += abs(mh - h) <= 1e-6 * max(1.0, abs(h))
            if checked:
                out(f"  matrix hours equal find_route hours on {agree} of {checked} sampled pairs")
                r["matrix_agrees"] = [agree, checked]
            r["matrix_s"] = m_s
            if rq_s:
                out(f"  ratio matrix / separate queries:   {ratio(m_s, rq_s)}")
                r["ratio_vs_queries"] = m_s / rq_s
            if nx_s:
                out(f"  ratio matrix / networkx per origin: {ratio(m_s, nx_s)}")
                r["ratio_vs_nx"] = m_s / nx_s
        except Exception as err:
            skipped("(d) matrix", f"{mname} raised {type(err).__name__}: {str(err)[:200]}")
    if rq_s and nx_s:
        out(f"  ratio separate queries / networkx per origin: {ratio(rq_s, nx_s)}")
        r["ratio_queries_vs_nx"] = rq_s / nx_s
    RESULTS["d"] = r


# --------------------------------------------------------------------------------------------


def guarded(section: str, fn: Callable[[], None]) -> None:
    """Run a section; an API that is still being written must not stop the others."""
    try:
        fn()
    except Exception as err:
        traceback.print_exc(limit=4)
        skipped(section, f"crashed: {type(err).__name__}: {str(err)[:200]}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="10,000 places, fewer repetitions")
    ap.add_argument("--places", type=int)
    ap.add_argument("--links", type=int)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--reps", type=int, help="repetitions per figure (median)")
    ap.add_argument("--only", default="a,b,c,d,e", help="sections to run, e.g. a,b")
    ap.add_argument(
        "--route",
        nargs=2,
        default=("Tashkent", "Karachi"),
        metavar=("FROM", "TO"),
        help="cold-start route on the bundled network",
    )
    ap.add_argument("--sample", type=int, help="route queries timed for (d)")
    ap.add_argument("--regen", action="store_true", help="regenerate the cached network")
    ap.add_argument("--json", help="also write the raw figures to this file")
    args = ap.parse_args(argv)
    places = args.places or (10_000 if args.quick else 100_000)
    links = args.links or round(places * 2.5)
    reps = args.reps or (3 if args.quick else 3)
    start_reps = max(reps, 5 if args.quick else 7)
    n_sample = args.sample or (50 if args.quick else 50)
    only = {s.strip() for s in args.only.split(",") if s.strip()}

    import networkx
    import yaml

    now = _dt.datetime.now(_dt.timezone.utc)
    out(
        f"corridor bench {now:%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, networkx {networkx.__version__}, "
        f"PyYAML {yaml.__version__} (libyaml {'yes' if yaml.__with_libyaml__ else 'no'})"
    )
    RESULTS["meta"] = {
        "date": now.isoformat(),
        "cores": os.cpu_count(),
        "places": places,
        "links": links,
        "reps": reps,
    }
    rev = subprocess.run(
        ["git", "log", "-1", "--format=%h %s"], cwd=REPO, capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--", "corridor", "cli.py", "networks"],
        cwd=REPO,
        capture_output=True,
        text=True,
    ).stdout.splitlines()
    note = f" + uncommitted changes in {len(dirty)} file(s) of others" if dirty else ""
    out(f"checkout: {rev}{note}")
    net = meta = None
    if only & {"a", "c", "d", "e", "f", "g"}:
        net, meta = ensure_network(places, links, args.seed, args.regen)
        out(
            f"network: {net} ({meta['places']} places, {meta['links']} links, "
            f"{meta['bytes'] / 1e6:.1f} MB); median of {reps} unless noted"
        )
    out()
    if "a" in only:
        guarded("(a)", lambda: section_a(net, reps))
        out()
    if "b" in only:
        small = ensure_network(1000, 2500, args.seed, args.regen)
        guarded("(b)", lambda: section_b(start_reps, tuple(args.route), small))
        out(f"  (median of {start_reps}, after one warm-up run)")
        out()
    if only & {"c", "d"}:
        guarded("(c)/(d)", lambda: section_cd(net, meta, reps, only, n_sample))
        out()
    if "e" in only:
        guarded("(e)", lambda: section_e(net, meta))
    if "f" in only:
        out()
        guarded("(f)", lambda: section_f(net, meta, reps))
    if "g" in only:
        out()
        guarded("(g)", lambda: section_g(net, meta, reps))
    if args.json:
        Path(args.json).write_text(json.dumps(RESULTS, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
