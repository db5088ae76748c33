#!/usr/bin/env python3
"""compare.py -- run each awaitlab benchmark and its CPython asyncio twin.

usage: python3 bench/compare.py [BUILD_DIR] [--quick] [--only NAME[,NAME...]]

For every workload it runs $BUILD/bench/<name> (C, libawaitlab) and its
peer with the same size, one after the other.  The peer is bench/<name>.py
(CPython asyncio), except for http_fanout, whose peer is the curl command
line, driven by bench/http_fanout_curl.py.  The HTTP workload needs a
server: one lab server ($BUILD/awaitlab serve --port 0) is started for it,
its URL is given to both sides, and it is stopped at the end.  It records:

  * the time each program reports for its workload (time_s, measured inside
    the program around aw_run() / asyncio.run(), so interpreter start-up is
    not counted), and the wall time of the whole process;
  * the peak resident set size of the process, from os.wait4()'s rusage.

The table goes to stdout and to $BUILD/bench/results.md.  A missed target is
marked MISS but is not an error: the exit status is 0 unless a program could
not be run or failed.
"""
import argparse
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
GIB_KB = 1024 * 1024


class Workload:
    def __init__(self, name, size, quick_size, repeats, what, target,
                 peer="CPython", peer_script=None, needs_server=False):
        self.name = name
        self.size = size              # argument for a full run
        self.quick_size = quick_size  # argument for --quick
        self.repeats = repeats        # runs per side; the median run counts
        self.what = what              # one line for the table's notes
        self.target = target          # text for the table's target column
        self.peer = peer              # who the C program is compared with
        self.peer_script = peer_script or name + ".py"  # run with python, in bench/
        self.needs_server = needs_server  # both sides get the lab server's URL


WORKLOADS = [
    Workload("yield_loop", 1_000_000, 100_000, 3,
             "one task, aw_yield() / await asyncio.sleep(0), n times", "≥ 100×"),
    Workload("ping_pong", 1_000_000, 100_000, 3,
             "two tasks yielding to each other n times each: a real switch", "(info)"),
    Workload("spawn_gather", 100_000, 10_000, 3,
             "spawn n tasks that yield once, then gather", "≥ 50×"),
    Workload("million_sleepers", 1_000_000, 20_000, 1,
             "n tasks each sleeping 1 s (real clock), gathered", "≥ 20×, C RSS ≤ 6 GiB"),
    Workload("sleep_overshoot", 15, 3, 1,
             "gather ten 0.5 s sleeps, n rounds; median overshoot", "C median ≤ 1 ms"),
    Workload("semaphore_fanout", 100_000, 10_000, 3,
             "n tasks through a Semaphore(100), each yielding once inside, gathered",
             "≥ 50×"),
    Workload("queue_pipe", 1_000_000, 100_000, 3,
             "n items through a Queue(maxsize=100), one producer, one consumer",
             "≥ 30×"),
    Workload("lock_contention", 1000, 20, 3,
             "1,000 tasks × n rounds of lock acquire / yield / release", "≥ 50×"),
    Workload("to_thread_roundtrip", 20_000, 2_000, 3,
             "one task, aw_to_thread() / asyncio.to_thread() of a no-op, n times in a row",
             "≥ 5×"),
    Workload("http_fanout", 10_000, 1_000, 3,
             "n GETs of /bytes/1024 from the lab server, 100 in flight: one aw_http_session "
             "with 100 worker tasks vs `curl --parallel --parallel-max 100` over the same URLs",
             "≥ 1× curl", peer="curl", peer_script="http_fanout_curl.py", needs_server=True),
]


class Run:
    """One finished process: its key=value line, wall time and peak RSS."""

    def __init__(self, argv, status, wall_s, rss_kb, stdout, stderr):
        self.argv = argv
        self.status = status
        self.wall_s = wall_s
        self.rss_kb = rss_kb
        self.stdout = stdout
        self.stderr = stderr
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
        return float(self.values[key])


def clean_env():
    """The environment for the children, without tracing or debug modes."""
    env = dict(os.environ)
    for key in ("AWAITLAB_TRACE", "AWAITLAB_DEBUG", "AWAITLAB_CLOCK",
                "PYTHONASYNCIODEBUG", "PYTHONDEVMODE", "PYTHONTRACEMALLOC"):
        env.pop(key, None)
    return env


