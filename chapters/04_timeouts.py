"""Chapter 04 -- timeouts: deadlines for one task, for a gather, nested; in Python asyncio.

n fetches; fetch i takes delay * (i + 1) / n seconds, so with the defaults
they take 0.2, 0.4, 0.6, 0.8 and 1.0 s against a timeout of 0.5 s.  Five
sections:

  wait_for        each fetch under its own deadline, wait_for(task,
                  timeout): the quick ones answer, the slow ones are
                  cancelled at the deadline.
  gather_timeout  one deadline around a whole gather: at the deadline the
                  unfinished fetches are cancelled; the finished ones keep
                  their results; the caller gets the timeout.
  inner_shorter   two nested timeout scopes, the inner one shorter: only
                  the inner times out, and the outer block carries on.
  outer_shorter   the outer one shorter: the inner scope sees a plain
                  cancellation, and only the outer reports the timeout.
  cleanup         a fetch that, cancelled, must still wait to say goodbye
                  (`cleanup` seconds).  The caller gets the timeout after
                  the goodbye.

This is the twin of 04_timeouts.c: same functions, same sections, same
flags.  Run it alone:

    python3 chapters/04_timeouts.py --timeout 0.7
    python3 chapters/04_timeouts.py --log
"""

import argparse
import asyncio
import math

import awaitlab_log as log

n = 5
delay = 1.0
timeout = 0.5
cleanup = 0.2


def duration(i):
    """How long fetch i takes: the last one takes `delay`."""
    return delay * (i + 1) / n


async def fetch(i):
    with log.task(f"fetch-{i}"):
        await asyncio.sleep(duration(i))
        return i


def spawn_fetch(i):
    return asyncio.create_task(fetch(i), name=f"fetch-{i}")


# --------------------------------------------------------------------------
# wait_for: a deadline per task

async def fetch_with_deadline(i):
    with log.task(f"deadline-{i}"):
        task = spawn_fetch(i)
        try:
            return await asyncio.wait_for(task, timeout)
        except TimeoutError:
            return None  # the fetch was cancelled


async def each_with_a_deadline():
    guards = [asyncio.create_task(fetch_with_deadline(i), name=f"deadline-{i}")
              for i in range(n)]
    results = await asyncio.gather(*guards)
    in_time = sum(r is not None for r in results)
    log.say(f"{in_time} fetches answered in time; {n - in_time} timed out, "
            "and wait_for cancelled them")


# --------------------------------------------------------------------------
# A timeout around gather

async def gather_with_timeout():
    tasks = [spawn_fetch(i) for i in range(n)]
    try:
        async with asyncio.timeout(timeout):
            await asyncio.gather(*tasks)
        log.say("every fetch finished in time")
    except TimeoutError:
        log.say(f"timed out: {log.count_in_state(tasks, 'ok')} fetches had finished and "
                f"keep their results, {log.count_in_state(tasks, 'cancelled')} were cancelled")


# --------------------------------------------------------------------------
# Nested timeouts

async def inner_shorter():
    started = log.now()
    try:
        async with asyncio.timeout(2 * timeout):          # outer
            try:
                async with asyncio.timeout(timeout):      # inner, shorter
                    await spawn_fetch(n - 1)
            except TimeoutError:
                log.say(f"inner deadline passed at {log.now() - started:.3f} s: "
                        "try the fast mirror")
                await spawn_fetch(0)
        log.say(f"the outer block finished in time, at {log.now() - started:.3f} s")
    except TimeoutError:
        log.say(f"the outer deadline passed too, at {log.now() - started:.3f} s")


async def outer_shorter():
    started = log.now()
    try:
        async with asyncio.timeout(timeout):              # outer, shorter
            try:
                async with asyncio.timeout(2 * timeout):  # inner
                    await spawn_fetch(n - 1)
            except asyncio.CancelledError:
                log.say(f"inner scope at {log.now() - started:.3f} s: cancelled -- "
                        "the outer deadline, not its own")
                raise                                     # not ours: pass it on
    except TimeoutError:
        log.say(f"outer scope at {log.now() - started:.3f} s: timed out")


# --------------------------------------------------------------------------
# Cleanup that awaits

async def fetch_with_goodbye(i):
    with log.task(f"fetch-{i}"):
        try:
            await asyncio.sleep(duration(i))
            return i
        except asyncio.CancelledError:
            await asyncio.sleep(cleanup)  # tell the server goodbye
            raise


async def cleanup_under_shield():
    started = log.now()
    task = asyncio.create_task(fetch_with_goodbye(n - 1), name=f"fetch-{n - 1}")
    try:
        await asyncio.wait_for(task, timeout)
    except TimeoutError:
        log.say(f"the caller got the timeout {log.now() - started:.3f} s in: "
                "the deadline, then the goodbye")


# --------------------------------------------------------------------------
# The chapter

async def chapter_main():
    log.section("wait_for", "each fetch under its own deadline")
    await each_with_a_deadline()
    log.section_end()

    log.section("gather_timeout", "one deadline around a gather of every fetch")
    await gather_with_timeout()
    log.section_end()

    log.section("inner_shorter", "nested deadlines, the inner one shorter")
    await inner_shorter()
    log.section_end()

    log.section("outer_shorter", "nested deadlines, the outer one shorter")
    await outer_shorter()
    log.section_end()

    log.section("cleanup", "a cancelled fetch that must still wait to say goodbye")
    await cleanup_under_shield()
    log.section_end()


def parse_args():
    p = argparse.ArgumentParser(
        description="chapter 04: deadlines per task, around a gather, nested; "
                    "cleanup that must still wait",
        allow_abbrev=False)
    p.add_argument("--n", type=int, default=n,
                   help=f"how many fetches (default {n})")
    p.add_argument("--delay", type=float, default=delay,
                   help=f"seconds the slowest fetch takes (default {delay:g})")
    p.add_argument("--timeout", type=float, default=timeout,
                   help=f"the deadline, in seconds (default {timeout:g})")
    p.add_argument("--cleanup", type=float, default=cleanup,
                   help=f"seconds a cancelled fetch needs to say goodbye (default {cleanup:g})")
    p.add_argument("--seed", type=int, default=1,
                   help="seed for random choices (default 1; unused here)")
    p.add_argument("--log", action="store_true",
                   help="print the normalized event log (conformance)")
    log.add_clock_flag(p)
    args = p.parse_args()
    if not 1 <= args.n <= 100000:
        p.error("--n must be a whole number from 1 to 100000")
    for name in ("delay", "timeout", "cleanup"):
        value = getattr(args, name)
        if not (math.isfinite(value) and 0 <= value <= 3600):
            p.error(f"--{name} must be a number of seconds from 0 to 3600")
    if not 0 <= args.seed < 2**64:
        p.error("--seed must be a whole number of 0 or more")
    return args


if __name__ == "__main__":
    args = parse_args()
    n, delay, timeout, cleanup = args.n, args.delay, args.timeout, args.cleanup
    log.begin("04", "Timeouts",
              {"n": n, "delay": delay, "timeout": timeout, "cleanup": cleanup}, args.log, args.clock)
    log.run(chapter_main())
    log.finish()
