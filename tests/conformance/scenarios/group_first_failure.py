"""group_first_failure -- the first child to fail cancels the unfinished
siblings and the body; a child that had already finished keeps its
result; the group exits once every child has ended."""
import asyncio
from scenario import say, run


async def child(name, tenths, fails):
    try:
        await asyncio.sleep(tenths / 10)
    except asyncio.CancelledError:
        say(f"{name} cancelled")
        raise
    if fails:
        say(f"{name} fails")
        raise RuntimeError(f"{name} failed")
    say(f"{name} done")
    return name


async def scenario():
    try:
        async with asyncio.TaskGroup() as tg:
            a = tg.create_task(child("a", 2, False))
            tg.create_task(child("b", 3, True))
            c = tg.create_task(child("c", 8, False))
            try:
                await asyncio.sleep(1.0)
                say("body done")
            except asyncio.CancelledError:
                say("body cancelled")
                raise
        say("group exited without errors")
    except* RuntimeError as group:
        say("group errors: [" + ", ".join(str(e) for e in group.exceptions) + "]")
    say(f"a kept its result: {a.result()}")
    say(f"c cancelled: {c.cancelled()}")


run(scenario)
