"""Chapter 11 -- HTTP fan-out: many GETs through one session, bounded; in Python asyncio.

Real requests, to the lab server: the one --base-url names, or one this
script starts for the length of the run (`awaitlab serve --port 0`, from
build/ or the PATH).  Three sections:

  fanout    n GETs of /delay/<delay> through one session, at most `limit` at
            once (a Semaphore).  The server counts, from its side, the most
            requests it held open at once: it must be `limit`.
  failures  n GETs of /flaky, which answers 500 with probability
            `fail-rate`; errors are collected as values (gather with
            return_exceptions) and counted.
  timeouts  five GETs that take 0.1, 0.3, 0.5, 0.7 and 0.9 s, each inside
            its own asyncio.timeout(timeout): the slow ones fail alone.

This is the twin of 11_http_fanout.c: same functions, same sections, same
flags.  Where a real program would use aiohttp, it uses the small client of
awaitlab_http.py (aiohttp is not part of Python); the shape of the calls is
aiohttp's.  Run it alone:

    python3 chapters/11_http_fanout.py
    python3 chapters/11_http_fanout.py --n 12 --limit 3 --log

Its summary counts a section's peak from task starts and ends, so it counts
the tasks queued at the semaphore too; the server's "held at most N open at
once" is the number to compare with the C program's peak.
"""

import argparse
import asyncio
import math

import awaitlab_http as http
import awaitlab_log as log

LADDER = 5  # requests in the timeouts section

n = 100
limit = 10
delay = 0.2
fail_rate = 0.3
timeout = 0.6
request_timeout = 10  # any request, in every section
seed = 1
server = None  # the lab server's URL

session = None    # async with http.Session(timeout=request_timeout) as session
in_flight = None  # asyncio.Semaphore(limit)


# --------------------------------------------------------------------------
# One request

async def get(path):
    async with in_flight:
        response = await session.get(server + path)
    response.raise_for_status()
    return response.status


async def fetch_delayed(i):
    with log.task(f"request-{i}"):
        return await get(f"/delay/{delay:g}")


async def fetch_flaky(i):
    with log.task(f"request-{i}"):
        return await get(f"/flaky?fail={fail_rate:g}&seed={seed}")


async def fan_out(fetch):
    tasks = [asyncio.create_task(fetch(i), name=f"request-{i}") for i in range(n)]
    results = await asyncio.gather(*tasks, return_exceptions=True)
    ok = sum(not isinstance(r, BaseException) for r in results)
    failed = sum(isinstance(r, Exception) for r in results)
    return ok, failed


# --------------------------------------------------------------------------
# What the server saw

async def ask_server(path):
    response = await session.get(server + path)
    response.raise_for_status()
    return response.json()


# --------------------------------------------------------------------------
# Sections

async def fanout_section():
    opened_before = session.connections_opened
    await ask_server("/stats/reset")
    ok, failed = await fan_out(fetch_delayed)
    seen = await ask_server("/stats")
    opened = session.connections_opened - opened_before
    log.say(f"{ok} ok, {failed} failed; the server got {seen['requests']} requests "
            f"and held at most {seen['peak_open']} open at once")
    log.say(f"the session opened {opened} connections and reused them for the other "
            f"{n - opened} requests")


async def failures_section():
    expected = sum(http.flaky_fails(seed, i, fail_rate) for i in range(n))
    await ask_server("/stats/reset")
    ok, failed = await fan_out(fetch_flaky)
    log.say(f"{ok} ok, {failed} failed with a 500 "
            f"(the server's coin, seed {seed}, promised {expected})")


async def fetch_in_time(seconds):
    path = f"/delay/{seconds:g}"
    with log.task(f"delay-{seconds:g}"):
        try:
            async with asyncio.timeout(timeout):
                return await get(path)
        except TimeoutError:
            raise TimeoutError(f"GET {path}: no answer within {timeout:g} s") from None


async def timeouts_section():
    ladder = [round(0.1 * (2 * i + 1), 1) for i in range(LADDER)]
    tasks = [asyncio.create_task(fetch_in_time(s), name=f"delay-{s:g}") for s in ladder]
    results = await asyncio.gather(*tasks, return_exceptions=True)
    ok = sum(not isinstance(r, BaseException) for r in results)
    timed_out = sum(isinstance(r, TimeoutError) for r in results)
    if timed_out == 0:
        log.say(f"{ok} answered within {timeout:g} s, none timed out")
    else:
        log.say(f"{ok} answered within {timeout:g} s, {timed_out} timed out; each failed alone")


