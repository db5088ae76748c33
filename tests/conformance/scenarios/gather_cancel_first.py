"""gather_cancel_first -- cancelling the task that awaits gather cancels
every child, and the awaiter sees CancelledError as soon as the first child
has finished cancelling, not when all have: another child's cleanup may
still be running."""
import asyncio
from scenario import say, run


async def slow_to_stop(name, tenths):
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        await asyncio.sleep(tenths / 10)
        say(f"{name} cleaned up")
        raise


async def gatherer(tasks):
    try:
        await asyncio.gather(*tasks)
    except asyncio.CancelledError:
        say("gatherer: cancelled")
        raise


async def scenario():
    tasks = [asyncio.create_task(slow_to_stop("a", 3)),
             asyncio.create_task(slow_to_stop("b", 1))]
    waiting = asyncio.create_task(gatherer(tasks))
    await asyncio.sleep(0.2)
    say("main cancels the gatherer")
    waiting.cancel()
    try:
        await waiting
    except asyncio.CancelledError:
        say("main: gatherer is cancelled")
    await asyncio.sleep(0.5)
    say(f"a done: {tasks[0].done()}")


run(scenario)
