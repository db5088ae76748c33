"""gather_timeout -- a timeout around gather cancels the children that
have not finished; the ones that had finished keep their results.  The
caller gets the timeout once the cancelled children are done."""
import asyncio
from scenario import say, run, job, say_children


async def scenario():
    tasks = [asyncio.create_task(job("a", 2)), asyncio.create_task(job("b", 6)),
             asyncio.create_task(job("c", 9))]
    try:
        async with asyncio.timeout(0.4):
            await asyncio.gather(*tasks)
        say("gather finished in time")
    except TimeoutError:
        say("timed out")
    say_children(tasks)


run(scenario)
