"""timeout_nested_inner_shorter -- when the inner deadline comes first,
only the inner scope times out; the outer block carries on."""
import asyncio
from scenario import say, run


async def scenario():
    try:
        async with asyncio.timeout(1.0):
            try:
                async with asyncio.timeout(0.3):
                    await asyncio.sleep(2.0)
                say("inner: finished in time")
            except TimeoutError:
                say("inner: timed out")
            await asyncio.sleep(0.2)
            say("outer: still running")
        say("outer: finished in time")
    except TimeoutError:
        say("outer: timed out")


run(scenario)
