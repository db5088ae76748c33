"""event_fifo -- set() wakes the waiters in the order they began to wait,
which need not be the order they were created in.

w0, w1 and w2 are created in that order but start waiting at 0.2, 0.0 and
0.1; the event is set at 0.3 and they wake as w1, w2, w0."""
import asyncio
from scenario import say, run

event = None


async def waiter(i):
    arrives = [0.2, 0.0, 0.1]
    await asyncio.sleep(arrives[i])
    say(f"w{i} waits")
    await event.wait()
    say(f"w{i} woke")


async def scenario():
    global event
    event = asyncio.Event()
    tasks = [asyncio.create_task(waiter(i)) for i in range(3)]
    await asyncio.sleep(0.3)
    say("set")
    event.set()
    await asyncio.gather(*tasks)


run(scenario)
