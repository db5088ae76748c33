"""wait_timeout -- when wait's timeout passes it returns what is done and
what is pending; it raises nothing and cancels nothing: the pending tasks
run on."""
import asyncio
from scenario import say, run


async def job(name, tenths):
    await asyncio.sleep(tenths / 10)
    say(f"{name} done")
    return name


def names(tasks):
    return ", ".join(sorted(t.get_name() for t in tasks)) or "none"


async def scenario():
    tasks = [asyncio.create_task(job("a", 2), name="a"),
             asyncio.create_task(job("b", 5), name="b"),
             asyncio.create_task(job("c", 8), name="c")]
    done, pending = await asyncio.wait(tasks, timeout=0.3)
    say(f"done: {names(done)}; pending: {names(pending)}")
    await asyncio.gather(*pending)
    say(f"cancelled: {names(t for t in tasks if t.cancelled())}")


run(scenario)
