"""Chapter 09 -- first completed: hedged requests, as_completed, wait; in Python asyncio.

The same request goes to three servers, a, b and c, which answer after
their own latency (0.5, 0.2 and 0.8 s by default); server number `down`
answers with an error instead.  Three sections:

  first_completed  a hedged request: ask all three, take the first good
                   answer (wait with FIRST_COMPLETED), cancel the others.
                   A failure also counts as "completed", so the loop waits
                   again until an answer is good.
  as_completed     take every answer, in the order they arrive.
  wait_timeout     wait for all of them, but only `timeout` seconds: wait
                   returns what is done and what is pending and cancels
                   nothing -- cancelling the rest is our job.

This is the twin of 09_first_completed.c: same functions, same sections,
same flags.  Run it alone:

    python3 chapters/09_first_completed.py --down 1
    python3 chapters/09_first_completed.py --timeout 0.3 --log
"""

import argparse
import asyncio
import math

import awaitlab_log as log

names = ["a", "b", "c"]
latencies = [0.5, 0.2, 0.8]
down = 3
timeout = 0.6


async def ask(i):
    with log.task(f"server-{names[i]}"):
        await asyncio.sleep(latencies[i])
        if i == down:
            raise ConnectionError(f"server-{names[i]}: 503 Service Unavailable")
        return i


def ask_everyone():
    return [asyncio.create_task(ask(i), name=f"server-{names[i]}") for i in range(3)]


async def cancel_the_rest(tasks):
    for t in tasks:
        if not t.done():
            t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


# --------------------------------------------------------------------------
# The hedged request

async def hedged():
    started = log.now()
    tasks = ask_everyone()
    pending = set(tasks)
    answer = None
    while pending and answer is None:
        done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
        for t in tasks:  # argument order, for ties
            if t not in done:
                continue
            if t.exception():
                log.say(f"{log.now() - started:.3f} s: {t.exception()} -- wait for the next")
            elif answer is None:
                answer = t.result()
    answered_after = log.now() - started
    await cancel_the_rest(tasks)
    if answer is None:
        log.say("no server gave a good answer")
    else:
        log.say(f"{answered_after:.3f} s: the answer of server-{names[answer]}; "
                "the others were cancelled")


# --------------------------------------------------------------------------
# Every answer, as it arrives

async def in_arrival_order():
    started = log.now()
    tasks = ask_everyone()
    for next_answer in asyncio.as_completed(tasks):
        try:
            i = await next_answer
            log.say(f"{log.now() - started:.3f} s: the answer of server-{names[i]}")
        except ConnectionError as e:
            log.say(f"{log.now() - started:.3f} s: {e}")


# --------------------------------------------------------------------------
# wait, with a timeout

async def wait_with_timeout():
    started = log.now()
    tasks = ask_everyone()
    done, pending = await asyncio.wait(tasks, timeout=timeout)
    answers = [t.result() for t in done if not t.exception()]
    errors = [t.exception() for t in done if t.exception()]
    log.say(f"wait returned after {log.now() - started:.3f} s: {len(done)} done "
            f"(answers: {len(answers)}, errors: {len(errors)}); "
            f"{len(pending)} still pending, cancelled now")
    await cancel_the_rest(tasks)


# --------------------------------------------------------------------------
# The chapter

async def chapter_main():
    log.section("first_completed", "ask three servers, keep the first good answer")
    await hedged()
    log.section_end()

    log.section("as_completed", "every answer, in the order they arrive")
    await in_arrival_order()
    log.section_end()

    log.section("wait_timeout", "wait for all, but only for timeout seconds")
    await wait_with_timeout()
    log.section_end()


def parse_args():
    p = argparse.ArgumentParser(
        description="chapter 09: hedged requests with wait(FIRST_COMPLETED), "
                    "as_completed, wait with a timeout",
        allow_abbrev=False)
    for name, latency in zip(names, latencies):
        p.add_argument(f"--latency-{name}", type=float, default=latency,
                       help=f"seconds server {name} takes to answer (default {latency:g})")
    p.add_argument("--down", type=int, default=down,
                   help="which server answers with an error: 0 a, 1 b, 2 c, 3 none "
                        f"(default {down})")
    p.add_argument("--timeout", type=float, default=timeout,
                   help=f"how long wait() waits in wait_timeout (default {timeout:g})")
    p.add_argument("--seed", type=int, default=1,
                   help="seed for random choices (default 1; unused here)")
    p.add_argument("--log", action="store_true",
                   help="print the normalized event log (conformance)")
    log.add_clock_flag(p)
    args = p.parse_args()
    for name in ("latency_a", "latency_b", "latency_c", "timeout"):
        value = getattr(args, name)
        if not (math.isfinite(value) and 0 <= value <= 3600):
            p.error(f"--{name.replace('_', '-')} must be a number of seconds from 0 to 3600")
    if not 0 <= args.down <= 3:
        p.error("--down must be a whole number from 0 to 3")
    if not 0 <= args.seed < 2**64:
        p.error("--seed must be a whole number of 0 or more")
    return args


if __name__ == "__main__":
    args = parse_args()
    latencies = [args.latency_a, args.latency_b, args.latency_c]
    down, timeout = args.down, args.timeout
    log.begin("09", "First completed",
              {"latency-a": latencies[0], "latency-b": latencies[1],
               "latency-c": latencies[2], "down": down, "timeout": timeout}, args.log, args.clock)
    log.run(chapter_main())
    log.finish()
