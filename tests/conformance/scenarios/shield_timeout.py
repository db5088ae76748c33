"""shield_timeout -- a timeout around a shielded task gives up waiting at
the deadline, but the task itself is not cancelled and finishes."""
import asyncio
from scenario import say, run


async def work():
    await asyncio.sleep(0.5)
    say("work done")
    return "result"


async def scenario():
    task = asyncio.create_task(work())
    try:
        await asyncio.wait_for(asyncio.shield(task), 0.2)
        say("finished in time")
    except TimeoutError:
        say("timed out waiting")
    say(f"work cancelled: {task.cancelled()}")
    say(f"work's result: {await task}")


run(scenario)
