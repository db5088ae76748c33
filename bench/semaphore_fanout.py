"""semaphore_fanout -- CPython twin of bench/semaphore_fanout.c.

Spawns n tasks (default 100000) that each go through a Semaphore(100) and
yield once while holding it, gathers them, and checks the limit held.
usage: python3 semaphore_fanout.py [count]
"""
import asyncio
import sys
import time

import peer_loop

LIMIT = 100


async def worker(sem, i, state):
    async with sem:
        state["inside"] += 1
        state["peak"] = max(state["peak"], state["inside"])
        await asyncio.sleep(0)
        state["inside"] -= 1
    return i


async def fan_out(n):
    sem = asyncio.Semaphore(LIMIT)
    state = {"inside": 0, "peak": 0}
    tasks = [asyncio.create_task(worker(sem, i, state), name="worker")
             for i in range(n)]
    results = await asyncio.gather(*tasks)
    assert results == list(range(n))
    assert state["peak"] == min(LIMIT, n)
    return state["peak"]


async def rounds(n):
    seconds = []
    for _ in range(peer_loop.ROUNDS):  # in one process, as the C program
        t0 = time.perf_counter()
        peak = await fan_out(n)
        seconds.append(time.perf_counter() - t0)
    return seconds, peak


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    seconds, peak = peer_loop.run(rounds(n))
    elapsed = min(seconds)
    print(f"time_s={elapsed:.6f} first_s={seconds[0]:.6f} n={n} limit={LIMIT} peak={peak} "
          f"ns_per_task={elapsed * 1e9 / n:.1f} clock=real loop={peer_loop.LOOP}")


if __name__ == "__main__":
    main()
