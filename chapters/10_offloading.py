"""Chapter 10 -- offloading blocking work: threads and subprocesses, in Python asyncio.

A few "ticker" tasks sleep `tick` seconds in a loop, as any healthy task
does between two bits of work; how late their ticks come shows whether the
loop is free.  Four sections:

  blocking    a task calls a blocking function (time.sleep, standing in for
              a synchronous driver or a slow disk) directly: for `block`
              seconds no other task runs.  The program runs asyncio in
              debug mode, which names the task that held the loop.
  to_thread   the same function through asyncio.to_thread(): it runs on a
              worker thread and the tickers keep their rhythm.
  subprocess  CPU-heavy work (counting primes) in `jobs` child processes,
              which are this very script started with a hidden flag, while
              the tickers tick.
  cancel      a task waiting on a thread is cancelled `cancel-after` seconds
              after its thread began: the task stops at once, the thread does not -- it
              finishes its work `block` seconds after it began, and a second
              task that waits for it shows when.

This is the twin of 10_offloading.c: same functions, same sections, same
flags.  One default differs: --primes is 200000 here, not 2000000, because
CPython counts primes some fifty times slower than C, and a child that takes
ten seconds makes a dull demo (asyncio itself does not mind either way).
Run it alone:

    python3 chapters/10_offloading.py
    python3 chapters/10_offloading.py --tick 0.2 --primes 1000 --log
"""

import argparse
import asyncio
import logging
import math
import re
import sys
import threading
import time

import awaitlab_log as log

n = 3
tick = 0.1
block = 0.5
primes = 200000
jobs = 2
cancel_after = 0.1

COUNT_PRIMES_FLAG = "--count-primes"  # the hidden flag of a CPU job
TICK_WORK = 0.01

# --------------------------------------------------------------------------
# The blocking work


def write_report():
    time.sleep(block)  # a synchronous database driver, requests.get, a slow disk
    return 1


def a_little_work():
    """What a task computes between two awaits: a moment, but a visible one."""
    end = time.perf_counter() + TICK_WORK
    while time.perf_counter() < end:
        pass


def count_primes(below):
    """The CPU-bound work, by trial division."""
    count = 0
    for candidate in range(2, below):
        d = 2
        while d * d <= candidate:
            if candidate % d == 0:
                break
            d += 1
        else:
            count += 1
    return count


# --------------------------------------------------------------------------
# Tickers: tasks that show whether the loop is free

stop = None  # asyncio.Event, set when the section's work is done
longest_gap = 0.0


async def ticker(i):
    global longest_gap
    with log.task(f"ticker-{i}"):
        last = log.now()
        while not stop.is_set():
            await asyncio.sleep(tick)
            longest_gap = max(longest_gap, log.now() - last)
            last = log.now()
            a_little_work()
        return 0


async def with_tickers(work, count, name):
    """Runs `count` tasks of `work` beside the tickers, and reports how late
    the tickers' ticks came."""
    global stop, longest_gap
    stop = asyncio.Event()
    longest_gap = 0.0
    tickers = [asyncio.create_task(ticker(i), name=f"ticker-{i}") for i in range(n)]
    names = [name] if count == 1 else [f"{name}-{i}" for i in range(count)]
    workers = [asyncio.create_task(work(names[i]), name=names[i]) for i in range(count)]
    await asyncio.gather(*workers)
    stop.set()
    await asyncio.gather(*tickers)
    log.say(f"the tickers asked for a tick every {tick:.3f} s; "
            f"the longest gap was {longest_gap:.3f} s")


class SlowSteps(logging.Handler):
    """Collects asyncio's debug-mode warnings ("Executing <Task ...> took
    0.501 seconds") and passes them on to stderr."""

    def __init__(self):
        super().__init__()
        self.seen = []  # (task name, seconds)

    def emit(self, record):
        print(f"asyncio: {record.getMessage()}", file=sys.stderr)
        if record.msg.startswith("Executing"):
            match = re.search(r"name='([^']*)'", str(record.args[0]))
            self.seen.append((match[1] if match else "?", record.args[1]))


slow_steps = SlowSteps()


def report_slow_steps(first):
    seen = slow_steps.seen[first:]
    if not seen:
        log.say("debug mode: no step held the loop for 0.1 s or more")
        return
    culprit, held = max(seen, key=lambda s: s[1])
    log.say(f"debug mode: task '{culprit}' held the loop for {held:.3f} s")


# --------------------------------------------------------------------------
# blocking, to_thread


async def report_blocking(name):
    with log.task(name):
        return write_report()  # the mistake: no await, no thread


async def report_on_thread(name):
    with log.task(name):
        return await asyncio.to_thread(write_report)


# --------------------------------------------------------------------------
# subprocess

primes_found = 0


async def crunch(name):
    global primes_found
    with log.task(name):
        child = await asyncio.create_subprocess_exec(
            sys.executable, __file__, COUNT_PRIMES_FLAG, str(primes),
            stdout=asyncio.subprocess.PIPE)
        out, _ = await child.communicate()
        if child.returncode != 0:
            raise RuntimeError(f"the prime counter exited with status {child.returncode}")
        primes_found = int(out)
        return primes_found


