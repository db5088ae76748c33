"""gather_child_cancelled -- without return_exceptions, a child that is
cancelled (by someone else) fails the gather like an error: the awaiter
gets a cancellation although nobody cancelled it, and the siblings keep
running."""
import asyncio
from scenario import say, run, job


async def canceller(victim):
    await asyncio.sleep(0.2)
    say("canceller cancels b")
    victim.cancel()


async def scenario():
    tasks = [asyncio.create_task(job("a", 5)), asyncio.create_task(job("b", 8))]
    helper = asyncio.create_task(canceller(tasks[1]))
    try:
        await asyncio.gather(*tasks)
        say("gather raised: nothing")
    except asyncio.CancelledError:
        say("gather raised: cancelled")
    say(f"main cancelled: {asyncio.current_task().cancelling() > 0}")
    await tasks[0]
    await helper
    say("main ends")


run(scenario)
