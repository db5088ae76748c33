"""wait_for_finished -- wait_for on a task that has already finished gives
its outcome at once, even with a timeout of 0: its result, or its error."""
import asyncio
from scenario import say, run


async def job(name, fails):
    await asyncio.sleep(0.1)
    say(f"{name} finishes")
    if fails:
        raise RuntimeError(f"{name} failed")
    return name


async def scenario():
    good = asyncio.create_task(job("a", False))
    bad = asyncio.create_task(job("b", True))
    await asyncio.sleep(0.2)
    say(f"wait_for(a, 0): {await asyncio.wait_for(good, 0)}")
    say(f"wait_for(a, 1.0): {await asyncio.wait_for(good, 1.0)}")
    try:
        await asyncio.wait_for(bad, 0)
    except RuntimeError as e:
        say(f"wait_for(b, 0) raised: {e}")


run(scenario)
