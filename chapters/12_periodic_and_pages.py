"""Chapter 12 -- periodic tasks and async iteration, in Python asyncio.

Real requests, to the lab server: the one --base-url names, or one this
script starts for the length of the run (`awaitlab serve --port 0`, from
build/ or the PATH).  Three sections:

  periodic  two health checks run for `watch` seconds beside the main task,
            each a GET of /delay/<check>.  "health" keeps its rate: check k
            starts k * interval after the first.  "health-naive" sleeps
            `interval` after each check, so every check's own time pushes
            the next one later.  Then both are cancelled -- and awaited, so
            their cleanup (closing their sessions) has run before the
            program goes on.
  pages     the paginated /pages route read as one stream of items, a page
            at a time, following the server's "next" link: an async
            generator.
  prefetch  the same stream with up to `ahead` pages fetched while the
            consumer works on the current one; the items still come out in
            order.  Stopping early (--take) cancels the read-ahead.

Every page request first waits `latency` seconds, standing in for the
distance to a real API (the lab server answers at once), and the consumer
spends `work` seconds on each item.

This is the twin of 12_periodic_and_pages.c: same functions, same sections,
same flags.  Where a real program would use aiohttp, it uses the small
client of awaitlab_http.py.  Run it alone:

    python3 chapters/12_periodic_and_pages.py
    python3 chapters/12_periodic_and_pages.py --take 45 --log
"""

import argparse
import asyncio
import contextlib
import math

import awaitlab_http as http
import awaitlab_log as log

interval = 0.2
check = 0.05
watch = 1.1
size = 10
ahead = 2
latency = 0.1
work = 0.01
take = 100
request_timeout = 10  # any request, in every section
server = None  # the lab server's URL

session = None  # main's session, for the pages


async def get_json(own, path):
    response = await own.get(server + path)
    response.raise_for_status()
    return response.json()


# --------------------------------------------------------------------------
# periodic

class Health:
    def __init__(self, fixed_rate):
        self.fixed_rate = fixed_rate  # keep the rate, or sleep `interval` after each
        self.checks = self.failed = 0  # checks started, checks that failed
        self.late = 0.0                # how late the last check started
        self.cleaned_up = False


async def health_check(h, name):
    with log.task(name):
        own = http.Session(timeout=request_timeout)
        try:
            loop = asyncio.get_running_loop()
            start = loop.time()
            k = 0
            while True:
                if h.fixed_rate:
                    await asyncio.sleep(start + k * interval - loop.time())
                h.late = loop.time() - (start + k * interval)
                h.checks += 1
                try:
                    await get_json(own, f"/delay/{check:g}")
                except Exception:
                    h.failed += 1  # a bad check must not end the checking
                if not h.fixed_rate:
                    await asyncio.sleep(interval)
                k += 1
        finally:
            await own.close()  # cleanup may await: the CancelledError came once
            h.cleaned_up = True


async def periodic_section():
    fixed, naive = Health(fixed_rate=True), Health(fixed_rate=False)
    tasks = [asyncio.create_task(health_check(fixed, "health"), name="health"),
             asyncio.create_task(health_check(naive, "health-naive"), name="health-naive")]
    await asyncio.sleep(watch)  # the program's own work
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)  # their cleanup
    log.say(f"health: {fixed.checks} checks, the last {fixed.late:.3f} s late; "
            f"health-naive: {naive.checks} checks, the last {naive.late:.3f} s late")
    log.say(f"both cancelled after {watch:g} s; cleanups that ran: "
            f"{fixed.cleaned_up + naive.cleaned_up} of 2")


# --------------------------------------------------------------------------
# Pages

async def fetch_page(path):
    await asyncio.sleep(latency)  # the distance to a real API
    return await get_json(session, path)


requests = 0  # pages asked for by pages_in_order()


async def pages_in_order(path):
    """Every item, page after page, following the server's "next" link."""
    global requests
    while path is not None:
        page = await fetch_page(path)
        requests += 1
        for item in page["items"]:
            yield item
        path = page["next"]


# --------------------------------------------------------------------------
# Pages, read ahead

async def fetch_page_number(k):
    with log.task(f"page-{k}"):
        return await fetch_page(f"/pages?page={k}&size={size}")


