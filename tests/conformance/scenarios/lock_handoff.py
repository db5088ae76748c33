"""lock_handoff -- what locked() says between a release and the moment the
next waiter runs.

In asyncio, release() marks the lock free and wakes the first waiter,
which takes the lock when it runs; in the meantime locked() is False,
although no newcomer can take it (FIFO).  At 0.2 main releases the lock
that waiter queued for and looks at locked() in the same step."""
import asyncio
from scenario import say, run

lock = None


async def waiter():
    async with lock:
        say("waiter has the lock")
        await asyncio.sleep(0.1)


async def scenario():
    global lock
    lock = asyncio.Lock()
    await lock.acquire()
    task = asyncio.create_task(waiter())
    await asyncio.sleep(0.2)
    lock.release()
    say(f"released; locked: {lock.locked()}")
    await asyncio.sleep(0)
    say(f"after the waiter ran; locked: {lock.locked()}")
    await task
    say(f"locked: {lock.locked()}")


run(scenario)
