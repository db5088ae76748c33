"""group_body_tie -- a child fails in the same instant the body's own
await completes: the group hears of the failure through a callback, so the
body runs that step first; its own error is reported after the child's."""
import asyncio
from scenario import say, run


async def fails_on(event):
    await event.wait()
    say("a fails")
    raise RuntimeError("a failed")


async def setter(event):
    await asyncio.sleep(0.2)
    say("setter sets the event")
    event.set()


async def scenario():
    event = asyncio.Event()
    asyncio.create_task(setter(event))
    try:
        async with asyncio.TaskGroup() as group:
            group.create_task(fails_on(event))
            await asyncio.sleep(0.1)
            await event.wait()
            say("body runs its step")
            raise RuntimeError("body failed")
    except* RuntimeError as eg:
        say("group errors: [" + ", ".join(str(e) for e in eg.exceptions) + "]")


run(scenario)
