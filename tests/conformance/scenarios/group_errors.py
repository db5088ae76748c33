"""group_errors -- a task group reports every error, in the order they
happened: including an error a child raises while it is being cancelled,
with the body's own error last.  A child that simply ends cancelled adds
no error.

Only one child prints while being cancelled: asyncio cancels the children
of a group in the order of a set, which is not the order they were added.
"""
import asyncio
from scenario import say, run


async def fails_soon():
    await asyncio.sleep(0.2)
    say("a fails")
    raise RuntimeError("a failed")


async def fails_in_cleanup():
    try:
        await asyncio.sleep(1.0)
    except asyncio.CancelledError:
        say("b cancelled, cleaning up")
        await asyncio.sleep(0.2)
        say("b fails in its cleanup")
        raise RuntimeError("b failed while cancelling")


async def quietly_cancelled():
    await asyncio.sleep(1.0)  # cancelled, and says nothing: see the note above


async def scenario():
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(fails_soon())
            tg.create_task(fails_in_cleanup())
            c = tg.create_task(quietly_cancelled())
            try:
                await asyncio.sleep(1.0)
            except asyncio.CancelledError:
                say("body cancelled, fails too")
                raise RuntimeError("body failed")
    except* RuntimeError as group:
        say("group errors: [" + ", ".join(str(e) for e in group.exceptions) + "]")
    say(f"c cancelled: {c.cancelled()}")


run(scenario)
