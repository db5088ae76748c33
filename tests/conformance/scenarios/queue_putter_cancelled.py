"""queue_putter_cancelled -- a putter woken for a free slot and cancelled
before it runs does not put its item: its put() raises CancelledError
and the slot stays free.

A queue of maxsize 1 holds a; the putter waits to put b.  At 0.2 main
takes a and cancels the putter in the same step; the queue is left
empty."""
import asyncio
from scenario import say, run

queue = None


async def putter():
    try:
        await queue.put("b")
    except asyncio.CancelledError:
        say("putter cancelled")
        raise
    say("putter put b")


async def scenario():
    global queue
    queue = asyncio.Queue(1)
    queue.put_nowait("a")
    task = asyncio.create_task(putter())
    await asyncio.sleep(0.2)
    item = queue.get_nowait()
    task.cancel()
    say(f"main took {item} and cancelled the putter")
    await asyncio.gather(task, return_exceptions=True)
    say(f"size {queue.qsize()}")


run(scenario)
