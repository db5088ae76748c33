"""lock_cancel_woken -- a waiter handed the lock and cancelled before it
runs passes the lock on to the next waiter; the lock is not left taken
by nobody.

main holds the lock; first and second queue for it.  At 0.2 main
releases it (first is woken) and cancels first in the same step.  first
ends cancelled; second gets the lock and holds it until 0.4."""
import asyncio
from scenario import say, run

lock = None


async def waiter(name):
    try:
        await lock.acquire()
    except asyncio.CancelledError:
        say(f"{name} cancelled while waiting")
        raise
    say(f"{name} has the lock")
    await asyncio.sleep(0.2)
    lock.release()
    say(f"{name} released")


async def scenario():
    global lock
    lock = asyncio.Lock()
    await lock.acquire()
    first = asyncio.create_task(waiter("first"))
    second = asyncio.create_task(waiter("second"))
    await asyncio.sleep(0.2)
    lock.release()
    first.cancel()
    say("main released and cancelled first")
    await asyncio.sleep(0.1)
    say(f"locked: {lock.locked()}")
    await asyncio.gather(first, second, return_exceptions=True)
    say(f"locked: {lock.locked()}")


run(scenario)
