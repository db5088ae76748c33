"""sem_locked_handoff -- a permit handed to a woken waiter that has not run
yet makes locked() true, and a newcomer queues behind it even though
another permit is free (CPython 3.11)."""
import asyncio
from scenario import say, run


async def worker(sem, name):
    async with sem:
        say(f"{name} acquired")
        await asyncio.sleep(0.1)


async def scenario():
    sem = asyncio.Semaphore(2)
    await sem.acquire()
    await sem.acquire()
    asyncio.create_task(worker(sem, "w"))
    await asyncio.sleep(0.1)
    asyncio.create_task(worker(sem, "n"))
    sem.release()
    sem.release()
    say(f"locked: {sem.locked()}")
    await asyncio.sleep(0.3)


run(scenario)
