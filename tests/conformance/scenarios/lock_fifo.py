"""lock_fifo -- a lock is taken in the order tasks asked for it.

The holder takes the lock at 0.0; a, b and c ask for it at 0.1 in the
order c, a, b.  At 0.2 the holder releases it and at once asks again: it
goes to the back of the line behind c, a and b, each of which holds the
lock for 0.1 s."""
import asyncio
from scenario import say, run

lock = None


async def use_lock(name):
    async with lock:
        say(f"{name} has the lock")
        await asyncio.sleep(0.1)


async def holder():
    await lock.acquire()
    say("holder has the lock")
    await asyncio.sleep(0.2)
    lock.release()
    say("holder released, asks again")
    await use_lock("holder")


async def contender(name):
    await asyncio.sleep(0.1)
    say(f"{name} asks")
    await use_lock(name)


async def scenario():
    global lock
    lock = asyncio.Lock()
    await asyncio.gather(asyncio.create_task(holder()), asyncio.create_task(contender("c")),
                         asyncio.create_task(contender("a")),
                         asyncio.create_task(contender("b")))
    say("main ends")


run(scenario)
