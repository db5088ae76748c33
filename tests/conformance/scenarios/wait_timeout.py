"""wait_timeout -- when wait's timeout passes it returns what is done and
what is pending; it raises nothing and cancels nothing: the pending tasks
run on."""
import asyncio
from scenario import say, run, job, names


async def scenario():
    tasks = [asyncio.create_task(job("a", 2), name="a"),
             asyncio.create_task(job("b", 5), name="b"),
             asyncio.create_task(job("c", 8), name="c")]
    done, pending = await asyncio.wait(tasks, timeout=0.3)
    say(f"done: {names(done)}; pending: {names(pending)}")
    await asyncio.gather(*pending)
    say(f"cancelled: {names(t for t in tasks if t.cancelled())}")


run(scenario)
