"""gather_order -- gather returns results in argument order, whatever the
order the tasks finished in."""
import asyncio
from scenario import say, run, job


async def scenario():
    tasks = [asyncio.create_task(job("a", 3)), asyncio.create_task(job("b", 1)),
             asyncio.create_task(job("c", 2))]
    results = await asyncio.gather(*tasks)
    say(f"results: {', '.join(results)}")


run(scenario)
