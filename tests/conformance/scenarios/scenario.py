"""scenario.py -- what every conformance scenario's Python side shares.

say() prints "T text" with T = seconds since the scenario started, in whole
milliseconds: the same normalized log the C side prints (scenario.h).  run()
runs the scenario on the virtual clock (chapters/awaitlab_clock.py), as the
C side does, so every time is exact and the logs are compared exactly.  job()
is the job many scenarios start a few of, and say_children() tells how
each ended (jobs.h on the C side); names() prints a set of tasks the way
the C side's say_done_pending() and say_cancelled() do.

Importing it also puts chapters/ on the module path, for the helpers the
chapters' Python twins share (awaitlab_queue.py).
"""
import asyncio
import math
import os
import sys

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                             "..", "..", "..", "chapters"))

import awaitlab_clock  # noqa: E402  (found through the path above)


def say(text):
    seconds = asyncio.get_running_loop().time()  # the virtual clock starts at 0
    ms = math.floor(seconds * 1000 + 0.5)  # round half up, like C's round()
    print(f"{ms / 1000:.3f} {text}", flush=True)


def run(main):
    awaitlab_clock.run(main(), virtual=True)


async def job(name, tenths, fails=False):
    """Sleeps tenths / 10 s, then raises RuntimeError("NAME failed") if
    `fails`, or else returns its name; says how it ends, cancelled too."""
    try:
        await asyncio.sleep(tenths / 10)
    except asyncio.CancelledError:
        say(f"{name} cancelled")
        raise
    if fails:
        say(f"{name} fails")
        raise RuntimeError(f"{name} failed")
    say(f"{name} done")
    return name


def say_children(tasks):
    """Says "children: a, cancelled": each job's result (its name), or that
    it was cancelled."""
    states = ["cancelled" if t.cancelled() else t.result() for t in tasks]
    say("children: " + ", ".join(states))


def names(tasks):
    """The tasks' names, sorted, as "a, b" ("none" if there are none)."""
    return ", ".join(sorted(t.get_name() for t in tasks)) or "none"
