"""group_waits_for_all -- leaving a task group's block waits for every
child, including one a child added while the group was already exiting."""
import asyncio
from scenario import say, run, job

tg = None


async def spawner():
    await asyncio.sleep(0.2)
    say("a adds c to the group")
    tg.create_task(job("c", 4))
    return "a"


async def scenario():
    global tg
    async with asyncio.TaskGroup() as tg:
        tg.create_task(spawner())
        tg.create_task(job("b", 3))
        say("body ends, group waits")
    say("group exited")


run(scenario)
