"""queue_shutdown -- Queue.shutdown(), new in Python 3.13.

shutdown(): every put fails with QueueShutDown from then on, one that was
blocked on the full queue too; gets still take the items left, and fail
once the queue is empty; a get blocked on the empty queue fails at once.

shutdown(immediate=True): the items left are dropped and counted as done,
so join() returns as soon as the items already taken are done; gets fail
at once.

Python 3.11 and 3.12 have no Queue.shutdown.  Rather than skip the
scenario there, it uses chapters/awaitlab_queue.py (chapter 06's twin uses
it too): a small asyncio.Queue subclass that adds it with 3.13's
behaviour, as documented for asyncio.Queue.shutdown and QueueShutDown; on
3.13 and later that is the real asyncio.Queue, so the scenario then checks
the runtime against CPython itself.
"""
import asyncio
from scenario import say, run
from awaitlab_queue import Queue, QueueShutDown  # chapters/: scenario.py finds it


async def outcome(awaitable):
    try:
        await awaitable
        return "ok"
    except QueueShutDown:
        return "QueueShutDown"


async def putter(queue):
    say("putter puts c on the full queue")
    say(f"putter: put c: {await outcome(queue.put('c'))}")


async def drainer(queue):
    """Takes items every 0.1 s until the queue says it is shut down."""
    while True:
        try:
            item = await queue.get()
        except QueueShutDown:
            say("drainer: get: QueueShutDown")
            return
        say(f"drainer got {item}")
        await asyncio.sleep(0.1)


async def worker(queue):
    """Works 0.2 s on one item, then asks for another."""
    item = await queue.get()
    say(f"worker got {item}")
    await asyncio.sleep(0.2)
    queue.task_done()
    say(f"worker done with {item}; get: {await outcome(queue.get())}")


async def joiner(queue):
    await queue.join()
    say("join returned: ok")


async def getter(queue):
    say("getter waits on the empty queue")
    say(f"getter: get: {await outcome(queue.get())}")


async def scenario():
    queue = Queue(2)
    queue.put_nowait("a")
    queue.put_nowait("b")
    tasks = [asyncio.create_task(putter(queue))]
    await asyncio.sleep(0.2)
    say("shutdown()")
    queue.shutdown()
    try:
        queue.put_nowait("d")
        say("put_nowait d: ok")
    except QueueShutDown:
        say("put_nowait d: QueueShutDown")
    await asyncio.sleep(0.2)
    tasks.append(asyncio.create_task(drainer(queue)))
    await asyncio.gather(*tasks)

    await asyncio.sleep(0.2)
    queue = Queue(0)
    for i in range(1, 4):
        queue.put_nowait(i)
    tasks = [asyncio.create_task(worker(queue)), asyncio.create_task(joiner(queue))]
    await asyncio.sleep(0.1)
    say(f"shutdown(immediate=True) with {queue.qsize()} items left")
    queue.shutdown(immediate=True)
    try:
        queue.get_nowait()
        got = "ok"
    except QueueShutDown:
        got = "QueueShutDown"
    say(f"size {queue.qsize()}; get_nowait: {got}")
    await asyncio.gather(*tasks)

    await asyncio.sleep(0.2)
    queue = Queue(0)
    task = asyncio.create_task(getter(queue))
    await asyncio.sleep(0.2)
    say("shutdown()")
    queue.shutdown()
    await task


run(scenario)
