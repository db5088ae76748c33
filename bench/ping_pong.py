"""ping_pong -- CPython twin of bench/ping_pong.c.

Two tasks each `await asyncio.sleep(0)` n times, taking turns.
usage: python3 ping_pong.py [count]      (default 1000000)
"""
import asyncio
import sys

import peer_loop


async def player(n):
    for _ in range(n):
        await asyncio.sleep(0)
    return n


async def play(n):
    await asyncio.gather(player(n), player(n))


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    first, elapsed, _ = peer_loop.run_rounds(lambda: play(n))
    print(f"time_s={elapsed:.6f} first_s={first:.6f} n={n} ns_per_switch={elapsed * 1e9 / (2 * n):.1f} clock=real "
          f"loop={peer_loop.LOOP}")


if __name__ == "__main__":
    main()
