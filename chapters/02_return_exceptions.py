"""Chapter 02 -- return_exceptions: keep going when some fail, in Python asyncio.

n fetches, some of which fail.  Fetch i takes delay * (n - i) / n seconds,
so later items answer sooner and the first failure *in time* is not the
first in argument order.  Three sections:

  fail_fast          gather() without return_exceptions: the first error
                     reaches us at once -- and the other fetches keep
                     running.  They are not cancelled; we watch them finish.
  return_exceptions  gather(..., return_exceptions=True): every outcome
                     comes back, errors as values, in argument order.
  cancel_on_error    what many tutorials say gather does by default,
                     done by hand: on the first error, cancel the rest.

This is the twin of 02_return_exceptions.c: same functions, same sections,
same flags.  Run it alone:

    python3 chapters/02_return_exceptions.py --n 5 --delay 1 --fail-every 2
    python3 chapters/02_return_exceptions.py --fail-rate 0.3 --seed 4 --log
"""

import argparse
import asyncio

import awaitlab_log as log

n = 10
delay = 0.5
fail_every = 3
fail_rate = 0.0
seed = 1

will_fail = []  # decided up front, so every section sees the same


def choose_failures():
    rng = log.SplitMix64(seed)  # the same draws as the C program's, from --seed
    for i in range(n):
        if fail_rate > 0:
            will_fail.append(rng.random() < fail_rate)
        else:
            will_fail.append(fail_every > 0 and (i + 1) % fail_every == 0)


async def fetch(i):
    with log.task(f"fetch-{i}"):
        await asyncio.sleep(delay * (n - i) / n)
        if will_fail[i]:
            raise ConnectionError(f"item-{i}: connection refused")
        return i


def spawn_all():
    return [asyncio.create_task(fetch(i), name=f"fetch-{i}") for i in range(n)]


def count_unfinished(tasks):
    return sum(not t.done() for t in tasks)


async def fail_fast():
    tasks = spawn_all()
    try:
        await asyncio.gather(*tasks)
    except ConnectionError as e:
        running = count_unfinished(tasks)  # still going: nothing was cancelled
        log.say(f"first error at {log.now():.3f} s: {e}")
        log.say(f"{running} fetches were still running -- gather did not cancel them")
    await asyncio.gather(*tasks, return_exceptions=True)  # watch them finish
    log.say(f"all {n} ended by {log.now():.3f} s: {log.count_in_state(tasks, 'ok')} ok, "
            f"{log.count_in_state(tasks, 'failed')} failed, "
            f"{log.count_in_state(tasks, 'cancelled')} cancelled")


async def collect_errors():
    tasks = spawn_all()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    errors = [str(r) for r in results if isinstance(r, Exception)]
    ok = [r for r in results if not isinstance(r, BaseException)]
    log.say(f"{len(ok)} results and {len(errors)} errors, in argument order: "
            + ("; ".join(errors) or "(no errors)"))


async def cancel_on_error():
    tasks = spawn_all()
    try:
        await asyncio.gather(*tasks)
    except ConnectionError:
        for t in tasks:
            t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    log.say(f"stopped at {log.now():.3f} s: {log.count_in_state(tasks, 'cancelled')} "
            "cancelled by hand -- chapter 05's task groups do this for you")


async def chapter_main():
    choose_failures()

    log.section("fail_fast", "gather: the first error comes back at once")
    await fail_fast()
    log.section_end()

    log.section("return_exceptions", "gather(return_exceptions): errors become values")
    await collect_errors()
    log.section_end()

    log.section("cancel_on_error", "on the first error, cancel the rest by hand")
    await cancel_on_error()
    log.section_end()


def parse_args():
    p = argparse.ArgumentParser(
        description="chapter 02: gather fails fast but never cancels; "
                    "collect errors as values instead",
        allow_abbrev=False)
    p.add_argument("--n", type=int, default=n,
                   help=f"how many fetches (default {n})")
    p.add_argument("--delay", type=float, default=delay,
                   help=f"seconds the slowest fetch takes (default {delay:g})")
    p.add_argument("--fail-every", type=int, default=fail_every,
                   help=f"every k-th fetch fails (0: none) (default {fail_every})")
    p.add_argument("--fail-rate", type=float, default=fail_rate,
                   help="fail at random with this probability instead "
                        "(uses --seed) (default 0)")
    p.add_argument("--seed", type=int, default=seed,
                   help="seed for random choices (default 1)")
    p.add_argument("--log", action="store_true",
                   help="print the normalized event log (conformance)")
    log.add_clock_flag(p)
    args = p.parse_args()
    if not 1 <= args.n <= 100000:
        p.error("--n must be a whole number from 1 to 100000")
    if not 0 <= args.delay <= 3600:
        p.error("--delay must be a number of seconds from 0 to 3600")
    if not 0 <= args.fail_every <= 100000:
        p.error("--fail-every must be a whole number from 0 to 100000")
    if not 0 <= args.fail_rate <= 1:
        p.error("--fail-rate must be a rate from 0 to 1")
    if not 0 <= args.seed < 2**64:
        p.error("--seed must be a whole number of 0 or more")
    return args


if __name__ == "__main__":
    args = parse_args()
    n, delay, seed = args.n, args.delay, args.seed
    fail_every, fail_rate = args.fail_every, args.fail_rate
    log.begin("02", "return_exceptions: keep going when some fail",
              {"n": n, "delay": delay, "fail-every": fail_every, "fail-rate": fail_rate},
              args.log, args.clock)
    log.run(chapter_main())
    log.finish()