def run_once(argv, timeout_s):
    """Runs argv to completion; returns a Run with wall time and peak RSS."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        try:
            proc = subprocess.Popen(argv, stdout=out, stderr=err, env=clean_env())
        except OSError as e:
            return Run(argv, -1, 0.0, 0, "", str(e))
        # os.wait4 gives this child's own rusage, so ru_maxrss is its peak
        # RSS alone.  A timer kills the child if it hangs.
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
                   out.read().decode(errors="replace"), stderr)


class LabServer:
    """`awaitlab serve --port 0` for the HTTP workloads: started on first
    use, stopped by stop()."""

    def __init__(self, build):
        self.program = os.path.join(build, "awaitlab")
        self.proc = None
        self.url = None

    def start(self):
        if self.proc is None:
            self.proc = subprocess.Popen([self.program, "serve", "--port", "0"],
                                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                         text=True, env=clean_env())
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


def median_run(runs):
    """The run with the median time_s (the lower middle one for even counts)."""
    good = [r for r in runs if r.ok]
    if len(good) < len(runs):
        return next(r for r in runs if not r.ok)
    good.sort(key=lambda r: r.num("time_s"))
    return good[(len(good) - 1) // 2]


def fmt_time(s):
    if s < 1e-3:
        return f"{s * 1e6:.0f} µs"
    if s < 1:
        return f"{s * 1e3:.1f} ms"
    return f"{s:.2f} s"


def fmt_rss(kb):
    if kb >= GIB_KB:
        return f"{kb / GIB_KB:.2f} GiB"
    return f"{kb / 1024:.1f} MiB"


def cell(w, run):
    """What the table shows for one side: the workload time, or for
    sleep_overshoot the median overshoot."""
    if not run.ok:
        return "ERROR"
    if w.name == "sleep_overshoot":
        return f"+{run.num('overshoot_ms_median'):.3f} ms"
    if w.name == "http_fanout":
        return f"{fmt_time(run.num('time_s'))}, {run.num('requests_per_s'):,.0f} req/s"
    return fmt_time(run.num("time_s"))


def judge(w, c, py):
    """Returns (awaitlab cell, peer cell, ratio cell, verdict, notes)."""
    notes = []
    if not c.ok or not py.ok:
        side = "awaitlab" if not c.ok else w.peer
        bad = c if not c.ok else py
        why = (bad.stderr.strip().splitlines() or [f"exit status {bad.status}"])[-1]
        notes.append(f"{side} failed: `{' '.join(bad.argv)}`: {why}")
        return cell(w, c), cell(w, py), "–", "ERROR", notes

    if w.name == "sleep_overshoot":
        c_ms, py_ms = c.num("overshoot_ms_median"), py.num("overshoot_ms_median")
        ratio = f"{py_ms / c_ms:.1f}×" if c_ms > 0 else "–"
        verdict = "PASS" if c_ms <= 1.0 else "MISS"
        notes.append(f"overshoot ms (median / min / max): awaitlab "
                     f"{c_ms:.3f} / {c.num('overshoot_ms_min'):.3f} / "
                     f"{c.num('overshoot_ms_max'):.3f}, CPython {py_ms:.3f} / "
                     f"{py.num('overshoot_ms_min'):.3f} / {py.num('overshoot_ms_max'):.3f}")
        return cell(w, c), cell(w, py), ratio, verdict, notes

    c_s, py_s = c.num("time_s"), py.num("time_s")
    ratio = py_s / c_s if c_s > 0 else float("inf")
    need = {"ping_pong": 0, "yield_loop": 100, "spawn_gather": 50, "million_sleepers": 20,
            "semaphore_fanout": 50, "queue_pipe": 30, "lock_contention": 50,
            "to_thread_roundtrip": 5, "http_fanout": 1}[w.name]
    verdict = "info" if need == 0 else "PASS" if ratio >= need else "MISS"
    if "first_s" in c.values and "first_s" in py.values:
        notes.append(f"time is the best of 5 rounds in one process; the first round, "
                     f"with fresh memory for every task: awaitlab "
                     f"{fmt_time(c.num('first_s'))}, CPython {fmt_time(py.num('first_s'))} "
                     f"({py.num('first_s') / c.num('first_s'):.1f}×)")
    if w.name == "ping_pong":
        notes.append(f"ns per switch: awaitlab {c.num('ns_per_switch'):.1f}, "
                     f"CPython {py.num('ns_per_switch'):.1f}")
    elif w.name == "yield_loop":
        notes.append(f"ns per yield: awaitlab {c.num('ns_per_yield'):.1f}, "
                     f"CPython {py.num('ns_per_yield'):.1f}")
    elif w.name == "spawn_gather":
        notes.append(f"ns per task: awaitlab {c.num('ns_per_task'):.1f}, "
                     f"CPython {py.num('ns_per_task'):.1f}")
    elif w.name == "semaphore_fanout":
        notes.append(f"ns per task: awaitlab {c.num('ns_per_task'):.1f}, "
                     f"CPython {py.num('ns_per_task'):.1f}; peak inside: awaitlab "
                     f"{c.values.get('peak')}, CPython {py.values.get('peak')}")
    elif w.name == "queue_pipe":
        notes.append(f"ns per item: awaitlab {c.num('ns_per_item'):.1f}, "
                     f"CPython {py.num('ns_per_item'):.1f}")
    elif w.name == "lock_contention":
        notes.append(f"ns per acquire/yield/release: awaitlab {c.num('ns_per_cycle'):.1f}, "
                     f"CPython {py.num('ns_per_cycle'):.1f}")
    elif w.name == "to_thread_roundtrip":
        notes.append(f"µs per round trip: awaitlab {c.num('us_per_roundtrip'):.1f}, "
                     f"CPython {py.num('us_per_roundtrip'):.1f}; bare libuv on this "
                     f"machine (uv_queue_work, no tasks, timed in the same process after "
                     f"the run): {c.num('libuv_us_per_roundtrip'):.1f}; pool: "
                     f"{c.values.get('threads')} threads on both sides")
    elif w.name == "http_fanout":
        notes.append(f"requests/s: awaitlab {c.num('requests_per_s'):,.0f}, curl "
                     f"{py.values.get('curl')} {py.num('requests_per_s'):,.0f}; connections "
                     f"opened: awaitlab {c.values.get('connections')}, curl "
                     f"{py.values.get('connections')}; both against one lab server "
                     f"(one thread) on this machine; curl's time includes its start-up")
    elif w.name == "million_sleepers":
        if c.rss_kb > 6 * GIB_KB:
            verdict = "MISS"
            notes.append(f"awaitlab peak RSS {fmt_rss(c.rss_kb)} is over 6 GiB")
        notes.append(f"bytes per suspended task ((peak − baseline RSS) / n): "
                     f"awaitlab {c.num('bytes_per_task'):.0f}, "
                     f"CPython {py.num('bytes_per_task'):.0f}")
        sleep_s = 1.0
        c_over, py_over = c_s - sleep_s, py_s - sleep_s
        if c_over > 0:
            notes.append(f"time beyond the 1 s sleep: awaitlab {fmt_time(c_over)}, "
                         f"CPython {fmt_time(py_over)} ({py_over / c_over:.1f}×)")
    return cell(w, c), cell(w, py), f"{ratio:.1f}×", verdict, notes


def run_workload(w, args, server, timeout_s, rows, notes):
    """Runs both sides of workload `w`, adds its row and notes; returns True
    if a side could not run."""
    size = w.quick_size if args.quick else w.size
    repeats = 1 if args.quick else w.repeats
    c_argv = [os.path.join(args.build, "bench", w.name), str(size)]
    peer_argv = [args.python, os.path.join(HERE, w.peer_script), str(size)]
    if w.needs_server:
        url = server.start()
        c_argv.append(url)
        peer_argv.append(url)
    c_runs, peer_runs = [], []
    for i in range(repeats):
        for side, argv, runs in (("awaitlab", c_argv, c_runs), (w.peer, peer_argv, peer_runs)):
            if runs and not runs[-1].ok:
                continue  # this side already failed; the other still runs
            print(f"  {w.name} n={size} {side} [{i + 1}/{repeats}] ...",
                  end=" ", flush=True, file=sys.stderr)
            r = run_once(argv, timeout_s)
            runs.append(r)
            print(f"{r.values.get('time_s', 'failed')} s, {fmt_rss(r.rss_kb)}",
                  file=sys.stderr, flush=True)
    c = median_run(c_runs)
    peer = median_run(peer_runs)
    c_cell, peer_cell, ratio, verdict, why = judge(w, c, peer)
    if args.quick and verdict != "ERROR":
        verdict = "ran"  # targets hold for the full sizes only
    name = f"{w.name} (n={size})" + (f" vs {w.peer}" if w.peer != "CPython" else "")
    rows.append([name, c_cell, fmt_rss(c.rss_kb) if c.ok else "–",
                 peer_cell, fmt_rss(peer.rss_kb) if peer.ok else "–", ratio, w.target,
                 verdict if verdict != "MISS" else "**MISS**"])
    notes.append((w, why, c, peer))
    return verdict == "ERROR"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("build", nargs="?", default="build", help="build directory (default build)")
    ap.add_argument("--quick", action="store_true", help="small sizes, one run each: a smoke test")
    ap.add_argument("--only", default="", help="comma-separated workload names")
    ap.add_argument("--python", default=sys.executable, help="the CPython to compare with")
    args = ap.parse_args()

    chosen = [w for w in WORKLOADS if not args.only or w.name in args.only.split(",")]
    if not chosen:
        ap.error(f"--only: no such workload; choose from {', '.join(w.name for w in WORKLOADS)}")
    timeout_s = 120 if args.quick else 600
    py_version = subprocess.run([args.python, "-c", "import sys; print(sys.version.split()[0])"],
                                capture_output=True, text=True).stdout.strip()

    rows, notes, failed = [], [], False
    server = LabServer(args.build)
    try:
        for w in chosen:
            failed |= run_workload(w, args, server, timeout_s, rows, notes)
    finally:
        server.stop()

    header = ["workload", "awaitlab time", "RSS", "peer time", "RSS", "ratio", "target", "result"]
    table = [header, ["---"] * len(header)] + rows
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    lines = ["| " + " | ".join(text.ljust(wd) for text, wd in zip(r, widths)) + " |"
             for r in table]

    mode = "quick (smoke sizes, one run each)" if args.quick else "full"
    report = [
        "# awaitlab benchmarks vs CPython asyncio and the curl command line",
        "",
        f"{datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}, "
        f"{platform.machine()}, {os.cpu_count()} CPUs, Python {py_version}, mode: {mode}.",
        "Times are each program's own measurement of its workload (around aw_run() / "
        "asyncio.run(); for curl, its whole process); RSS is the process's peak resident "
        "set; the peer is CPython asyncio, or where the workload says so the curl command "
        "line; ratio is peer / awaitlab (for sleep_overshoot: CPython overshoot / awaitlab "
        "overshoot). "
        "All runs use the real clock. Where a workload runs more than once per side, "
        "the median run is shown." + (" Targets are judged only at full sizes; --quick "
                                      "checks that everything runs." if args.quick else ""),
        "",
        *lines,
        "",
    ]
    for w, why, c, py in notes:
        report.append(f"- **{w.name}**: {w.what}.")
        for n in why:
            report.append(f"  {n}.")
        if c.ok and py.ok:
            report.append(f"  process wall time: awaitlab {fmt_time(c.wall_s)}, "
                          f"{w.peer} {fmt_time(py.wall_s)}.")
    command = " ".join(["sh bench/run.sh"] + sys.argv[1:])
    report += ["", f"Reproduce: `{command}` (`make bench` runs `sh bench/run.sh build`)."]
    text = "\n".join(report) + "\n"

    print()
    print(text, end="")
    out_dir = os.path.join(args.build, "bench")
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "results.md"), "w") as f:
        f.write(text)
    print(f"(written to {os.path.join(out_dir, 'results.md')})")
    misses = sum(r[-1] == "**MISS**" for r in rows)
    if misses:
        print(f"{misses} target(s) missed -- see MISS above", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
