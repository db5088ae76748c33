"""sem_errors -- the two ways to misuse a semaphore that asyncio refuses
with ValueError: a negative initial value, and releasing a
BoundedSemaphore above its initial value.  A plain Semaphore may be
released above its initial value."""
import asyncio
from scenario import say, run


def outcome(call):
    try:
        call()
        return "ok"
    except ValueError:
        return "ValueError"


async def scenario():
    say(f"Semaphore(-1): {outcome(lambda: asyncio.Semaphore(-1))}")

    bounded = asyncio.BoundedSemaphore(1)
    await bounded.acquire()
    say(f"bounded release 1: {outcome(bounded.release)}")
    say(f"bounded release 2: {outcome(bounded.release)}")
    say(f"bounded locked: {bounded.locked()}")

    plain = asyncio.Semaphore(1)
    await plain.acquire()
    say(f"plain release 1: {outcome(plain.release)}")
    say(f"plain release 2: {outcome(plain.release)}")
    await plain.acquire()
    await plain.acquire()
    say(f"plain acquired twice; locked: {plain.locked()}")


run(scenario)
