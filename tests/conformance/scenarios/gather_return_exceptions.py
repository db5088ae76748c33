"""gather_return_exceptions -- with return_exceptions=True every outcome
comes back as a value in argument order: a result, an error, and a
cancellation; the gather itself is not cancelled."""
import asyncio
from scenario import say, run, job


def describe(outcome):
    if isinstance(outcome, asyncio.CancelledError):
        return "cancelled"
    if isinstance(outcome, Exception):
        return f"error '{outcome}'"
    return f"'{outcome}'"


async def scenario():
    tasks = [asyncio.create_task(job("a", 3, False)), asyncio.create_task(job("b", 2, True)),
             asyncio.create_task(job("c", 5, False))]
    await asyncio.sleep(0.1)
    tasks[2].cancel()
    outcomes = await asyncio.gather(*tasks, return_exceptions=True)
    say("gather returned: " + ", ".join(describe(o) for o in outcomes))
    say(f"main cancelled: {asyncio.current_task().cancelling() > 0}")


run(scenario)
