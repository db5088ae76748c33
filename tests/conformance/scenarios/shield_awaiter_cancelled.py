"""shield_awaiter_cancelled -- cancelling a task that awaits a shielded
task stops the waiting at once, and leaves the shielded task running."""
import asyncio
from scenario import say, run


async def work():
    await asyncio.sleep(0.5)
    say("work done")
    return "result"


async def waiter(task):
    try:
        await asyncio.shield(task)
        say("waiter: got the result")
    except asyncio.CancelledError:
        say("waiter: cancelled")
        raise


async def scenario():
    task = asyncio.create_task(work())
    waiting = asyncio.create_task(waiter(task))
    await asyncio.sleep(0.2)
    say("main cancels the waiter")
    waiting.cancel()
    try:
        await waiting
    except asyncio.CancelledError:
        pass
    say(f"work still running: {not task.done()}")
    say(f"work's result: {await task}")


run(scenario)
