"""timeout_reschedule -- a timeout's deadline can be moved while the scope
runs: later, or away entirely (None)."""
import asyncio
from scenario import say, run


async def scenario():
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(0.3) as scope:
            await asyncio.sleep(0.2)
            say("deadline moved to 0.4 s from now")
            scope.reschedule(loop.time() + 0.4)
            await asyncio.sleep(1.0)
        say("first scope: finished in time")
    except TimeoutError:
        say(f"first scope: timed out, expired: {scope.expired()}")

    try:
        async with asyncio.timeout(0.2) as scope:
            scope.reschedule(None)
            say("deadline removed")
            await asyncio.sleep(0.4)
        say(f"second scope: finished in time, expired: {scope.expired()}")
    except TimeoutError:
        say("second scope: timed out")


run(scenario)
