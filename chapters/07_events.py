"""Chapter 07 -- events: one set() releases everybody, in Python asyncio.

An event is a flag that tasks can wait for.  Three sections:

  set_wakes_all  n waiters wait; `delay` seconds later one set() wakes all
                 of them at once, in the order they began to wait.  A
                 latecomer that waits on the event once it is set does
                 not wait at all.
  set_and_clear  set() followed at once by clear(): every task waiting at
                 the set() still wakes, but a task that waits after the
                 clear() waits for the next set().
  start_line     n runners warm up for different times, then wait at the
                 start line; when the last one is ready the starter fires
                 the "go" event and they all start at the same instant.

This is the twin of 07_events.c: same functions, same sections, same flags.
Run it alone:

    python3 chapters/07_events.py --n 3 --delay 1
    python3 chapters/07_events.py --seed 7 --log
"""

import argparse
import asyncio
import math

import awaitlab_log as log

n = 5
delay = 0.5
seed = 1


rng = None

# ---------------------------------------------------------------------------
# set_wakes_all and set_and_clear

event = None
woke = []              # waiters in the order they woke
woke_while_set = 0     # how many saw is_set() true on waking
latecomer_waited = 0.0
section_start = 0.0


async def waiter(i):
    global woke_while_set
    with log.task(f"waiter-{i}"):
        await event.wait()
        woke.append(i)
        woke_while_set += event.is_set()


async def latecomer(arrive):
    global latecomer_waited
    with log.task("latecomer"):
        await asyncio.sleep(arrive)
        started = log.now()
        await event.wait()
        latecomer_waited = log.now() - started


def in_fifo_order():
    """Did the waiters wake in the order they started waiting, 0 to n - 1?"""
    return woke == list(range(n))


def spawn_waiters():
    global woke_while_set
    woke.clear()
    woke_while_set = 0
    return [asyncio.create_task(waiter(i), name=f"waiter-{i}") for i in range(n)]


async def set_wakes_all():
    global event
    event = asyncio.Event()
    tasks = spawn_waiters()
    tasks.append(asyncio.create_task(latecomer(2 * delay), name="latecomer"))
    await asyncio.sleep(delay)
    event.set()
    set_at = log.now() - section_start
    await asyncio.gather(*tasks)

    order = "in the order they began to wait" if in_fifo_order() else "OUT OF ORDER"
    log.say(f"one set() at {set_at:.3f} s woke all {len(woke)} waiters, {order}")
    log.say(f"the latecomer found the event set and waited {latecomer_waited:.3f} s")


async def set_and_clear():
    global event
    event = asyncio.Event()
    tasks = spawn_waiters()
    await asyncio.sleep(delay)
    event.set()
    event.clear()                   # at once: the waiters still wake
    tasks.append(asyncio.create_task(latecomer(0), name="latecomer"))
    await asyncio.sleep(delay)
    woken_by_first_set = len(woke)
    event.set()                     # only now does the latecomer wake
    await asyncio.gather(*tasks)

    log.say(f"set() then clear() woke {woken_by_first_set} of {n} waiters; "
            f"{woke_while_set} of them saw the event set")
    log.say(f"the latecomer came after the clear() and waited {latecomer_waited:.3f} s "
            "for the next set()")


# ---------------------------------------------------------------------------
# start_line

class Runner:
    def __init__(self, warm_up, race):
        self.warm_up, self.race = warm_up, race  # seconds, drawn from --seed
        self.started = None                      # when it left the start line


runners = []
all_ready = go = None
ready = 0
winner = None


async def run(i):
    global ready, winner
    with log.task(f"runner-{i}"):
        await asyncio.sleep(runners[i].warm_up)
        ready += 1
        if ready == n:
            all_ready.set()            # the last one in tells the starter
        await go.wait()                # the start line
        runners[i].started = log.now()
        await asyncio.sleep(runners[i].race)
        if winner is None:
            winner = i


async def starter():
    with log.task("starter"):
        await all_ready.wait()
        go.set()


def draw_time():
    """A multiple of delay / 5, from delay / 5 to delay: whole tenths by default."""
    return delay * (1 + math.floor(rng.random() * 5)) / 5


def started_together():
    """Did every runner leave the start line within the same millisecond?"""
    starts = [r.started for r in runners]
    return max(starts) - min(starts) < 0.001


async def start_line():
    global all_ready, go, ready, winner
    all_ready, go = asyncio.Event(), asyncio.Event()
    ready, winner = 0, None
    runners.clear()
    for _ in range(n):
        warm_up = draw_time()
        runners.append(Runner(warm_up, draw_time()))
    slowest_warm_up = max(r.warm_up for r in runners)
    tasks = [asyncio.create_task(run(i), name=f"runner-{i}") for i in range(n)]
    tasks.append(asyncio.create_task(starter(), name="starter"))
    await asyncio.gather(*tasks)

    went = runners[0].started - section_start
    log.say(f"the slowest runner needed {slowest_warm_up:.3f} s to get ready; "
            f"go at {went:.3f} s")
    together = "all started at once" if started_together() else "they did NOT start together"
    log.say(f"{together}; runner-{winner} won in {runners[winner].race:.3f} s")


# ---------------------------------------------------------------------------

async def chapter_main():
    global rng, section_start
    rng = log.SplitMix64(seed)  # the runners draw the same times as in C

    log.section("set_wakes_all", "n waiters, one set(): all wake at once")
    section_start = log.now()
    await set_wakes_all()
    log.section_end()

    log.section("set_and_clear", "set() then clear() at once: the waiters still wake")
    section_start = log.now()
    await set_and_clear()
    log.section_end()

    log.section("start_line", "runners wait at the start line until the starter says go")
    section_start = log.now()
    await start_line()
    log.section_end()


def parse_args():
    p = argparse.ArgumentParser(
        description="chapter 07: many waiters woken by one set(), clear(), "
                    "and a start line for runners",
        allow_abbrev=False)
    p.add_argument("--n", type=int, default=n,
                   help=f"how many waiters, and how many runners (default {n})")
    p.add_argument("--delay", type=float, default=delay,
                   help="seconds before the event is set; warm-ups and races last "
                        f"up to this (default {delay:g})")
    p.add_argument("--seed", type=int, default=seed,
                   help="seed for random choices (default 1)")
    p.add_argument("--log", action="store_true",
                   help="print the normalized event log (conformance)")
    log.add_clock_flag(p)
    args = p.parse_args()
    if not 1 <= args.n <= 10000:
        p.error("--n must be a whole number from 1 to 10000")
    if not 0 <= args.delay <= 3600:
        p.error("--delay must be a number of seconds from 0 to 3600")
    if not 0 <= args.seed < 2**64:
        p.error("--seed must be a whole number of 0 or more")
    return args


if __name__ == "__main__":
    args = parse_args()
    n, delay, seed = args.n, args.delay, args.seed
    log.begin("07", "Events: one set() releases everybody", {"n": n, "delay": delay},
              args.log, args.clock)
    log.run(chapter_main())
    log.finish()
