"""gather_timeout -- a timeout around gather cancels the children that
have not finished; the ones that had finished keep their results.  The
caller gets the timeout once the cancelled children are done."""
import asyncio
from scenario import say, run


async def job(name, tenths):
    try:
        await asyncio.sleep(tenths / 10)
    except asyncio.CancelledError:
        say(f"{name} cancelled")
        raise
    say(f"{name} done")
    return name


async def scenario():
    tasks = [asyncio.create_task(job("a", 2)), asyncio.create_task(job("b", 6)),
             asyncio.create_task(job("c", 9))]
    try:
        async with asyncio.timeout(0.4):
            await asyncio.gather(*tasks)
        say("gather finished in time")
    except TimeoutError:
        say("timed out")
    states = ["cancelled" if t.cancelled() else t.result() for t in tasks]
    say("children: " + ", ".join(states))


run(scenario)
