"""queue_newcomer -- asyncio's Queue wakes a waiting getter or putter and
lets it retry when it runs; until then the item (or the free slot) is
up for grabs, and a task that asks in the same step gets it.

Part one: the getter waits on an empty queue; at 0.2 main puts 1 and
at once calls get_nowait(): main gets 1, the getter goes back to waiting
and gets 2, put at 0.4.  Part two: a queue of maxsize 1 holds a; the
putter waits to put b; at 0.6 main takes a and at once calls
put_nowait(c): c goes in, and the putter waits until main takes c at 0.8."""
import asyncio
from scenario import say, run

queue = None


async def getter():
    item = await queue.get()
    say(f"getter got {item}")


async def putter():
    await queue.put("b")
    say("putter put b")


def outcome(call, *args):
    try:
        return "ok", call(*args)
    except (asyncio.QueueFull, asyncio.QueueEmpty) as e:
        return type(e).__name__, 0


async def scenario():
    global queue
    queue = asyncio.Queue(0)
    task = asyncio.create_task(getter())
    await asyncio.sleep(0.2)
    queue.put_nowait(1)
    status, item = outcome(queue.get_nowait)
    say(f"main put 1, then get_nowait: {status} {item}")
    await asyncio.sleep(0.2)
    queue.put_nowait(2)
    await task

    queue = asyncio.Queue(1)
    queue.put_nowait("a")
    task = asyncio.create_task(putter())
    await asyncio.sleep(0.2)
    item = queue.get_nowait()
    status, _ = outcome(queue.put_nowait, "c")
    say(f"main took {item}, then put_nowait c: {status}")
    await asyncio.sleep(0.2)
    status, item = outcome(queue.get_nowait)
    say(f"main get_nowait: {status} {item if status == 'ok' else '-'}")
    await task
    status, item = outcome(queue.get_nowait)
    say(f"main get_nowait: {status} {item if status == 'ok' else '-'}")


run(scenario)
