"""queue_join -- join() waits until every item put has been marked done with
task_done(); on a queue with nothing unfinished it returns at once; one
task_done() too many is a ValueError.

The worker takes three items and spends 0.1 s on each, so join() returns
at 0.3, right after the third task_done()."""
import asyncio
from scenario import say, run

queue = None


async def worker():
    for _ in range(3):
        item = await queue.get()
        await asyncio.sleep(0.1)
        say(f"worker done with item {item}")
        queue.task_done()


async def joiner():
    say("joiner runs")


async def scenario():
    global queue
    queue = asyncio.Queue()
    other = asyncio.create_task(joiner())
    await queue.join()
    say("join on a fresh queue returned (before joiner ran)")
    await other

    for i in range(1, 4):
        queue.put_nowait(i)
    task = asyncio.create_task(worker())
    await queue.join()
    say("join returned")
    try:
        queue.task_done()
        say("one task_done too many: ok")
    except ValueError:
        say("one task_done too many: ValueError")
    await task


run(scenario)
