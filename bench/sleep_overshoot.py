"""sleep_overshoot -- CPython twin of bench/sleep_overshoot.c.

Gathers ten `asyncio.sleep(0.5)` tasks, measures how much longer than 0.5 s
the gather took, repeats, and reports the median overshoot.
usage: python3 sleep_overshoot.py [rounds]      (default 15)
"""
import asyncio
import statistics
import sys
import time

import peer_loop

SLEEP_S = 0.5
SLEEPERS = 10


async def sleeper():
    await asyncio.sleep(SLEEP_S)
    return 0


async def run_rounds(n):
    overshoot = []
    for r in range(n):
        t0 = time.perf_counter()
        tasks = [asyncio.create_task(sleeper(), name=f"sleeper-{r}-{i}")
                 for i in range(SLEEPERS)]
        await asyncio.gather(*tasks)
        overshoot.append(time.perf_counter() - t0 - SLEEP_S)
    return overshoot


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    t0 = time.perf_counter()
    overshoot = peer_loop.run(run_rounds(n))
    elapsed = time.perf_counter() - t0
    print(f"time_s={elapsed:.6f} rounds={n} "
          f"overshoot_ms_median={statistics.median(overshoot) * 1e3:.3f} "
          f"overshoot_ms_first={overshoot[0] * 1e3:.3f} "
          f"overshoot_ms_min={min(overshoot) * 1e3:.3f} "
          f"overshoot_ms_max={max(overshoot) * 1e3:.3f} clock=real loop={peer_loop.LOOP}")


if __name__ == "__main__":
    main()
