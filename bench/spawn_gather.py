"""spawn_gather -- CPython twin of bench/spawn_gather.c.

Spawns n tasks that each `await asyncio.sleep(0)` once and return their
index, gathers them and checks every result.  ROUNDS rounds run in one
process; time_s is the best, first_s the first (as in the C program).
usage: python3 spawn_gather.py [count]      (default 100000)
"""
import asyncio
import sys
import time

import peer_loop


async def worker(i):
    await asyncio.sleep(0)
    return i


async def one_round(n):
    tasks = [asyncio.create_task(worker(i), name="worker") for i in range(n)]
    results = await asyncio.gather(*tasks)
    assert results == list(range(n))


async def spawn_and_gather(n):
    seconds = []
    for _ in range(peer_loop.ROUNDS):
        t0 = time.perf_counter()
        await one_round(n)
        seconds.append(time.perf_counter() - t0)
    return seconds


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    seconds = peer_loop.run(spawn_and_gather(n))
    elapsed = min(seconds)
    print(f"time_s={elapsed:.6f} first_s={seconds[0]:.6f} n={n} "
          f"ns_per_task={elapsed * 1e9 / n:.1f} clock=real loop={peer_loop.LOOP}")


if __name__ == "__main__":
    main()
