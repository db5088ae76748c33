"""million_sleepers -- CPython twin of bench/million_sleepers.c.

Spawns n tasks that each `await asyncio.sleep(1)` and gathers them; prints
the peak resident memory per suspended task.
usage: python3 million_sleepers.py [count]      (default 1000000)
"""
import asyncio
import resource
import sys

import peer_loop

SLEEP_S = 1.0


def peak_rss_kb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


async def sleeper():
    await asyncio.sleep(SLEEP_S)
    return 1


async def sleep_all(n):
    tasks = [asyncio.create_task(sleeper(), name=f"sleeper-{i}") for i in range(n)]
    return sum(await asyncio.gather(*tasks))


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    base_kb = peak_rss_kb()
    first, elapsed, woke = peer_loop.run_rounds(lambda: sleep_all(n))
    peak_kb = peak_rss_kb()
    assert woke == n
    print(f"time_s={elapsed:.6f} first_s={first:.6f} n={n} rss_base_kb={base_kb} rss_peak_kb={peak_kb} "
          f"bytes_per_task={(peak_kb - base_kb) * 1024 / n:.0f} clock=real loop={peer_loop.LOOP}")


if __name__ == "__main__":
    main()
