"""Chapter 01 -- sequential vs gather, in Python asyncio.

n fetches that each take `delay` seconds: awaited one after another they
take n * delay; started together and gathered they take delay.  The fetch
is a sleep standing in for a network call.

This is the twin of 01_sequential_vs_gather.c: same functions, same
sections, same flags.  Run it alone:

    python3 chapters/01_sequential_vs_gather.py --n 5
    python3 chapters/01_sequential_vs_gather.py --n 5 --log
"""

import argparse
import asyncio

import awaitlab_log as log

n = 10
delay = 0.5


async def fetch(i):
    with log.task(f"fetch-{i}"):
        await asyncio.sleep(delay)  # stands in for a network call
        return i


async def sequential():
    results = []
    for i in range(n):
        results.append(await fetch(i))  # nothing else starts until it is done
    return results


def in_order(results):
    """Are the results in argument order?  gather promises they are."""
    return results == list(range(n))


async def together():
    tasks = [asyncio.create_task(fetch(i), name=f"fetch-{i}") for i in range(n)]
    results = await asyncio.gather(*tasks)
    return in_order(results)


async def chapter_main():
    log.section("sequential", "await each fetch before starting the next")
    started = log.now()
    await sequential()
    sequential_s = log.now() - started
    log.section_end()

    log.section("gather", "start every fetch, then gather them")
    started = log.now()
    await together()
    gather_s = log.now() - started
    log.section_end()

    if gather_s > 0:
        log.say(f"gather finished {sequential_s / gather_s:.1f}x sooner: "
                "the fetches waited at the same time.")


def parse_args():
    p = argparse.ArgumentParser(
        description="chapter 01: n slow fetches one after another, "
                    "then all at once with gather",
        allow_abbrev=False)
    p.add_argument("--n", type=int, default=n,
                   help=f"how many fetches (default {n})")
    p.add_argument("--delay", type=float, default=delay,
                   help=f"seconds each fetch takes (default {delay:g})")
    p.add_argument("--seed", type=int, default=1,
                   help="seed for random choices (default 1; unused here)")
    p.add_argument("--log", action="store_true",
                   help="print the normalized event log (conformance)")
    log.add_clock_flag(p)
    args = p.parse_args()
    if not 1 <= args.n <= 100000:
        p.error("--n must be a whole number from 1 to 100000")
    if not 0 <= args.delay <= 3600:
        p.error("--delay must be a number of seconds from 0 to 3600")
    if not 0 <= args.seed < 2**64:
        p.error("--seed must be a whole number of 0 or more")
    return args


if __name__ == "__main__":
    args = parse_args()
    n, delay = args.n, args.delay
    log.begin("01", "Sequential vs gather", {"n": n, "delay": delay}, args.log, args.clock)
    log.run(chapter_main())
    log.finish()
