"""lock_contention -- CPython twin of bench/lock_contention.c.

`tasks` tasks (default 1000) each do `rounds` times (default 1000):
`async with lock: await asyncio.sleep(0)` -- every task queues for the one
lock, holds it across a yield, and lets the next in line have it.
usage: python3 lock_contention.py [rounds] [tasks]
"""
import asyncio
import sys

import peer_loop


async def contend(lock, rounds, state):
    for _ in range(rounds):
        async with lock:
            state["inside"] += 1
            assert state["inside"] == 1
            await asyncio.sleep(0)
            state["inside"] -= 1
            state["cycles"] += 1


async def run(rounds, n_tasks):
    lock = asyncio.Lock()
    state = {"inside": 0, "cycles": 0}
    tasks = [asyncio.create_task(contend(lock, rounds, state), name=f"t-{i}")
             for i in range(n_tasks)]
    await asyncio.gather(*tasks)
    return state["cycles"]


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    n_tasks = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    first, elapsed, cycles = peer_loop.run_rounds(lambda: run(rounds, n_tasks))
    assert cycles == rounds * n_tasks
    print(f"time_s={elapsed:.6f} first_s={first:.6f} n={cycles} tasks={n_tasks} rounds={rounds} "
          f"ns_per_cycle={elapsed * 1e9 / cycles:.1f} clock=real loop={peer_loop.LOOP}")


if __name__ == "__main__":
    main()
