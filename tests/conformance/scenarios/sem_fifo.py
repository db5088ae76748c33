"""sem_fifo -- a semaphore is first come, first served: a task queued for a
permit gets it before a newcomer, even one that asks right after the
release, in the same step (CPython since 3.11.0, gh-90155).

The holder releases its permit at 0.3 and asks for it again at once; the
waiter, queued since 0.1, gets it first, and the holder has to wait until
0.5."""
import asyncio
from scenario import say, run

sem = None


async def holder():
    await sem.acquire()
    say("holder acquired")
    await asyncio.sleep(0.3)
    sem.release()
    say("holder released, asks again")
    await sem.acquire()
    say("holder acquired again")
    sem.release()


async def waiter():
    await asyncio.sleep(0.1)
    say("waiter asks")
    await sem.acquire()
    say("waiter acquired")
    await asyncio.sleep(0.2)
    sem.release()
    say("waiter released")


async def scenario():
    global sem
    sem = asyncio.Semaphore(1)
    await asyncio.gather(asyncio.create_task(holder()), asyncio.create_task(waiter()))
    say("main ends")


run(scenario)
