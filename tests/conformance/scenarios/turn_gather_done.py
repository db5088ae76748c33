"""turn_gather_done -- awaiting a gather whose tasks have all finished still
goes through the loop: the children's completions are delivered as
callbacks, and the awaiter resumes one turn after the last of them, so a
task that was ready keeps its steps in between."""
import asyncio
from scenario import say, run, job
from shared.ticker import ticker


async def scenario():
    tasks = [asyncio.create_task(job("a", 1)), asyncio.create_task(job("b", 2))]
    await asyncio.sleep(0.3)
    asyncio.create_task(ticker())
    results = await asyncio.gather(*tasks)
    say("gather returned " + ", ".join(results))
    await asyncio.sleep(0.1)


run(scenario)