# --------------------------------------------------------------------------
# The chapter

async def run_sections():
    log.section("fanout", "n GETs through one session, at most limit at once")
    await fanout_section()
    log.section_end()

    log.section("failures", "GETs of a flaky route; errors collected as values")
    await failures_section()
    log.section_end()

    log.section("timeouts", "a timeout per request: the slow ones fail alone")
    await timeouts_section()
    log.section_end()


async def chapter_main():
    global session, in_flight
    in_flight = asyncio.Semaphore(limit)
    async with http.Session(timeout=request_timeout) as session:
        await run_sections()


def parse_args():
    p = argparse.ArgumentParser(
        description="chapter 11: many GETs through one session, bounded by a semaphore; "
                    "failures as values, a timeout per request",
        allow_abbrev=False)
    p.add_argument("--n", type=int, default=n,
                   help=f"GET requests in the fanout and failures sections (default {n})")
    p.add_argument("--limit", type=int, default=limit,
                   help="requests in flight at most (the semaphore's permits) "
                        f"(default {limit})")
    p.add_argument("--delay", type=float, default=delay,
                   help=f"seconds the server takes to answer /delay (default {delay:g})")
    p.add_argument("--fail-rate", type=float, default=fail_rate,
                   help="the probability that /flaky answers 500 (uses --seed) "
                        f"(default {fail_rate:g})")
    p.add_argument("--timeout", type=float, default=timeout,
                   help="seconds each request may take in the timeouts section "
                        f"(default {timeout:g})")
    p.add_argument("--request-timeout", type=float, default=request_timeout,
                   help="seconds any request may take before it fails, so a silent "
                        f"server fails the run in seconds (default {request_timeout:g})")
    p.add_argument("--base-url", default=None,
                   help="the lab server to use, e.g. http://127.0.0.1:8080 "
                        "(by default the script starts one)")
    p.add_argument("--seed", type=int, default=1,
                   help="seed for /flaky's coin (default 1)")
    p.add_argument("--log", action="store_true",
                   help="print the normalized event log (conformance)")
    log.add_clock_flag(p)
    args = p.parse_args()
    for name, low, high in (("n", 1, 1000), ("limit", 1, 1000)):
        if not low <= getattr(args, name) <= high:
            p.error(f"--{name} must be a whole number from {low} to {high}")
    if not (math.isfinite(args.delay) and 0 <= args.delay <= 2):
        p.error("--delay must be a number of seconds from 0 to 2")
    if not (math.isfinite(args.timeout) and 0.01 <= args.timeout <= 60):
        p.error("--timeout must be a number of seconds from 0.01 to 60")
    if not 0 <= args.fail_rate <= 1:
        p.error("--fail-rate must be a rate from 0 to 1")
    if not 0 <= args.seed < 2**64:
        p.error("--seed must be a whole number of 0 or more")
    if not (math.isfinite(args.request_timeout) and 1 <= args.request_timeout <= 300):
        p.error("--request-timeout must be a number of seconds from 1 to 300")
    if args.base_url is not None and not args.base_url.startswith("http://"):
        p.error(f"--base-url {args.base_url}: not a URL such as http://127.0.0.1:8080 "
                "(`awaitlab serve` runs a lab server)")
    return args


if __name__ == "__main__":
    args = parse_args()
    n, limit, delay, fail_rate = args.n, args.limit, args.delay, args.fail_rate
    timeout, seed, request_timeout = args.timeout, args.seed, args.request_timeout
    with http.lab_server(args.base_url) as server:  # before the clock starts
        log.begin("11", "HTTP fan-out",
                  {"n": n, "limit": limit, "delay": delay, "fail-rate": fail_rate,
                   "timeout": timeout, "request-timeout": request_timeout}, args.log, args.clock)
        log.say(f"lab server: {server}" + ("" if args.base_url else " (started for this run)"))
        log.run(chapter_main())
        log.finish()
