"""wait_first_exception -- wait(FIRST_EXCEPTION) returns at the first
failure; when nothing fails it waits for every task, like ALL_COMPLETED."""
import asyncio
from scenario import say, run, job, names


async def scenario():
    tasks = [asyncio.create_task(job("a", 2, False), name="a"),
             asyncio.create_task(job("b", 4, True), name="b"),
             asyncio.create_task(job("c", 7, False), name="c")]
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    say(f"done: {names(done)}; pending: {names(pending)}")
    tasks[1].exception()

    more = [asyncio.create_task(job("d", 1, False), name="d"),
            asyncio.create_task(job("e", 5, False), name="e")]
    done, pending = await asyncio.wait(more, return_when=asyncio.FIRST_EXCEPTION)
    say(f"done: {names(done)}; pending: {names(pending)}")


run(scenario)
