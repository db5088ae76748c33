"""peer_loop -- what every Python twin of a benchmark shares: which event
loop runs it, and timing its rounds.

BENCH_LOOP=uvloop in the environment runs the same program on uvloop's loop
(Debian's python3-uvloop) instead of asyncio's own; BENCH_ROUNDS sets how
many rounds run in one process (default 5, as in bench/bench.h).  The first
round is the cold one (fresh memory, a new loop); the best is the warm one.
"""
import asyncio
import os
import time

LOOP = os.environ.get("BENCH_LOOP", "asyncio")
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))

if LOOP == "uvloop":
    import uvloop  # a missing module ends the program: the runner reports it skipped

    def new_loop():
        return uvloop.new_event_loop()
elif LOOP == "asyncio":
    new_loop = None
else:
    raise SystemExit(f"BENCH_LOOP={LOOP}: use asyncio or uvloop")


def run(coro):
    """asyncio.run(coro), on the chosen loop."""
    with asyncio.Runner(loop_factory=new_loop) as runner:
        return runner.run(coro)


def run_rounds(make_coro):
    """Runs run(make_coro()) ROUNDS times, each on a fresh loop, as the C
    programs run aw_run() once a round.  Returns (first_s, best_s, the last
    round's result)."""
    seconds, result = [], None
    for _ in range(ROUNDS):
        t0 = time.perf_counter()
        result = run(make_coro())
        seconds.append(time.perf_counter() - t0)
    return seconds[0], min(seconds), result
