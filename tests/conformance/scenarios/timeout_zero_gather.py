"""timeout_zero_gather -- a deadline that has already passed when a gather
begins: the tasks that were ready before it run their first step, then
the deadline cancels them.  (asyncio runs what was ready before the timer
that became due.)"""
import asyncio
from scenario import say, run


async def job(name, tenths):
    say(f"{name} starts")
    try:
        await asyncio.sleep(tenths / 10)
    except asyncio.CancelledError:
        say(f"{name} cancelled")
        raise
    say(f"{name} done")
    return name


async def scenario():
    tasks = [asyncio.create_task(job("a", 2)), asyncio.create_task(job("b", 3))]
    try:
        async with asyncio.timeout(0):
            await asyncio.gather(*tasks)
        say("gather finished in time")
    except TimeoutError:
        say("timed out")
    say("a: " + ("cancelled" if tasks[0].cancelled() else "done") +
        "; b: " + ("cancelled" if tasks[1].cancelled() else "done"))


run(scenario)