# --------------------------------------------------------------------------
# cancel

began = threading.Event()  # write_file_slowly is running on its thread
saved = threading.Event()  # ... and has finished


def write_file_slowly():
    began.set()  # on a thread now: nothing will stop it
    time.sleep(block)
    saved.set()  # the work is done, whoever still waits for it
    return 1


async def save():
    with log.task("save"):
        return await asyncio.to_thread(write_file_slowly)


async def watch():
    with log.task("watch"):
        return await asyncio.to_thread(saved.wait)


async def cancel_a_thread():
    # The clock for cancel_after starts once the thread is at work: a job
    # cancelled while it still waits in the executor's queue never runs, and
    # the watcher would then wait for ever.
    began.clear()
    saved.clear()
    started = log.now()
    saver = asyncio.create_task(save(), name="save")
    await asyncio.sleep(0)  # save queues its thread job
    await asyncio.to_thread(began.wait)  # ... and the thread took it
    watcher = asyncio.create_task(watch(), name="watch")
    try:
        await asyncio.wait_for(saver, cancel_after)  # cancels saver on expiry
    except TimeoutError:
        pass
    cancelled_at = log.now() - started
    await watcher  # the thread is still at it
    written_at = log.now() - started
    if not saver.cancelled():
        log.say(f"{cancelled_at:.3f} s: task 'save' finished before its deadline")
        return
    log.say(f"{cancelled_at:.3f} s: task 'save' was cancelled; its thread was not")
    log.say(f"{written_at:.3f} s: the thread finished writing anyway, "
            f"{written_at - cancelled_at:.3f} s after the cancellation")


# --------------------------------------------------------------------------
# The chapter

async def chapter_main():
    log.section("blocking", "a task calls a blocking function: every task waits")
    first = len(slow_steps.seen)
    await with_tickers(report_blocking, 1, "report")
    report_slow_steps(first)
    log.section_end()

    log.section("to_thread", "the same call through to_thread: the tickers keep ticking")
    first = len(slow_steps.seen)
    await with_tickers(report_on_thread, 1, "report")
    report_slow_steps(first)
    log.section_end()

    log.section("subprocess", "CPU-heavy work in child processes, beside the tickers")
    await with_tickers(crunch, jobs, "crunch")
    log.say(f"each child counted {primes_found} primes below {primes}")
    log.section_end()

    log.section("cancel", "cancelling a task that waits on a thread does not stop the thread")
    await cancel_a_thread()
    log.section_end()


def parse_args():
    p = argparse.ArgumentParser(
        description="chapter 10: a blocking call freezes every task; to_thread, "
                    "subprocesses for CPU work, and threads that outlive cancellation",
        allow_abbrev=False)
    p.add_argument("--n", type=int, default=n,
                   help=f"ticker tasks that sleep `tick` seconds in a loop (default {n})")
    p.add_argument("--tick", type=float, default=tick,
                   help=f"seconds each ticker sleeps between two ticks (default {tick:g})")
    p.add_argument("--block", type=float, default=block,
                   help=f"seconds the blocking call takes (default {block:g})")
    p.add_argument("--primes", type=int, default=primes,
                   help=f"each CPU job counts the primes below this (default {primes})")
    p.add_argument("--jobs", type=int, default=jobs,
                   help=f"CPU jobs, each in its own child process (default {jobs})")
    p.add_argument("--cancel-after", type=float, default=cancel_after,
                   help="seconds after its thread began before the task waiting on it is cancelled "
                        f"(default {cancel_after:g})")
    p.add_argument("--seed", type=int, default=1,
                   help="seed for random choices (default 1; unused here)")
    p.add_argument("--log", action="store_true",
                   help="print the normalized event log (conformance)")
    log.add_clock_flag(p)
    args = p.parse_args()
    for name, low, high in (("n", 1, 20), ("primes", 2, 5000000), ("jobs", 1, 16)):
        if not low <= getattr(args, name) <= high:
            p.error(f"--{name} must be a whole number from {low} to {high}")
    for name, low, high in (("tick", 0.01, 10), ("block", 0, 5), ("cancel_after", 0, 60)):
        value = getattr(args, name)
        if not (math.isfinite(value) and low <= value <= high):
            p.error(f"--{name.replace('_', '-')} must be a number of seconds "
                    f"from {low:g} to {high:g}")
    if not 0 <= args.seed < 2**64:
        p.error("--seed must be a whole number of 0 or more")
    return args


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == COUNT_PRIMES_FLAG:
        print(count_primes(int(sys.argv[2])))  # one CPU job, started by crunch()
        sys.exit(0)
    args = parse_args()
    n, tick, block = args.n, args.tick, args.block
    primes, jobs, cancel_after = args.primes, args.jobs, args.cancel_after
    logging.getLogger("asyncio").addHandler(slow_steps)
    log.begin("10", "Offloading blocking work",
              {"n": n, "tick": tick, "block": block, "primes": primes, "jobs": jobs,
               "cancel-after": cancel_after}, args.log, args.clock)
    log.run(chapter_main(), debug=True)  # debug mode, as `python3 -X dev` would
    log.finish()
