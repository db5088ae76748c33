"""yield_loop -- CPython twin of bench/yield_loop.c.

One task does `await asyncio.sleep(0)` n times.
usage: python3 yield_loop.py [count]      (default 1000000)
"""
import asyncio
import sys

import peer_loop


async def yield_many(n):
    for _ in range(n):
        await asyncio.sleep(0)
    return n


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    first, elapsed, done = peer_loop.run_rounds(lambda: yield_many(n))
    assert done == n
    print(f"time_s={elapsed:.6f} first_s={first:.6f} n={n} ns_per_yield={elapsed * 1e9 / n:.1f} clock=real loop={peer_loop.LOOP}")


if __name__ == "__main__":
    main()
