"""awaitlab_log -- the small harness the Python twins of the chapters share.

It plays the part of chapters/harness.c: it opens and closes sections, says
things for people, and records when each task starts and how it ends.  With
--log it prints those events in the same normalized form as the C program's
--log, so that the conformance tests can compare the two line by line:

    0.0 section gather
    0.0 start fetch-0
    0.5 end fetch-0 ok

Times are seconds since the run began, rounded to tenths.  Without --log it
prints a short summary of each section instead.

It also has what harness.c gives the C chapters besides: random numbers
that are the same as lab_random()'s from the same seed (SplitMix64), and a
count of tasks by how they ended (count_in_state).
"""

import asyncio
import contextlib
import math
import time

_log_mode = False
_started = time.monotonic()
_events = []   # (seconds, text), in the order things happened
_section = None  # (name, index of its first event, start time)


def begin(number, title, params, log_mode):
    """Starts the clock.  params is a dict of the chapter's flags."""
    global _log_mode, _started
    _log_mode = log_mode
    _started = time.monotonic()
    if not log_mode:
        print(f"chapter {number}: {title} (Python asyncio)")
        print(" ".join(f"{k}={v:g}" for k, v in params.items()) + " clock=real")


def now():
    """Seconds since begin()."""
    return time.monotonic() - _started


def _event(text):
    _events.append((now(), text))


@contextlib.contextmanager
def task(name):
    """Wrap a coroutine's body in this: it logs the start now, and the end
    when the body returns (ok), raises (error MESSAGE) or is cancelled."""
    _event(f"start {name}")
    try:
        yield
    except asyncio.CancelledError:
        _event(f"end {name} cancelled")
        raise
    except Exception as e:
        _event(f"end {name} error {e}")
        raise
    _event(f"end {name} ok")


def section(name, what):
    """Opens a section; it lasts until section_end()."""
    global _section
    _event(f"section {name}")
    _section = (name, len(_events), now())
    if not _log_mode:
        print(f"\n== {name}: {what}", flush=True)


def section_end():
    """Closes the section and, for people, says what happened in it."""
    name, first, started = _section
    elapsed = now() - started
    tasks = peak = running = ok = failed = cancelled = 0
    for _, text in _events[first:]:
        kind, *rest = text.split(" ")
        if kind == "start":
            tasks += 1
            running += 1
            peak = max(peak, running)
        elif kind == "end":
            running -= 1
            ok += rest[1] == "ok"
            failed += rest[1] == "error"
            cancelled += rest[1] == "cancelled"
    _event(f"section-end {name}")
    if not _log_mode:
        print(f"   {elapsed:.3f} s  {tasks} tasks  peak {peak} at once  "
              f"{ok} ok  {failed} failed  {cancelled} cancelled", flush=True)


def say(text):
    """A line for people: printed in the summary, never with --log."""
    if not _log_mode:
        print("   " + text, flush=True)


def finish():
    """Prints the log (with --log) or the total time."""
    if _log_mode:
        for seconds, text in _events:
            tenths = math.floor(seconds * 10 + 0.5)  # round half up, like llround
            print(f"{tenths / 10:.1f} {text}")
    else:
        print(f"\ntotal {now():.3f} s")


class SplitMix64:
    """The same random numbers as lab_random() in harness.c, from the same
    seed, so that a chapter draws the same values in C and here."""

    MASK = 2**64 - 1

    def __init__(self, seed):
        self.state = seed & self.MASK

    def random(self):
        """Uniform in [0, 1)."""
        self.state = (self.state + 0x9E3779B97F4A7C15) & self.MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & self.MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & self.MASK
        z ^= z >> 31
        return (z >> 11) * 2.0**-53


def outcome(task):
    """How a task ended: "ok", "failed" or "cancelled"; "pending" while it
    has not (aw_task_state_of() in C)."""
    if not task.done():
        return "pending"
    if task.cancelled():
        return "cancelled"
    return "failed" if task.exception() else "ok"


def count_in_state(tasks, state):
    """How many of the tasks are in `state` (see outcome); lab_count_in_state()
    in harness.c."""
    return sum(outcome(t) == state for t in tasks)
