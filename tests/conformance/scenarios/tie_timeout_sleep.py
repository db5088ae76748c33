"""tie_timeout_sleep -- a timeout and a sleep that fall due in the same
instant fire in the order they were armed, and each takes the same number
of steps to reach its task: the timeout, armed first, is seen first."""
import asyncio
from scenario import say, run


async def sleeper(name, tenths):
    await asyncio.sleep(tenths / 10)
    say(f"{name} wakes")


async def scenario():
    try:
        async with asyncio.timeout(0.3):
            asyncio.create_task(sleeper("s1", 3))
            await asyncio.sleep(0.1)
            asyncio.create_task(sleeper("s2", 2))
            await asyncio.sleep(1)
    except TimeoutError:
        say("main timed out")
    await asyncio.sleep(0.1)


run(scenario)
