"""group_body_fails -- when the body of a task group fails while children
are still running, the children are cancelled, the group waits for them,
and the body's error is reported by the group."""
import asyncio
from scenario import say, run, job


async def scenario():
    try:
        async with asyncio.TaskGroup() as tg:
            a = tg.create_task(job("a", 1))
            b = tg.create_task(job("b", 8))
            await asyncio.sleep(0.3)
            say("body fails")
            raise RuntimeError("body failed")
    except* RuntimeError as group:
        say("group errors: [" + ", ".join(str(e) for e in group.exceptions) + "]")
    say(f"a: {a.result()}; b cancelled: {b.cancelled()}")


run(scenario)
