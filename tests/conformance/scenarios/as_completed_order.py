"""as_completed_order -- as_completed gives the tasks in the order they
finish, not the order they were passed; a failure comes out in its turn."""
import asyncio
from scenario import say, run


async def job(name, tenths, fails):
    await asyncio.sleep(tenths / 10)
    if fails:
        raise RuntimeError(f"{name} failed")
    return name


async def scenario():
    tasks = [asyncio.create_task(job("a", 5, False)),
             asyncio.create_task(job("b", 2, True)),
             asyncio.create_task(job("c", 3, False))]
    for next_done in asyncio.as_completed(tasks):
        try:
            say(f"got {await next_done}")
        except RuntimeError as e:
            say(f"got error: {e}")
    say("all given")


run(scenario)
