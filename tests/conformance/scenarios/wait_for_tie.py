"""wait_for_tie -- wait_for whose timeout falls due in the same instant the
awaited task finishes.  When the task's own timer was armed first, it has
finished when wait_for looks, and wait_for returns its result.  When
wait_for's timer was armed first (the task had not started yet), wait_for
looks first, finds it running and cancels it: a timeout."""
import asyncio
from scenario import say, run, job


async def wait_for_and_say(task, name):
    try:
        result = await asyncio.wait_for(task, 0.2)
        say(f"wait_for returned {result}")
    except TimeoutError:
        say("wait_for timed out")
    say(f"{name} cancelled: {task.cancelled()}")


async def scenario():
    task = asyncio.create_task(job("a", 3))
    await asyncio.sleep(0.1)
    await wait_for_and_say(task, "a")  # a's timer first
    await wait_for_and_say(asyncio.create_task(job("b", 2)), "b")  # wait_for's first


run(scenario)
