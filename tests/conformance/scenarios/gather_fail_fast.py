"""gather_fail_fast -- the first failure (in time) reaches the caller at
once, and the other tasks are not cancelled: they run to the end."""
import asyncio
from scenario import say, run


async def job(tenths):
    try:
        await asyncio.sleep(tenths / 10)
    except asyncio.CancelledError:
        say(f"job-{tenths} cancelled")
        raise
    if tenths == 2:
        say(f"job-{tenths} fails")
        raise RuntimeError(f"job-{tenths} failed")
    say(f"job-{tenths} done")
    return tenths


async def scenario():
    tasks = [asyncio.create_task(job(5)), asyncio.create_task(job(2)),
             asyncio.create_task(job(8))]
    try:
        await asyncio.gather(*tasks)
        say("gather raised: nothing")
    except RuntimeError as e:
        say(f"gather raised: {e}")
    await asyncio.sleep(1.0)
    say("main ends")


run(scenario)
