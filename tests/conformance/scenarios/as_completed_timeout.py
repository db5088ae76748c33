"""as_completed_timeout -- as_completed's timeout covers the whole
iteration: once it has passed, the next await raises the timeout.  It
cancels nothing: the tasks not yet given run on."""
import asyncio
from scenario import say, run, job


async def scenario():
    tasks = [asyncio.create_task(job("a", 2)), asyncio.create_task(job("b", 3)),
             asyncio.create_task(job("c", 6)), asyncio.create_task(job("d", 9))]
    try:
        for next_done in asyncio.as_completed(tasks, timeout=0.4):
            say(f"got {await next_done}")
    except TimeoutError:
        say("as_completed timed out")
    results = await asyncio.gather(*tasks)
    say(f"all finished, none cancelled: {', '.join(results)}")


run(scenario)
