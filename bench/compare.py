#!/usr/bin/env python3
"""compare.py -- run each awaitlab benchmark beside the programs people pick instead.

usage: python3 bench/compare.py [BUILD_DIR] [--quick] [--only NAME[,NAME...]]
                                [--json FILE] [--python PYTHON]

For every workload it runs $BUILD/bench/<name> (C, libawaitlab) and its
peers with the same size, one after the other, in the same run:

  * CPython asyncio: bench/<name>.py on the system's Python (/usr/bin/python3
    when it exists, the one Debian's python3-uvloop is built for);
  * uvloop: the same program with BENCH_LOOP=uvloop (bench/peer_loop.py);
  * for http_fanout, the curl command line (bench/http_fanout_curl.py) and
    aiohttp (bench/http_fanout_aiohttp.py), against one lab server
    ($BUILD/awaitlab serve --port 0) started for them;
  * for million_sleepers, the floor of the design: $BUILD/bench/page_floor
    touches one fresh page per task, laid out as the runtime lays out stacks.

Last, bench/viewer_frames.py watches a 10,000-task chapter in the live viewer
on a pseudo-terminal and counts frames a second and CPU time (`viewer` in
--only).

A peer that is not installed is reported as skipped, not as an error.

Every program runs its workload several rounds in one process and reports
the first round (cold: fresh memory, a new loop) and the best one (warm).
Each side runs `repeats` times and the median counts.  Memory is the peak
resident set of the process (from os.wait4()) and, for the workloads that
hold many tasks at once, bytes per task: (peak RSS - the same program's peak
RSS for one task) / n.

The report (a detailed table, then one table of ratios per workload) goes to
stdout and $BUILD/bench/results.md; --json writes the figures as JSON too.
A missed target is marked MISS but is not an error: the exit status is
non-zero only when a program could not be run or failed.
BENCH_QUICK=1 in the environment is the same as --quick.
"""
import argparse
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
GIB_KB = 1024 * 1024
SLEEP_S = 1.0  # million_sleepers' sleep, not part of its work


class Workload:
    def __init__(self, name, size, quick_size, what, targets, repeats=3, rounds=5,
                 peers=("CPython", "uvloop"), per_task=False, prime=False, floor=None):
        self.name = name
        self.size = size              # argument for a full run
        self.quick_size = quick_size  # argument for --quick
        self.what = what              # one line for the notes
        self.targets = targets        # {peer: (min cold ratio, min warm ratio)}
        self.repeats = repeats        # runs per side; the median counts
        self.rounds = rounds          # rounds inside each run (BENCH_ROUNDS)
        self.peers = peers
        self.per_task = per_task      # report bytes per task
        self.prime = prime            # one untimed floor run first, see run_workload
        self.floor = floor            # bench/ program measuring the design's floor
        self.primed = False           # whether this run did prime it


BOTH_PY = {"CPython", "uvloop"}
WORKLOADS = [
    Workload("yield_loop", 1_000_000, 100_000,
             "one task, aw_yield() / await asyncio.sleep(0), n times",
             {"CPython": (None, 100)}),
    Workload("ping_pong", 1_000_000, 100_000,
             "two tasks yielding to each other n times each: a real switch", {}),
    Workload("spawn_gather", 100_000, 10_000, "spawn n tasks that yield once, then gather",
             {"CPython": (3, 50), "uvloop": (3, 50)}, per_task=True,
             peers=("floor", "CPython", "uvloop"), floor="switch_floor"),
    Workload("million_sleepers", 1_000_000, 20_000,
             "n tasks each sleeping 1 s (real clock), gathered",
             {"CPython": (2, 2), "floor": (1.2, 1.2)}, repeats=3, rounds=2,
             peers=("floor", "CPython", "uvloop"), per_task=True, prime=True,
             floor="page_floor"),
    Workload("sleep_overshoot", 15, 3, "gather ten 0.5 s sleeps, n rounds; overshoot",
             {}, repeats=1, rounds=1),
    Workload("semaphore_fanout", 100_000, 10_000,
             "n tasks through a Semaphore(100), each yielding once inside, gathered",
             {"CPython": (None, 50)}, per_task=True),
    Workload("queue_pipe", 1_000_000, 100_000,
             "n items through a Queue(maxsize=100), one producer, one consumer",
             {"CPython": (None, 30)}),
    Workload("lock_contention", 1000, 20,
             "1,000 tasks x n rounds of lock acquire / yield / release",
             {"CPython": (None, 50)}),
    Workload("to_thread_roundtrip", 20_000, 2_000,
             "one task, aw_to_thread() / asyncio.to_thread() of a no-op, n times in a row",
             {"CPython": (None, 5)}),
    Workload("http_fanout", 10_000, 1_000,
             "n GETs of /bytes/1024 from the lab server, 100 in flight: one aw_http_session "
             "with 100 worker tasks vs `curl --parallel --parallel-max 100` and an aiohttp "
             "ClientSession with 100 worker tasks", {"curl": (None, 1)}, rounds=3,
             peers=("curl", "aiohttp")),
]


