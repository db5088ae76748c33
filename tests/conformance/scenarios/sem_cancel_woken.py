"""sem_cancel_woken -- a waiter handed a permit and cancelled before it runs
gives the permit back, to the next waiter in line; no permit is lost.

main holds the only permit; first and second queue for it.  At 0.2 main
releases (first is woken with the permit) and cancels first in the same
step.  first ends cancelled and second gets the permit at once."""
import asyncio
from scenario import say, run

sem = None


async def waiter(name):
    try:
        await sem.acquire()
    except asyncio.CancelledError:
        say(f"{name} cancelled while waiting")
        raise
    say(f"{name} acquired")
    await asyncio.sleep(0.2)
    sem.release()
    say(f"{name} released")


async def scenario():
    global sem
    sem = asyncio.Semaphore(1)
    await sem.acquire()
    first = asyncio.create_task(waiter("first"))
    second = asyncio.create_task(waiter("second"))
    await asyncio.sleep(0.2)
    sem.release()
    first.cancel()
    say("main released and cancelled first")
    await asyncio.sleep(0.1)
    say(f"locked: {sem.locked()}")
    await asyncio.gather(first, second, return_exceptions=True)
    say(f"locked: {sem.locked()}")


run(scenario)
