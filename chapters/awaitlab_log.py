"""awaitlab_log -- the small harness the Python twins of the chapters share.

It plays the part of chapters/harness.c: it opens and closes sections, says
things for people, and records when each task starts and how it ends.  With
--log it prints those events in the same normalized form as the C program's
--log, so that the conformance tests can compare the two line by line:

    0.000 section gather
    0.000 start fetch-0
    0.500 end fetch-0 ok

Times are seconds since the run began, in whole milliseconds.  Without
--log it prints a short summary of each section instead.

run() runs the chapter on one of two clocks, like the C program's --clock:
virtual (awaitlab_clock.py: sleeps take no real time, and the times in the
log are exact, so they can be compared with C's exactly) or asyncio's real
one, for a live demo.  --log runs on the virtual clock unless --clock real
is given.

It also has what harness.c gives the C chapters besides: random numbers
that are the same as lab_random()'s from the same seed (SplitMix64), and a
count of tasks by how they ended (count_in_state).
"""

import asyncio
import contextlib
import math

import awaitlab_clock

_log_mode = False
_clock = "real"
_loop = None     # the loop run() ran the chapter on: now() reads its clock
_started = 0.0
_events = []   # (seconds, text), in the order things happened
_section = None  # (name, index of its first event, start time)


def add_clock_flag(parser):
    """The --clock flag every twin takes, as the C chapters do."""
    parser.add_argument("--clock", choices=["real", "virtual"],
                        help="real waits in real time; virtual jumps to the next "
                             "timer (default: virtual with --log, else real)")


def begin(number, title, params, log_mode, clock=None):
    """Picks the clock and says what runs.  params is a dict of the
    chapter's flags; clock is "real", "virtual" or None for the default."""
    global _log_mode, _clock
    _log_mode = log_mode
    _clock = clock or ("virtual" if log_mode else "real")
    if not log_mode:
        print(f"chapter {number}: {title} (Python asyncio)")
        print(" ".join(f"{k}={v:g}" for k, v in params.items()) + f" clock={_clock}")


def run(main, debug=None):
    """asyncio.run(main) on the clock begin() picked; now() counts from
    main's first step."""
    async def timed():
        global _loop, _started
        _loop = asyncio.get_running_loop()
        _started = _loop.time()
        return await main
    return awaitlab_clock.run(timed(), virtual=_clock == "virtual", debug=debug)


def now():
    """Seconds since the chapter began, on its loop's clock."""
    return _loop.time() - _started if _loop else 0.0


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
            ms = math.floor(seconds * 1000 + 0.5)  # round half up, like llround
            print(f"{ms / 1000:.3f} {text}")
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
