"""Chapter 03 -- semaphore fan-out: n jobs, at most `limit` at once, in Python asyncio.

Four sections:

  unbounded  n jobs started together: they all run at once and the batch
             takes `delay`.
  semaphore  the same jobs, each inside `async with Semaphore(limit)`: at
             most `limit` run at once, the batch takes ceil(n / limit) *
             delay (2.0 s with the defaults).
  flood      `requests` requests fired at once at a server that serves
             `capacity` at a time and answers the rest "429 Too Many
             Requests": almost all of them fail.
  polite     the same requests through a Semaphore(limit): with a limit the
             server can take, every one of them succeeds.

This is the twin of 03_semaphore_fanout.c: same functions, same sections,
same flags.  Run it alone:

    python3 chapters/03_semaphore_fanout.py --requests 1000
    python3 chapters/03_semaphore_fanout.py --n 6 --limit 2 --requests 20 --service 0.1 --log

Its summary counts a section's peak from task starts and ends, so for the
semaphore sections it counts the queued tasks too; the "most permits held
at once" line is the number to compare with the C program's peak.
"""

import argparse
import asyncio
import math

import awaitlab_log as log

n = 20
limit = 5
delay = 0.5
requests = 10000
capacity = 5
service = 0.001

# --------------------------------------------------------------------------
# Jobs

jobs_sem = None  # asyncio.Semaphore(limit), made in chapter_main
holding = most_holding = 0  # jobs holding a permit: now, at most


async def job(i):
    await asyncio.sleep(delay)  # stands in for the real work
    return i


async def unlimited(i):
    with log.task(f"job-{i}"):
        return await job(i)


async def limited(i):
    global holding, most_holding
    with log.task(f"job-{i}"):
        async with jobs_sem:
            holding += 1
            most_holding = max(most_holding, holding)
            try:
                return await job(i)
            finally:
                holding -= 1


# --------------------------------------------------------------------------
# The rate-limited server

class TooManyRequests(Exception):
    """HTTP 429."""


class Server:
    """Serves `capacity` requests at a time.  It decides when a request
    arrives: with a free slot it serves it; without one it answers 429 Too
    Many Requests.  Either answer takes `service` seconds to come back."""

    def __init__(self):
        self.busy = 0
        self.most_busy = 0  # what the server saw: the most it served at once


server = Server()
requests_sem = None  # asyncio.Semaphore(limit), made in chapter_main


async def request(i):
    accepted = server.busy < capacity
    if accepted:
        server.busy += 1
        server.most_busy = max(server.most_busy, server.busy)
    try:
        await asyncio.sleep(service)  # the round trip
    finally:
        if accepted:
            server.busy -= 1
    if not accepted:
        raise TooManyRequests(f"request-{i}: 429 Too Many Requests")
    return 200


async def send(i):
    with log.task(f"request-{i}"):
        return await request(i)


async def send_politely(i):
    with log.task(f"request-{i}"):
        async with requests_sem:
            return await request(i)


async def send_all(send_one):
    global server
    server = Server()
    tasks = [asyncio.create_task(send_one(i), name=f"request-{i}")
             for i in range(requests)]
    results = await asyncio.gather(*tasks, return_exceptions=True)
    ok = sum(r == 200 for r in results)
    refused = sum(isinstance(r, TooManyRequests) for r in results)
    log.say(f"{ok} answered 200, {refused} answered 429; "
            f"the server never served more than {server.most_busy} at once")


# --------------------------------------------------------------------------
# The chapter

async def run_jobs(run_one):
    tasks = [asyncio.create_task(run_one(i), name=f"job-{i}") for i in range(n)]
    return await asyncio.gather(*tasks)


async def chapter_main():
    global jobs_sem, requests_sem
    log.section("unbounded", "every job at once, no limit")
    await run_jobs(unlimited)
    log.section_end()

    log.section("semaphore", "each job inside async with Semaphore(limit)")
    jobs_sem = asyncio.Semaphore(limit)
    await run_jobs(limited)
    log.say(f"most permits held at once: {most_holding}")
    log.section_end()

    log.section("flood", "every request at once, at a server that serves capacity at a time")
    await send_all(send)
    log.section_end()

    log.section("polite", "the same requests through a Semaphore(limit)")
    requests_sem = asyncio.Semaphore(limit)
    await send_all(send_politely)
    log.section_end()


def parse_args():
    p = argparse.ArgumentParser(
        description="chapter 03: bound a fan-out with a semaphore; "
                    "what a flood does to a rate-limited server",
        allow_abbrev=False)
    p.add_argument("--n", type=int, default=n,
                   help=f"how many jobs (default {n})")
    p.add_argument("--limit", type=int, default=limit,
                   help=f"the semaphore's permits: at most this many at once (default {limit})")
    p.add_argument("--delay", type=float, default=delay,
                   help=f"seconds each job takes (default {delay:g})")
    p.add_argument("--requests", type=int, default=requests,
                   help=f"requests sent to the rate-limited server (default {requests})")
    p.add_argument("--capacity", type=int, default=capacity,
                   help="requests the server serves at once; it answers the others 429 "
                        f"(default {capacity})")
    p.add_argument("--service", type=float, default=service,
                   help=f"seconds the server takes to answer a request (default {service:g})")
    p.add_argument("--seed", type=int, default=1,
                   help="seed for random choices (default 1; unused here)")
    p.add_argument("--log", action="store_true",
                   help="print the normalized event log (conformance)")
    log.add_clock_flag(p)
    args = p.parse_args()
    for name, low, high in (("n", 1, 100000), ("limit", 1, 100000),
                            ("requests", 1, 10000), ("capacity", 1, 100000)):
        if not low <= getattr(args, name) <= high:
            p.error(f"--{name} must be a whole number from {low} to {high}")
    if not (0 <= args.delay <= 3600 and math.isfinite(args.delay)):
        p.error("--delay must be a number of seconds from 0 to 3600")
    if not (0 <= args.service <= 60 and math.isfinite(args.service)):
        p.error("--service must be a number of seconds from 0 to 60")
    if not 0 <= args.seed < 2**64:
        p.error("--seed must be a whole number of 0 or more")
    return args


if __name__ == "__main__":
    args = parse_args()
    n, limit, delay = args.n, args.limit, args.delay
    requests, capacity, service = args.requests, args.capacity, args.service
    log.begin("03", "Semaphore fan-out",
              {"n": n, "limit": limit, "delay": delay, "requests": requests,
               "capacity": capacity, "service": service}, args.log, args.clock)
    log.run(chapter_main())
    log.finish()
