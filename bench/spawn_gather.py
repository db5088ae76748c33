"""spawn_gather -- CPython twin of bench/spawn_gather.c.

Spawns n tasks that each `await asyncio.sleep(0)` once and return their
index, gathers them and checks every result.
usage: python3 spawn_gather.py [count]      (default 100000)
"""
import asyncio
import sys
import time


async def worker(i):
    await asyncio.sleep(0)
    return i


async def spawn_and_gather(n):
    tasks = [asyncio.create_task(worker(i), name=f"worker-{i}") for i in range(n)]
    results = await asyncio.gather(*tasks)
    assert results == list(range(n))
    return n


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    t0 = time.perf_counter()
    gathered = asyncio.run(spawn_and_gather(n))
    elapsed = time.perf_counter() - t0
    print(f"time_s={elapsed:.6f} n={gathered} ns_per_task={elapsed * 1e9 / n:.1f} clock=real")


if __name__ == "__main__":
    main()
