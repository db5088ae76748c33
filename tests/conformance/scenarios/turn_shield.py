"""turn_shield -- awaiting shield(task) hears of the task's end through a
done callback, and resumes the turn after it: a task that was ready in the
instant the shielded task finished takes two steps first (a plain
`await task` would take one)."""
import asyncio
from scenario import say, run, job
from shared.ticker import tick_four_turns


async def ticker_later():
    await asyncio.sleep(0.1)
    await tick_four_turns()


async def scenario():
    task = asyncio.create_task(job("a", 1))
    asyncio.create_task(ticker_later())
    result = await asyncio.shield(task)
    say(f"shield returned {result}")
    await asyncio.sleep(0.1)


run(scenario)
