"""cond_wait_cancelled -- a task cancelled inside wait() takes the lock back
before it sees the cancellation, so it always leaves wait() holding the
lock.

The waiter waits at 0.0.  At 0.2 main takes the lock and cancels the
waiter, and holds the lock until 0.4: only then can the waiter retake it
and see its cancellation, with the lock in hand."""
import asyncio
from scenario import say, run

cond = None


async def waiter():
    await cond.acquire()
    say("waiter waits")
    try:
        await cond.wait()
        outcome = "returned"
    except asyncio.CancelledError:
        outcome = "cancelled"
    say(f"waiter: wait() {outcome}; holds the lock: {'yes' if cond.locked() else 'no'}")
    cond.release()
    if outcome == "cancelled":
        raise asyncio.CancelledError


async def scenario():
    global cond
    cond = asyncio.Condition()
    task = asyncio.create_task(waiter())
    await asyncio.sleep(0.2)
    await cond.acquire()
    task.cancel()
    say("main holds the lock and cancelled the waiter")
    await asyncio.sleep(0.2)
    say("main releases the lock")
    cond.release()
    await asyncio.gather(task, return_exceptions=True)
    say(f"waiter ended; locked: {cond.locked()}")


run(scenario)
