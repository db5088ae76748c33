"""timeout_zero_spawn_inside -- a timeout scope whose deadline has already
passed when it is entered expires before anything created inside it can
run: a task spawned in the scope and awaited is cancelled before its first
step, and the scope reports the timeout."""
import asyncio
from scenario import say, run


async def job(name):
    say(f"{name} starts")
    await asyncio.sleep(0.2)
    say(f"{name} done")
    return name


async def scenario():
    task = None
    try:
        async with asyncio.timeout(0):
            task = asyncio.create_task(job("a"))
            await task
        say("finished in time")
    except TimeoutError:
        say("timed out")
    say(f"a cancelled: {task.cancelled()}")


run(scenario)
