"""Chapter 05 -- task groups: structured concurrency, in Python asyncio.

n fetches; fetch i takes delay * (i + 1) / n seconds (0.2, 0.4 ... 1.0 s
with the defaults), and fetch number `fail` fails.  Five sections:

  structured     a task group, nothing fails: leaving the block waits for
                 every child, so no task outlives it.
  first_failure  fetch `fail` fails: the group cancels the siblings that
                 have not finished, and the body; the ones that finished
                 keep their results; the error is reported.
  gather         the same failure under gather, for contrast (chapter 02):
                 the error comes back at once and nothing is cancelled --
                 the other fetches run on.
  all_errors     every fetch, when cancelled, says goodbye first, and the
                 last one's goodbye fails: the group reports both errors,
                 in the order they happened.
  shutting_down  the body, cancelled by the failure, tries to add a retry:
                 refused, the group is shutting down; after the block,
                 refused again: the group is finished.

This is the twin of 05_task_groups.c: same functions, same sections, same
flags.  Run it alone:

    python3 chapters/05_task_groups.py --fail 0
    python3 chapters/05_task_groups.py --fail 3 --log
"""

import argparse
import asyncio
import math

import awaitlab_log as log

n = 5
delay = 1.0
fail = 2

failing = -1  # the fetch that fails in this section, or -1


def duration(i):
    return delay * (i + 1) / n


async def download(i):
    await asyncio.sleep(duration(i))
    if i == failing:
        raise ConnectionError(f"item-{i}: connection refused")
    return i


async def fetch(i):
    with log.task(f"fetch-{i}"):
        return await download(i)


def report_errors(errors):
    for k, e in enumerate(errors, 1):
        log.say(f"error {k} of {len(errors)}: {e}")


def report_children(tasks):
    log.say(f"finished and kept their results: {log.count_in_state(tasks, 'ok')}; "
            f"cancelled: {log.count_in_state(tasks, 'cancelled')}")


# --------------------------------------------------------------------------
# Structured concurrency

async def structured():
    async with asyncio.TaskGroup() as tg:
        tasks = [tg.create_task(fetch(i), name=f"fetch-{i}") for i in range(n)]
        body_done = log.now()
    results = [t.result() for t in tasks]  # every one has finished
    log.say(f"the body was done at once; leaving the block took {log.now() - body_done:.3f} s: "
            "every child had finished")
    return results


# --------------------------------------------------------------------------
# The first failure

async def first_failure():
    started = log.now()
    tasks = []
    try:
        async with asyncio.TaskGroup() as tg:
            tasks = [tg.create_task(fetch(i), name=f"fetch-{i}") for i in range(n)]
            try:
                await asyncio.sleep(delay)  # the body's own work
            except asyncio.CancelledError:
                log.say(f"the body's own wait was cancelled at {log.now() - started:.3f} s")
                raise
    except* ConnectionError as group:
        report_errors(group.exceptions)
    report_children(tasks)


async def gather_instead():
    started = log.now()
    tasks = [asyncio.create_task(fetch(i), name=f"fetch-{i}") for i in range(n)]
    try:
        await asyncio.gather(*tasks)
    except ConnectionError as e:
        running = log.count_in_state(tasks, "pending")
        log.say(f"gather raised at {log.now() - started:.3f} s: {e} -- "
                f"and {running} fetches run on")
    await asyncio.gather(*tasks, return_exceptions=True)
    report_children(tasks)


# --------------------------------------------------------------------------
# Every error

async def fetch_with_goodbye(i):
    with log.task(f"fetch-{i}"):
        try:
            return await download(i)
        except asyncio.CancelledError:
            await asyncio.sleep(delay / n)  # say goodbye to the server
            if i == n - 1:
                raise ConnectionError(f"item-{i}: goodbye failed")
            raise


async def all_errors():
    tasks = []
    try:
        async with asyncio.TaskGroup() as tg:
            tasks = [tg.create_task(fetch_with_goodbye(i), name=f"fetch-{i}")
                     for i in range(n)]
    except* ConnectionError as group:
        report_errors(group.exceptions)
    report_children(tasks)


# --------------------------------------------------------------------------
# A group that is shutting down

def try_retry(tg):
    retry = fetch(failing)
    try:
        tg.create_task(retry, name=f"retry-{failing}")
        log.say("the retry was accepted")
    except RuntimeError as e:
        retry.close()  # never started: close it, or Python warns it was never awaited
        log.say(f"retry refused: {e}")


async def shutting_down():
    try:
        async with asyncio.TaskGroup() as tg:
            for i in range(n):
                tg.create_task(fetch(i), name=f"fetch-{i}")
            try:
                await asyncio.sleep(delay)
            except asyncio.CancelledError:
                try_retry(tg)  # refused: shutting down
                raise
    except* ConnectionError:
        pass
    try_retry(tg)  # refused: finished


# --------------------------------------------------------------------------
# The chapter

async def chapter_main():
    global failing
    log.section("structured", "a task group: leaving the block waits for every child")
    failing = -1
    await structured()
    log.section_end()

    failing = fail if fail < n else -1
    log.section("first_failure", "one fetch fails: the group cancels the rest")
    await first_failure()
    log.section_end()

    log.section("gather", "the same failure under gather: nothing is cancelled")
    await gather_instead()
    log.section_end()

    log.section("all_errors", "a cancelled fetch fails while saying goodbye: both errors count")
    await all_errors()
    log.section_end()

    log.section("shutting_down", "adding a task to a group that is shutting down, then done")
    await shutting_down()
    log.section_end()


def parse_args():
    p = argparse.ArgumentParser(
        description="chapter 05: structured concurrency: the first failure cancels "
                    "the rest, every error is reported",
        allow_abbrev=False)
    p.add_argument("--n", type=int, default=n,
                   help=f"how many fetches (default {n})")
    p.add_argument("--delay", type=float, default=delay,
                   help=f"seconds the slowest fetch takes (default {delay:g})")
    p.add_argument("--fail", type=int, default=fail,
                   help=f"which fetch fails, from 0 (n or more: none) (default {fail})")
    p.add_argument("--seed", type=int, default=1,
                   help="seed for random choices (default 1; unused here)")
    p.add_argument("--log", action="store_true",
                   help="print the normalized event log (conformance)")
    log.add_clock_flag(p)
    args = p.parse_args()
    if not 1 <= args.n <= 100000:
        p.error("--n must be a whole number from 1 to 100000")
    if not (math.isfinite(args.delay) and 0 <= args.delay <= 3600):
        p.error("--delay must be a number of seconds from 0 to 3600")
    if not 0 <= args.fail <= 100000:
        p.error("--fail must be a whole number from 0 to 100000")
    if not 0 <= args.seed < 2**64:
        p.error("--seed must be a whole number of 0 or more")
    return args


if __name__ == "__main__":
    args = parse_args()
    n, delay, fail = args.n, args.delay, args.fail
    log.begin("05", "Task groups", {"n": n, "delay": delay, "fail": fail}, args.log, args.clock)
    log.run(chapter_main())
    log.finish()
