"""cond_notify -- notify(n) wakes the first n waiters, notify_all() all of
them, in the order they began to wait; each woken waiter must take the
lock back before wait() returns, so they come out one at a time.

Four waiters wait at 0.0.  At 0.2 notify(1) wakes w0 only.  At 0.4
notify_all() wakes w1, w2 and w3, which each hold the lock for 0.1 s:
they return from wait() at 0.4, 0.5 and 0.6.  At 0.8 main calls notify()
without holding the lock: RuntimeError."""
import asyncio
from scenario import say, run

cond = None


async def waiter(i):
    async with cond:
        await cond.wait()
        say(f"w{i} is back from wait(), holding the lock")
        await asyncio.sleep(0.1)


async def scenario():
    global cond
    cond = asyncio.Condition()
    tasks = [asyncio.create_task(waiter(i)) for i in range(4)]
    await asyncio.sleep(0.2)

    async with cond:
        say("notify(1)")
        cond.notify(1)
    await asyncio.sleep(0.2)

    async with cond:
        say("notify_all()")
        cond.notify_all()
    await asyncio.gather(*tasks)
    await asyncio.sleep(0.1)

    try:
        cond.notify(1)
        say("notify() without the lock: ok")
    except RuntimeError:
        say("notify() without the lock: RuntimeError")


run(scenario)
