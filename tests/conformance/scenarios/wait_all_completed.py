"""wait_all_completed -- wait(ALL_COMPLETED) returns once every task has
finished, failures included, and raises nothing: the errors stay in the
tasks."""
import asyncio
from scenario import say, run, job, names


async def scenario():
    tasks = [asyncio.create_task(job("a", 4, False), name="a"),
             asyncio.create_task(job("b", 2, True), name="b"),
             asyncio.create_task(job("c", 3, False), name="c")]
    done, pending = await asyncio.wait(tasks)
    say(f"done: {names(done)}; pending: {names(pending)}")
    results = [t.get_name() + (f" failed: {t.exception()}" if t.exception() else " ok")
               for t in tasks]
    say("outcomes: " + "; ".join(results))


run(scenario)