class Run:
    """One finished process: its key=value line, wall time and peak RSS."""

    def __init__(self, argv, status, wall_s, rss_kb, stdout, stderr, cpu_s=0.0):
        self.argv, self.status, self.wall_s, self.rss_kb = argv, status, wall_s, rss_kb
        self.cpu_s = cpu_s  # user + system time of the whole process
        self.stdout, self.stderr = stdout, stderr
        self.values = {}
        for line in stdout.splitlines():
            for token in line.split():
                key, eq, value = token.partition("=")
                if eq:
                    self.values[key] = value

    @property
    def ok(self):
        return self.status == 0 and "time_s" in self.values

    def num(self, key):
        return float(self.values[key]) if key in self.values else None

    def why(self):
        return (self.stderr.strip().splitlines() or [f"exit status {self.status}"])[-1]


def clean_env(extra):
    """The environment for the children, without tracing or debug modes."""
    env = dict(os.environ)
    for key in ("AWAITLAB_TRACE", "AWAITLAB_DEBUG", "AWAITLAB_CLOCK", "BENCH_LOOP",
                "PYTHONASYNCIODEBUG", "PYTHONDEVMODE", "PYTHONTRACEMALLOC"):
        env.pop(key, None)
    env.update(extra)
    return env


def run_once(argv, env, timeout_s):
    """Runs argv to completion; returns a Run with wall time and peak RSS."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        try:
            proc = subprocess.Popen(argv, stdout=out, stderr=err, env=env)
        except OSError as e:
            return Run(argv, -1, 0.0, 0, "", str(e))
        # os.wait4 gives this child's own rusage: ru_maxrss is its peak RSS
        # alone.  A timer kills the child if it hangs.
        killer = threading.Timer(timeout_s, lambda: os.kill(proc.pid, signal.SIGKILL))
        killer.start()
        try:
            _, wait_status, usage = os.wait4(proc.pid, 0)
        finally:
            killer.cancel()
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(wait_status)
        out.seek(0)
        err.seek(0)
        stderr = err.read().decode(errors="replace")
        if proc.returncode < 0:
            stderr += f"\nkilled by signal {-proc.returncode}"
            if -proc.returncode == signal.SIGKILL and wall >= timeout_s:
                stderr += f" (timed out after {timeout_s} s)"
        return Run(argv, proc.returncode, wall, usage.ru_maxrss,
                   out.read().decode(errors="replace"), stderr,
                   usage.ru_utime + usage.ru_stime)


class LabServer:
    """`awaitlab serve --port 0` for the HTTP workload: started on first use."""

    def __init__(self, build):
        self.program = os.path.join(build, "awaitlab")
        self.proc = None
        self.url = None

    def start(self):
        if self.proc is None:
            self.proc = subprocess.Popen([self.program, "serve", "--port", "0"],
                                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                         text=True, env=clean_env({}))
            first = self.proc.stdout.readline()  # "awaitlab lab server: URL"
            if not first.startswith("awaitlab lab server: "):
                self.stop()
                raise RuntimeError(f"`{self.program} serve` did not start")
            self.url = first.split(": ", 1)[1].strip()
        return self.url

    def stop(self):
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc.stdout.close()
            self.proc = None


def side_command(side, w, args, size):
    """(argv, extra environment) for one side of a workload, or a string
    saying why that side is skipped."""
    python = args.python
    if side == "awaitlab":
        return [os.path.join(args.build, "bench", w.name), str(size)], {}
    if side == "floor":
        return [os.path.join(args.build, "bench", w.floor), str(size)], {}
    if side == "CPython":
        return [python, os.path.join(HERE, w.name + ".py"), str(size)], {}
    if side == "uvloop":
        if not python_has(python, "uvloop"):
            return f"uvloop not installed for {python} (Debian: python3-uvloop)"
        return [python, os.path.join(HERE, w.name + ".py"), str(size)], {"BENCH_LOOP": "uvloop"}
    if side == "aiohttp":
        if not python_has(python, "aiohttp"):
            return f"aiohttp not installed for {python} (Debian: python3-aiohttp)"
        return [python, os.path.join(HERE, "http_fanout_aiohttp.py"), str(size)], {}
    if side == "curl":
        if subprocess.run(["sh", "-c", "command -v curl"], capture_output=True).returncode:
            return "curl not installed"
        return [python, os.path.join(HERE, "http_fanout_curl.py"), str(size)], {}
    raise ValueError(side)


_modules = {}


def python_has(python, module):
    if (python, module) not in _modules:
        _modules[python, module] = subprocess.run(
            [python, "-c", f"import {module}"], capture_output=True).returncode == 0
    return _modules[python, module]


def median_run(runs):
    """The run with the median warm time (the lower middle one for even
    counts); its cold time is replaced by the median cold time."""
    bad = [r for r in runs if not r.ok]
    if bad:
        return bad[0]
    by_warm = sorted(runs, key=lambda r: r.num("time_s"))
    chosen = by_warm[(len(runs) - 1) // 2]
    colds = sorted(r.num("first_s") for r in runs if r.num("first_s") is not None)
    if colds:
        chosen.values["first_s"] = str(colds[(len(colds) - 1) // 2])
    return chosen


def fmt_time(s):
    if s is None:
        return "–"
    if s < 1e-3:
        return f"{s * 1e6:.0f} µs"
    if s < 1:
        return f"{s * 1e3:.1f} ms"
    return f"{s:.2f} s"


def fmt_rss(kb):
    return f"{kb / GIB_KB:.2f} GiB" if kb >= GIB_KB else f"{kb / 1024:.1f} MiB"


class Side:
    """What one side of a workload measured: cold, warm, memory."""

    def __init__(self, name, run=None, skipped=None, baseline_kb=None, size=None):
        self.name, self.run, self.skipped = name, run, skipped
        self.cold = self.warm = self.bytes_per_task = None
        if run is None or not run.ok:
            return
        self.warm, self.cold = run.num("time_s"), run.num("first_s")
        if run.num("overshoot_ms_median") is not None:  # sleep_overshoot: ms late
            self.warm = run.num("overshoot_ms_median") / 1e3
            self.cold = run.num("overshoot_ms_first") / 1e3
        if run.num("bytes_per_task") is not None:
            self.bytes_per_task = run.num("bytes_per_task")
        elif baseline_kb is not None and size:
            self.bytes_per_task = max(0, run.rss_kb - baseline_kb) * 1024 / size

    @property
    def failed(self):
        return self.skipped is None and (self.run is None or not self.run.ok)

    def work(self, seconds, w):
        """The part of a time that is the runtime's work: million_sleepers'
        one-second sleep is not."""
        if seconds is None:
            return None
        return seconds - SLEEP_S if w.name == "million_sleepers" and self.name != "floor" \
            else seconds

    def as_json(self):
        if self.skipped:
            return {"skipped": self.skipped}
        if self.failed:
            return {"error": self.run.why() if self.run else "did not run"}
        return {"cold_s": self.cold, "warm_s": self.warm, "peak_rss_kb": self.run.rss_kb,
                "process_cpu_s": self.run.cpu_s, "process_wall_s": self.run.wall_s,
                "bytes_per_task": self.bytes_per_task, "output": self.run.values}


def ratio(peer, aw, w, phase):
    """How many times faster awaitlab is than the peer (for the floor: how
    many times the floor awaitlab takes, lower is better)."""
    a, p = getattr(aw, phase), getattr(peer, phase)
    if a is None or p is None:
        return None
    if peer.name == "floor":
        return aw.work(a, w) / p if p > 0 else None
    return p / a if a > 0 else None


def verdict(w, aw, peer, cold_ratio, warm_ratio):
    need = w.targets.get(peer.name)
    if not need:
        return "info"
    ok = True
    for wanted, got in zip(need, (cold_ratio, warm_ratio)):
        if wanted is None:
            continue
        if got is None:
            return "ERROR"
        ok &= got <= wanted if peer.name == "floor" else got >= wanted
    return "PASS" if ok else "MISS"


def prime_memory(w, args, size, timeout_s):
    """One untimed run of the floor, just before a repeat.  On a virtual
    machine, memory the guest freed a few seconds ago is handed back to the
    host, and the next process to touch gigabytes pays for the host backing
    it again: 1 to 3 s more in a first round, whichever side it is.  A side
    that follows a long run of another (CPython's 20 s) would pay it and one
    that follows a short one would not; with this run first, every side of
    the repeat starts on memory in use a moment ago.  It touches a quarter
    more than the floor itself, so that it covers the sides that need more
    than the floor (awaitlab's task structs)."""
    argv, extra = side_command("floor", w, args, size + size // 4)
    run_once(argv, clean_env({**extra, "BENCH_ROUNDS": "1"}), timeout_s)


def run_workload(w, args, server, timeout_s):
    size = w.quick_size if args.quick else w.size
    repeats = 1 if args.quick else w.repeats
    rounds = min(w.rounds, 2) if args.quick else w.rounds
    names = ["awaitlab"] + list(w.peers)
    commands = {s: side_command(s, w, args, size) for s in names}
    runs = {s: [] for s in names}
    for i in range(repeats):
        if w.prime and not args.quick:
            prime_memory(w, args, size, timeout_s)
            w.primed = True
        for s in names:
            cmd = commands[s]
            if isinstance(cmd, str) or (runs[s] and not runs[s][-1].ok):
                continue
            argv, extra = cmd
            if w.name == "http_fanout":
                argv = argv + [server.start()]
            print(f"  {w.name} n={size} {s} [{i + 1}/{repeats}] ...", end=" ", flush=True,
                  file=sys.stderr)
            r = run_once(argv, clean_env({**extra, "BENCH_ROUNDS": str(rounds)}), timeout_s)
            runs[s].append(r)
            print(f"cold {r.values.get('first_s', '–')} s, warm {r.values.get('time_s', 'failed')}"
                  f" s, {fmt_rss(r.rss_kb)}", file=sys.stderr, flush=True)
    sides = []
    for s in names:
        if isinstance(commands[s], str):
            sides.append(Side(s, skipped=commands[s]))
            continue
        run = median_run(runs[s])
        baseline = None
        if w.per_task and run.ok and run.num("bytes_per_task") is None:
            argv, extra = commands[s]
            base = run_once(argv[:-1] + ["1"], clean_env({**extra, "BENCH_ROUNDS": "1"}),
                            timeout_s)
            baseline = base.rss_kb if base.ok else None
        sides.append(Side(s, run, baseline_kb=baseline, size=size))
    return size, sides


def notes_for(w, sides):
    aw = sides[0]
    notes = []
    for s in sides:
        if s.failed:
            notes.append(f"{s.name} failed: `{' '.join(s.run.argv)}`: {s.run.why()}")
        elif s.skipped:
            notes.append(f"{s.name} skipped: {s.skipped}")
    if aw.failed:
        return notes
    v = aw.run.values
    if w.name == "million_sleepers":
        if aw.run.rss_kb > 6 * GIB_KB:
            notes.append(f"awaitlab peak RSS {fmt_rss(aw.run.rss_kb)} is over 6 GiB")
        notes.append("awaitlab's time beyond the 1 s sleep: cold "
                     f"{fmt_time(aw.work(aw.cold, w))}, warm {fmt_time(aw.work(aw.warm, w))}; "
                     "the floor row's ratio is that time over the floor's (lower is better)")
        if w.primed:
            notes.append("each repeat began with one untimed run of the floor touching a "
                         "quarter more pages, so that every side starts on memory the "
                         "machine had in use a moment before (see prime_memory in "
                         "bench/compare.py: on a virtual machine, memory freed a few "
                         "seconds earlier costs 1 to 3 s more to touch again)")
    if w.name == "spawn_gather":
        py = next((s for s in sides if s.name == "CPython" and s.warm), None)
        floor = next((s for s in sides if s.name == "floor" and s.warm), None)
        if floor:
            notes.append("the floor row is the switching alone (bench/switch_floor.c: n "
                         "stacks laid out as the runtime's, each entered and left twice, "
                         f"warm only): {fmt_time(floor.warm)}")
        if floor and py:
            needed = py.warm / 50
            notes.append(f"50× CPython's warm time needs awaitlab ≤ {fmt_time(needed)}; "
                         f"the floor alone takes {fmt_time(floor.warm)}, "
                         f"{floor.warm / needed:.2f}× that")
    if w.name == "sleep_overshoot":
        notes.append("times are how late a 0.5 s sleep wakes: cold is the first round, warm "
                     "the median; the ratio is peer lateness / awaitlab lateness; target: "
                     f"awaitlab median ≤ 1 ms ({'PASS' if aw.warm <= 1e-3 else 'MISS'})")
    if w.name == "to_thread_roundtrip" and "libuv_us_per_roundtrip" in v:
        notes.append(f"bare libuv uv_queue_work round trip on this machine: "
                     f"{float(v['libuv_us_per_roundtrip']):.1f} µs")
    if w.name == "http_fanout":
        notes.append(f"connections opened: awaitlab {v.get('connections')}; curl's time "
                     "includes its start-up, every curl round is a fresh process")
    return notes


VIEWER_TASKS = 10_000
VIEWER_TARGET = (30, 25)  # at least this many frames a second, at most this % of a core


def run_viewer(args, timeout_s):
    """Runs bench/viewer_frames.py; returns its Run."""
    seconds = "3" if args.quick else "8"
    argv = [sys.executable, os.path.join(HERE, "viewer_frames.py"), args.build,
            "--seconds", seconds, "--tasks", str(VIEWER_TASKS)]
    print(f"  viewer {VIEWER_TASKS} tasks ...", end=" ", flush=True, file=sys.stderr)
    r = run_once(argv, clean_env({}), timeout_s)
    print(f"{r.values.get('fps', 'failed')} fps, {r.values.get('viewer_cpu_pct', '–')}% CPU",
          file=sys.stderr, flush=True)
    return r


def judge_viewer(r, quick):
    """(summary row, JSON entry) for the viewer measurement."""
    name = f"viewer ({VIEWER_TASKS:,} tasks)"
    target = f"≥ {VIEWER_TARGET[0]} fps, ≤ {VIEWER_TARGET[1]}% core"
    if r.status != 0 or "fps" not in r.values:
        return ([name, "itself", "–", "–", target, "ERROR"],
                {"workload": "viewer", "result": "ERROR", "error": r.why()})
    fps, cpu = r.num("fps"), r.num("viewer_cpu_pct")
    result = "PASS" if fps >= VIEWER_TARGET[0] and cpu <= VIEWER_TARGET[1] else "MISS"
    if quick:
        result = f"ran ({result.lower()})"
    return ([name, "itself", f"{fps:.1f} fps", f"{cpu:.1f}% core", target,
             "**MISS**" if result == "MISS" else result],
            {"workload": "viewer", "tasks": VIEWER_TASKS, "fps": fps, "viewer_cpu_pct": cpu,
             "output": r.values, "target": list(VIEWER_TARGET), "result": result})


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("build", nargs="?", default="build", help="build directory (default build)")
    ap.add_argument("--quick", action="store_true",
                    default=os.environ.get("BENCH_QUICK") == "1",
                    help="small sizes, one run each: done in a minute or two")
    ap.add_argument("--only", default="", help="comma-separated workload names")
    ap.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    default_python = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
    ap.add_argument("--python", default=default_python, help="the CPython to compare with")
    args = ap.parse_args()

    chosen = [w for w in WORKLOADS if not args.only or w.name in args.only.split(",")]
    if not chosen and "viewer" not in args.only.split(","):
        ap.error(f"--only: no such workload; choose from {', '.join(w.name for w in WORKLOADS)}")
    timeout_s = 120 if args.quick else 900
    py_version = subprocess.run([args.python, "-c", "import sys; print(sys.version.split()[0])"],
                                capture_output=True, text=True).stdout.strip()
    load = os.getloadavg()[0]

    want_viewer = not args.only or "viewer" in args.only.split(",")
    results = []
    server = LabServer(args.build)
    try:
        for w in chosen:
            size, sides = run_workload(w, args, server, timeout_s)
            results.append((w, size, sides))
    finally:
        server.stop()
    viewer = run_viewer(args, timeout_s) if want_viewer else None

    detail = [["workload", "side", "cold", "warm", "peak RSS", "bytes/task",
               "process CPU / wall"]]
    summary = [["workload", "peer", "cold ×", "warm ×", "target (cold, warm)", "result"]]
    # (the viewer's row shows frames a second and CPU in the two ratio columns)
    failed, misses, as_json = False, 0, []
    for w, size, sides in results:
        aw = sides[0]
        failed |= any(s.failed for s in sides)
        entry = {"workload": w.name, "n": size, "sides": {}, "ratios": {}}
        for s in sides:
            entry["sides"][s.name] = s.as_json()
            if s.skipped or s.failed:
                cells = ["skipped" if s.skipped else "ERROR"] + ["–"] * 4
            else:
                cells = [fmt_time(s.cold), fmt_time(s.warm), fmt_rss(s.run.rss_kb),
                         "–" if s.bytes_per_task is None else f"{s.bytes_per_task:,.0f}",
                         f"{fmt_time(s.run.cpu_s)} / {fmt_time(s.run.wall_s)}"]
            detail.append([f"{w.name} (n={size:,})", s.name] + cells)
        for peer in sides[1:]:
            if peer.skipped or peer.failed or aw.failed:
                result = "skipped" if peer.skipped else "ERROR"
                summary.append([w.name, peer.name, "–", "–", "–", result])
                entry["ratios"][peer.name] = {"result": result}
                continue
            c, m = ratio(peer, aw, w, "cold"), ratio(peer, aw, w, "warm")
            result = verdict(w, aw, peer, c, m)
            if args.quick and result in ("PASS", "MISS"):
                result = f"ran ({result.lower()})"  # targets hold for the full sizes
            misses += result == "MISS"
            need = w.targets.get(peer.name)
            sign = "≤" if peer.name == "floor" else "≥"
            target = ", ".join("–" if x is None else f"{sign} {x}×" for x in need) if need else "–"
            summary.append([w.name, f"{peer.name}" + (" (× floor)" if peer.name == "floor" else ""),
                            "–" if c is None else f"{c:.2f}×", "–" if m is None else f"{m:.2f}×",
                            target, "**MISS**" if result == "MISS" else result])
            entry["ratios"][peer.name] = {"cold": c, "warm": m, "target": need, "result": result}
        entry["notes"] = notes_for(w, sides)
        as_json.append(entry)
    if viewer is not None:
        row, entry = judge_viewer(viewer, args.quick)
        summary.append(row)
        as_json.append(entry)
        failed |= entry["result"] == "ERROR"
        misses += entry["result"] == "MISS"

    def table(rows):
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        rows = rows[:1] + [["---"] * len(rows[0])] + rows[1:]
        return ["| " + " | ".join(t.ljust(wd) for t, wd in zip(r, widths)) + " |" for r in rows]

    mode = "quick (small sizes, one run each)" if args.quick else "full"
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    report = [
        "# awaitlab benchmarks beside CPython asyncio, uvloop, aiohttp and curl",
        "",
        f"{stamp}, {platform.machine()}, {os.cpu_count()} CPUs, load average {load:.1f} at "
        f"the start, Python {py_version} ({args.python}), mode: {mode}.",
        "Every program runs its workload in rounds inside one process: **cold** is the first "
        "round (fresh memory, a new loop: what a demo's first run sees), **warm** the best "
        "round. Each side runs in turn in the same run; where a side runs more than once, "
        "the median counts. Peak RSS is the process's; bytes/task is (peak RSS − the same "
        "program's peak RSS for one task) / n.",
        "",
        *table(detail),
        "",
        "Ratios: the peer's time / awaitlab's (higher is better for awaitlab); for the floor, "
        "awaitlab's time beyond the sleep / the floor's time (lower is better).",
        "",
    ]
    for w, size, sides in results:
        report.append(f"- **{w.name}**: {w.what}.")
        report += [f"  {n}." for n in notes_for(w, sides)]
    if viewer is not None:
        report.append(f"- **viewer**: `awaitlab view 03 --n {VIEWER_TASKS:,} --limit 1000 "
                      "--delay 1` on a 200x50 pseudo-terminal (bench/viewer_frames.py): frames "
                      "a second and the viewer's own CPU time over the measured window; the "
                      "viewer draws at most one frame per TV_FRAME_MS (30 ms: 33 a second).")
    report += ["", *table(summary), ""]
    quick_env = "BENCH_QUICK=1 " if args.quick and "--quick" not in sys.argv else ""
    command = quick_env + " ".join(["sh bench/run.sh"] + sys.argv[1:])
    report.append(f"Reproduce: `{command}` (`make bench` runs `sh bench/run.sh build`; "
                  "`make bench BENCH_QUICK=1` the quick mode).")
    text = "\n".join(report) + "\n"

    print()
    print(text, end="")
    out_dir = os.path.join(args.build, "bench")
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "results.md"), "w") as f:
        f.write(text)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"when": stamp, "mode": mode, "load_average": load, "python": py_version,
                       "cpus": os.cpu_count(), "workloads": as_json}, f, indent=2)
    print(f"(written to {os.path.join(out_dir, 'results.md')}"
          + (f" and {args.json}" if args.json else "") + ")")
    if misses:
        print(f"{misses} target(s) missed -- see MISS above", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
