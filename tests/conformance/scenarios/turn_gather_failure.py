"""turn_gather_failure -- a child's failure reaches the task awaiting gather
one turn after the child ends (gather's callback runs first, then the
awaiter), so a sibling that was ready takes its step before it."""
import asyncio
from scenario import say, run, job
from shared.ticker import tick_four_turns


async def ticker_later():
    await asyncio.sleep(0.2)
    await tick_four_turns()


async def scenario():
    tasks = [asyncio.create_task(job("a", 2, True)), asyncio.create_task(ticker_later())]
    try:
        await asyncio.gather(*tasks)
    except RuntimeError as e:
        say(f"gather raised: {e}")
    await asyncio.sleep(0.1)


run(scenario)
