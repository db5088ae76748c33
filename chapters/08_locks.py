"""Chapter 08 -- locks: read, await, write, in Python asyncio.

n tasks each add one to a shared counter the way real code often does it:
read the value, await something (a database round trip; here a sleep of
`delay`), write the value plus one back.  Five sections:

  unlocked    no lock: every task reads 0 before any task writes, so the
              counter ends at exactly 1 -- not "somewhere below n".
  locked      the same increments under a lock: the counter ends at n.
  fairness    three tasks take the lock twice each.  They get it in the
              order they asked, and a task that releases the lock and asks
              again at once goes to the back of the line.
  deadlock    two transfers take two locks in opposite orders and wait for
              each other forever; a timeout catches it.
  lock_order  the fix: both transfers take the locks in the same order.

This is the twin of 08_locks.c: same functions, same sections, same flags.
Run it alone:

    python3 chapters/08_locks.py
    python3 chapters/08_locks.py --n 5 --delay 0.1 --log
"""

import argparse
import asyncio

import awaitlab_log as log

FAIR_TASKS = 3
FAIR_ROUNDS = 2

n = 100
delay = 0.01
timeout = 0.5

# ---------------------------------------------------------------------------
# unlocked and locked: read, await, write

counter = 0
reads_of_zero = 0  # how many tasks read 0
inside = 0         # tasks between their read and their write
max_inside = 0

counter_lock = None


async def read_await_write():
    global counter, reads_of_zero, inside, max_inside
    value = counter                  # read
    reads_of_zero += value == 0
    inside += 1
    max_inside = max(max_inside, inside)
    try:
        await asyncio.sleep(delay)   # a database round trip, say
    finally:
        inside -= 1
    counter = value + 1              # write


async def increment_unlocked(name):
    with log.task(name):
        await read_await_write()


async def increment_locked(name):
    with log.task(name):
        async with counter_lock:
            await read_await_write()


async def run_increments(increment):
    global counter, reads_of_zero, inside, max_inside
    counter = reads_of_zero = inside = max_inside = 0
    await asyncio.gather(*(asyncio.create_task(increment(f"inc-{i}"), name=f"inc-{i}")
                           for i in range(n)))
    log.say(f"counter = {counter} after {n} increments: {n - counter} lost")
    log.say(f"tasks that read 0: {reads_of_zero}; "
            f"most tasks between read and write at once: {max_inside}")


# ---------------------------------------------------------------------------
# fairness

turn_lock = None
order = []


async def take_turns(i):
    with log.task(f"worker-{i}"):
        for _ in range(FAIR_ROUNDS):
            async with turn_lock:
                order.append(f"worker-{i}")
                await asyncio.sleep(delay)


def in_turns():
    """Did the lock go round in turns: 0, 1, 2, 0, 1, 2?"""
    return order == [f"worker-{k % FAIR_TASKS}" for k in range(FAIR_TASKS * FAIR_ROUNDS)]


async def fairness():
    order.clear()
    await asyncio.gather(*(asyncio.create_task(take_turns(i), name=f"worker-{i}")
                           for i in range(FAIR_TASKS)))
    log.say(f"the lock went to: {', '.join(order)}")
    log.say("in turns: first come, first served" if in_turns() else "not in turns!")


# ---------------------------------------------------------------------------
# deadlock and lock_order

async def transfer(name, first, second):
    with log.task(name):
        async with first:
            await asyncio.sleep(delay)
            async with second:
                await asyncio.sleep(delay)   # move the money


async def two_transfers(same_order):
    account_a, account_b = asyncio.Lock(), asyncio.Lock()
    b_to_a_locks = (account_a, account_b) if same_order else (account_b, account_a)
    started = log.now()
    a_to_b = asyncio.create_task(transfer("a-to-b", account_a, account_b), name="a-to-b")
    b_to_a = asyncio.create_task(transfer("b-to-a", *b_to_a_locks), name="b-to-a")
    try:
        async with asyncio.timeout(timeout):
            await asyncio.gather(a_to_b, b_to_a)
    except TimeoutError:
        log.say(f"gave up after {log.now() - started:.3f} s: a-to-b held account-a and "
                "waited for account-b, b-to-a held account-b and waited for account-a")
        return
    log.say(f"both transfers done after {log.now() - started:.3f} s")


# ---------------------------------------------------------------------------

async def chapter_main():
    global counter_lock, turn_lock
    counter_lock, turn_lock = asyncio.Lock(), asyncio.Lock()

    log.section("unlocked", "read, await, write with no lock: updates are lost")
    await run_increments(increment_unlocked)
    log.section_end()

    log.section("locked", "the same under a lock: one task at a time")
    await run_increments(increment_locked)
    log.section_end()

    log.section("fairness", "three tasks take the lock twice each: first come, first served")
    await fairness()
    log.section_end()

    log.section("deadlock", "two locks taken in opposite orders, caught by a timeout")
    await two_transfers(same_order=False)
    log.section_end()

    log.section("lock_order", "the fix: every task takes the locks in the same order")
    await two_transfers(same_order=True)
    log.section_end()


def parse_args():
    p = argparse.ArgumentParser(
        description="chapter 08: lost updates without a lock, FIFO fairness, "
                    "and a deadlock caught by a timeout",
        allow_abbrev=False)
    p.add_argument("--n", type=int, default=n,
                   help=f"how many tasks increment the counter (default {n})")
    p.add_argument("--delay", type=float, default=delay,
                   help="seconds each task awaits while it holds a value or a lock "
                        f"(default {delay:g})")
    p.add_argument("--timeout", type=float, default=timeout,
                   help=f"seconds before giving up on the deadlock (default {timeout:g})")
    p.add_argument("--seed", type=int, default=1,
                   help="seed for random choices (default 1; unused here)")
    p.add_argument("--log", action="store_true",
                   help="print the normalized event log (conformance)")
    log.add_clock_flag(p)
    args = p.parse_args()
    if not 1 <= args.n <= 100000:
        p.error("--n must be a whole number from 1 to 100000")
    if not 0 <= args.delay <= 3600:
        p.error("--delay must be a number of seconds from 0 to 3600")
    if not 0.001 <= args.timeout <= 3600:
        p.error("--timeout must be a number of seconds from 0.001 to 3600")
    if not 0 <= args.seed < 2**64:
        p.error("--seed must be a whole number of 0 or more")
    return args


if __name__ == "__main__":
    args = parse_args()
    n, delay, timeout = args.n, args.delay, args.timeout
    log.begin("08", "Locks: read, await, write",
              {"n": n, "delay": delay, "timeout": timeout}, args.log, args.clock)
    log.run(chapter_main())
    log.finish()
