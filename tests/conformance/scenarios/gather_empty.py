"""gather_empty -- gather of nothing returns an empty result at once,
without even letting other tasks run first."""
import asyncio
from scenario import say, run


async def other():
    say("other task runs")


async def scenario():
    task = asyncio.create_task(other())
    results = await asyncio.gather()
    say(f"gather of nothing: {len(results)} results")
    say(f"other task started yet: {task.done()}")
    await task
    say("main ends")


run(scenario)
