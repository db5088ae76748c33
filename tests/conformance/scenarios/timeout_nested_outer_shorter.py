"""timeout_nested_outer_shorter -- when the outer deadline comes first,
the inner scope sees a plain cancellation (not its own timeout), and only
the outer scope reports the timeout."""
import asyncio
from scenario import say, run


async def scenario():
    try:
        async with asyncio.timeout(0.3):
            try:
                async with asyncio.timeout(1.0):
                    await asyncio.sleep(2.0)
                say("inner: finished in time")
            except TimeoutError:
                say("inner: timed out")
            except asyncio.CancelledError:
                say("inner: cancelled")
                raise
            say("outer: still running")
        say("outer: finished in time")
    except TimeoutError:
        say("outer: timed out")


run(scenario)
