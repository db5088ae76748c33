"""group_outer_cancel -- cancelling the task that runs a task group
cancels every unfinished child; the group then ends cancelled, with no
errors.  (The children do not print when cancelled: asyncio cancels them in
the order of a set, which is not the order they were added.)"""
import asyncio
from scenario import say, run


async def child(name, tenths):
    await asyncio.sleep(tenths / 10)
    say(f"{name} done")
    return name


children = []


async def owner():
    try:
        async with asyncio.TaskGroup() as tg:
            children.append(tg.create_task(child("a", 1)))
            children.append(tg.create_task(child("b", 5)))
            children.append(tg.create_task(child("c", 8)))
        say("owner: group exited")
    except asyncio.CancelledError:
        say("owner: cancelled")
        raise


async def scenario():
    task = asyncio.create_task(owner())
    await asyncio.sleep(0.3)
    say("main cancels the owner")
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        say("main: owner ended cancelled")
    states = ["cancelled" if t.cancelled() else f"{t.result()} done" for t in children]
    say("children: " + ", ".join(states))


run(scenario)
