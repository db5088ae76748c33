"""wait_first_completed -- wait(FIRST_COMPLETED) returns at the first task
to finish, and a failure counts as finishing.  It cancels nothing: the
pending tasks run on."""
import asyncio
from scenario import say, run, job, names


async def scenario():
    tasks = [asyncio.create_task(job("a", 2, True), name="a"),
             asyncio.create_task(job("b", 4, False), name="b"),
             asyncio.create_task(job("c", 6, False), name="c")]
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    say(f"done: {names(done)}; pending: {names(pending)}")
    say(f"a failed: {tasks[0].exception()}")
    await asyncio.wait(pending)
    say(f"cancelled: {names(t for t in tasks if t.cancelled())}")


run(scenario)
