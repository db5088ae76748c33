"""wait_for_swallowed -- if the task that wait_for cancels at the deadline
catches the cancellation and returns a value anyway, wait_for returns that
value instead of raising the timeout; so does a timeout scope awaiting
such a task (and the scope says it expired)."""
import asyncio
from scenario import say, run


async def job(name):
    try:
        await asyncio.sleep(1.0)
        return "full"
    except asyncio.CancelledError:
        say(f"{name} cancelled, returns a partial result")
        return "partial"


async def scenario():
    task = asyncio.create_task(job("a"))
    try:
        say(f"wait_for returned: {await asyncio.wait_for(task, 0.3)}")
    except TimeoutError:
        say("wait_for: timed out")

    try:
        async with asyncio.timeout(0.3) as scope:
            result = await asyncio.create_task(job("b"))
        say(f"timeout scope returned: {result}, expired: {scope.expired()}")
    except TimeoutError:
        say("timeout scope: timed out")


run(scenario)
