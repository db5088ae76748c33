"""wait_for_zero -- wait_for with a timeout of 0 or less times out at once
and never lets a task that has not started run at all."""
import asyncio
from scenario import say, run


async def job(name):
    say(f"{name} starts")
    await asyncio.sleep(0.1)
    return name


async def scenario():
    for name, timeout in (("a", 0), ("b", -1)):
        task = asyncio.create_task(job(name))
        try:
            await asyncio.wait_for(task, timeout)
            say(f"wait_for({timeout}): returned")
        except TimeoutError:
            say(f"wait_for({timeout}): timed out")
        say(f"{name} cancelled: {task.cancelled()}")
    await asyncio.sleep(0.2)
    say("main ends")


run(scenario)
