"""http_fanout_aiohttp -- aiohttp twin of bench/http_fanout.c.

n GETs of BASE_URL/bytes/1024 with 100 in flight: one aiohttp.ClientSession
whose connector holds at most 100 connections, and 100 worker tasks taking
requests from a shared count, as the C program does with its session and
worker tasks.  Every answer must be 200 with 1,024 bytes.  Each round opens
a new session (as each C round opens a new aw_http_session); time_s is the
best round, first_s the first.
usage: python3 http_fanout_aiohttp.py count BASE_URL   (a lab server: awaitlab serve)
"""
import asyncio
import sys

import aiohttp

import peer_loop

IN_FLIGHT = 100
BODY = 1024


async def fan_out(n, url):
    left = n
    connector = aiohttp.TCPConnector(limit=IN_FLIGHT)
    async with aiohttp.ClientSession(connector=connector) as session:
        async def worker():
            nonlocal left
            done = 0
            while left > 0:
                left -= 1
                async with session.get(url) as response:
                    body = await response.read()
                    if response.status != 200 or len(body) != BODY:
                        raise RuntimeError(f"GET {url}: not 200 with {BODY} bytes")
                done += 1
            return done

        done = await asyncio.gather(*(worker() for _ in range(IN_FLIGHT)))
    return sum(done)


def main():
    if len(sys.argv) != 3 or not sys.argv[2].startswith("http://"):
        print("usage: http_fanout_aiohttp.py count BASE_URL", file=sys.stderr)
        sys.exit(2)
    n, url = int(sys.argv[1]), sys.argv[2].rstrip("/") + f"/bytes/{BODY}"
    first, best, done = peer_loop.run_rounds(lambda: fan_out(n, url))
    assert done == n
    print(f"time_s={best:.6f} first_s={first:.6f} n={n} in_flight={IN_FLIGHT} "
          f"requests_per_s={n / best:.0f} aiohttp={aiohttp.__version__} clock=real "
          f"loop={peer_loop.LOOP}")


if __name__ == "__main__":
    main()
