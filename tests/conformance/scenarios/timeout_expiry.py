"""timeout_expiry -- when a timeout scope expires, the work inside sees a
cancellation; its cleanup may still await; the caller gets the timeout
only after the cleanup has finished."""
import asyncio
from scenario import say, run


async def scenario():
    try:
        async with asyncio.timeout(0.3):
            try:
                say("work starts")
                await asyncio.sleep(1.0)
                say("work done")
            except asyncio.CancelledError:
                say("work cancelled")
                await asyncio.sleep(0.2)  # cleanup that must wait
                say("cleanup done")
                raise
        say("caller: finished in time")
    except TimeoutError:
        say("caller: timed out")


run(scenario)
