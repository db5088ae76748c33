"""group_first_failure -- the first child to fail cancels the unfinished
siblings and the body; a child that had already finished keeps its
result; the group exits once every child has ended."""
import asyncio
from scenario import say, run, job


async def scenario():
    try:
        async with asyncio.TaskGroup() as tg:
            a = tg.create_task(job("a", 2, False))
            tg.create_task(job("b", 3, True))
            c = tg.create_task(job("c", 8, False))
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
