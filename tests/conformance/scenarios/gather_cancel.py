"""gather_cancel -- cancelling the task that awaits a gather cancels every
unfinished child, waits for their cleanup, and the awaiter sees the
cancellation even with return_exceptions=True.  A child that had already
finished keeps its result."""
import asyncio
from scenario import say, run, job, say_children


async def gatherer(tasks):
    try:
        await asyncio.gather(*tasks, return_exceptions=True)
        say("gatherer: gather returned")
    except asyncio.CancelledError:
        say("gatherer: cancelled")
        raise


async def scenario():
    tasks = [asyncio.create_task(job("a", 2)), asyncio.create_task(job("b", 6)),
             asyncio.create_task(job("c", 8))]
    waiting = asyncio.create_task(gatherer(tasks))
    await asyncio.sleep(0.4)
    say("main cancels the gatherer")
    waiting.cancel()
    try:
        await waiting
    except asyncio.CancelledError:
        pass
    say_children(tasks)


run(scenario)
