"""queue_getter_cancelled -- a getter woken for an item and cancelled before
it runs does not lose the item: the next getter in line gets it.

g1 and g2 wait on an empty queue; at 0.2 main puts x and cancels g1 in
the same step.  g1 ends cancelled and g2 gets x."""
import asyncio
from scenario import say, run

queue = None


async def getter(name):
    try:
        item = await queue.get()
    except asyncio.CancelledError:
        say(f"{name} cancelled")
        raise
    say(f"{name} got {item}")


async def scenario():
    global queue
    queue = asyncio.Queue(0)
    tasks = [asyncio.create_task(getter("g1")), asyncio.create_task(getter("g2"))]
    await asyncio.sleep(0.2)
    queue.put_nowait("x")
    tasks[0].cancel()
    say("main put x and cancelled g1")
    await asyncio.gather(*tasks, return_exceptions=True)
    say(f"size {queue.qsize()}")


run(scenario)
