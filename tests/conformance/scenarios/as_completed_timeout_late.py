"""as_completed_timeout_late -- a task that finishes after as_completed's
timeout has passed is not given any more, even if the loop only asks for
it later: the next await raises the timeout.  (Results that arrived before
the deadline are still given first.)"""
import asyncio
from scenario import say, run, job


async def scenario():
    tasks = [asyncio.create_task(job("a", 1)), asyncio.create_task(job("b", 2)),
             asyncio.create_task(job("c", 5))]
    try:
        for next_done in asyncio.as_completed(tasks, timeout=0.3):
            name = await next_done
            say(f"got {name}")
            if name == "a":
                await asyncio.sleep(0.6)  # busy until after c has finished
    except TimeoutError:
        say("as_completed timed out")


run(scenario)
