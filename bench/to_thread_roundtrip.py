"""to_thread_roundtrip -- CPython twin of bench/to_thread_roundtrip.c.

One task awaits asyncio.to_thread() of a function that does nothing, n
times in a row (default 20000), and checks every result.  to_thread runs
the call in the loop's default executor (a ThreadPoolExecutor of
min(32, cpus + 4) threads) and copies the task's context to it.
usage: python3 to_thread_roundtrip.py [count]
"""
import asyncio
import os
import sys

import peer_loop


def noop(i):
    return i


async def round_trips(n):
    for i in range(n):
        assert await asyncio.to_thread(noop, i) == i


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    first, elapsed, _ = peer_loop.run_rounds(lambda: round_trips(n))
    print(f"time_s={elapsed:.6f} first_s={first:.6f} n={n} us_per_roundtrip={elapsed * 1e6 / n:.2f} "
          f"threads={min(32, (os.cpu_count() or 1) + 4)} clock=real loop={peer_loop.LOOP}")


if __name__ == "__main__":
    main()