class Prefetched:
    """The items of every page, in order, with up to `ahead` pages fetched
    (or being fetched) beyond the one being read.

    The page numbers are known in advance here (page=0, 1, 2...), which is
    what makes reading ahead possible: a "next" link is only known once its
    page has arrived.  How many pages there are comes with the first."""

    def __init__(self):
        self.fetches = []   # by page number, once started
        self.pages = 1      # how many; 1 until page 0 has said
        self.reading = -1   # the page being read
        self.items = []     # its items not yet given
        self.in_flight = self.most_in_flight = 0
        self._top_up()

    def _top_up(self):
        """Starts fetches until `ahead` pages are in flight or every page has one."""
        while len(self.fetches) < self.pages and (self.in_flight < ahead or not self.fetches):
            k = len(self.fetches)
            self.fetches.append(asyncio.create_task(fetch_page_number(k), name=f"page-{k}"))
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)

    def __aiter__(self):
        return self

    async def __anext__(self):
        while not self.items:
            k = self.reading + 1
            if k >= self.pages:
                raise StopAsyncIteration
            page = await self.fetches[k]
            self.reading = k
            self.items = list(page["items"])
            self.in_flight -= 1
            if k == 0:
                total = page["total"]
                self.pages = min(-(-total // size), 100) if total > 0 else 1
            self._top_up()
        return self.items.pop(0)

    async def aclose(self):
        """Cancels the fetches still running -- nobody will read their
        pages -- and waits until they have stopped."""
        running = self.fetches[self.reading + 1:]
        for t in running:
            t.cancel()
        await asyncio.gather(*running, return_exceptions=True)


# --------------------------------------------------------------------------
# The consumer

async def consume(stream):
    taken = 0
    in_order = True
    async with contextlib.aclosing(stream) as items:
        async for item in items:
            await asyncio.sleep(work)  # what we do with each item
            in_order = in_order and item["id"] == taken
            taken += 1
            if taken == take:
                break
    return taken, in_order


async def pages_section():
    await consume(pages_in_order(f"/pages?page=0&size={size}"))
    log.say(f"one page at a time, following \"next\": {requests} requests")


async def prefetch_section():
    stream = Prefetched()
    await consume(stream)
    log.say(f"pages read: {stream.reading + 1}; "
            f"at most {stream.most_in_flight} pages in flight at once")


# --------------------------------------------------------------------------
# The chapter

async def run_sections():
    log.section("periodic", "two health checks, cancelled cleanly after watch seconds")
    await periodic_section()
    log.section_end()

    log.section("pages", "a paginated API as a stream of items, one page at a time")
    await pages_section()
    log.section_end()

    log.section("prefetch", "the same stream, with up to ahead pages in flight")
    await prefetch_section()
    log.section_end()


async def chapter_main():
    global session
    async with http.Session(timeout=request_timeout) as session:
        await run_sections()


def parse_args():
    p = argparse.ArgumentParser(
        description="chapter 12: a health check that keeps its rate and stops cleanly; "
                    "a paginated API read as a stream, with bounded read-ahead",
        allow_abbrev=False)
    p.add_argument("--interval", type=float, default=interval,
                   help=f"seconds between two health checks (default {interval:g})")
    p.add_argument("--check", type=float, default=check,
                   help=f"seconds the health endpoint takes to answer (default {check:g})")
    p.add_argument("--watch", type=float, default=watch,
                   help="seconds the health checks run before they are cancelled "
                        f"(default {watch:g})")
    p.add_argument("--size", type=int, default=size,
                   help=f"items per page (default {size})")
    p.add_argument("--ahead", type=int, default=ahead,
                   help=f"pages in flight at most in the prefetch section (default {ahead})")
    p.add_argument("--latency", type=float, default=latency,
                   help="seconds added before each page request, standing in for a "
                        f"distant API (default {latency:g})")
    p.add_argument("--work", type=float, default=work,
                   help=f"seconds the consumer spends on each item (default {work:g})")
    p.add_argument("--take", type=int, default=take,
                   help=f"items to read before stopping (100: all of them) (default {take})")
    p.add_argument("--request-timeout", type=float, default=request_timeout,
                   help="seconds any request may take before it fails, so a silent "
                        f"server fails the run in seconds (default {request_timeout:g})")
    p.add_argument("--base-url", default=None,
                   help="the lab server to use, e.g. http://127.0.0.1:8080 "
                        "(by default the script starts one)")
    p.add_argument("--seed", type=int, default=1,
                   help="seed for random choices (default 1; unused here)")
    p.add_argument("--log", action="store_true",
                   help="print the normalized event log (conformance)")
    log.add_clock_flag(p)
    args = p.parse_args()
    for name, low, high in (("size", 1, 100), ("ahead", 1, 100), ("take", 1, 100)):
        if not low <= getattr(args, name) <= high:
            p.error(f"--{name} must be a whole number from {low} to {high}")
    for name, low, high in (("interval", 0.01, 60), ("check", 0, 2), ("watch", 0, 60),
                            ("latency", 0, 60), ("work", 0, 60)):
        value = getattr(args, name)
        if not (math.isfinite(value) and low <= value <= high):
            p.error(f"--{name} must be a number of seconds from {low:g} to {high:g}")
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
    interval, check, watch = args.interval, args.check, args.watch
    size, ahead, latency, work, take = args.size, args.ahead, args.latency, args.work, args.take
    request_timeout = args.request_timeout
    with http.lab_server(args.base_url) as server:  # before the clock starts
        log.begin("12", "Periodic tasks and async iteration",
                  {"interval": interval, "check": check, "watch": watch, "size": size,
                   "ahead": ahead, "latency": latency, "work": work, "take": take,
                   "request-timeout": request_timeout}, args.log, args.clock)
        log.say(f"lab server: {server}" + ("" if args.base_url else " (started for this run)"))
        log.run(chapter_main())
        log.finish()
