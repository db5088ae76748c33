"""queue_blocking -- put() waits while the queue is full, get() while it is
empty, and waiting getters are served in the order they came.

A queue of maxsize 2: the producer puts a and b at once, and waits with c
until main takes a at 0.2.  Then main drains it; getters g0, g1 and g2
start waiting at 0.5, 0.6 and 0.7 on the empty queue, and the items x, y,
z put at 0.9 go to them in that order."""
import asyncio
from scenario import say, run

queue = None


async def producer():
    for item in ("a", "b", "c"):
        say(f"producer puts {item} (size {queue.qsize()})")
        await queue.put(item)
        say(f"producer put {item}")


async def getter(i):
    await asyncio.sleep(0.3 + 0.1 * i)
    say(f"g{i} waits")
    item = await queue.get()
    say(f"g{i} got {item}")


async def scenario():
    global queue
    queue = asyncio.Queue(2)
    prod = asyncio.create_task(producer())
    await asyncio.sleep(0.2)
    item = await queue.get()
    say(f"main got {item}")
    await prod
    await queue.get()
    await queue.get()
    say(f"main drained it; size {queue.qsize()}")

    getters = [asyncio.create_task(getter(i)) for i in range(3)]
    await asyncio.sleep(0.7)
    say("main puts x, y, z")
    await queue.put("x")
    await queue.put("y")
    await queue.put("z")
    await asyncio.gather(*getters)


run(scenario)
