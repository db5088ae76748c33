"""wait_for_expiry -- wait_for cancels the task when the time is up, waits
for the task's cleanup, and only then raises the timeout."""
import asyncio
from scenario import say, run


async def job():
    try:
        say("job starts")
        await asyncio.sleep(1.0)
        say("job done")
        return "job"
    except asyncio.CancelledError:
        say("job cancelled")
        await asyncio.sleep(0.2)  # cleanup that must wait
        say("job cleanup done")
        raise


async def scenario():
    task = asyncio.create_task(job())
    try:
        await asyncio.wait_for(task, 0.3)
        say("caller: finished in time")
    except TimeoutError:
        say("caller: timed out")
    say(f"job cancelled: {task.cancelled()}")


run(scenario)
