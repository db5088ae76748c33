"""scenario.py -- what every conformance scenario's Python side shares.

say() prints "T text" with T = seconds since the scenario started, rounded
to tenths: the same normalized log the C side prints (scenario.h).
"""
import asyncio
import time

_start = time.monotonic()


def say(text):
    print(f"{round(time.monotonic() - _start, 1):.1f} {text}", flush=True)


def run(main):
    global _start
    _start = time.monotonic()
    asyncio.run(main())
