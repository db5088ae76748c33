"""clock_waits_for_real_work -- on the virtual clock, time stands still
while real work is out: a blocking call on a thread, then a child process,
each 0.3 s of real time.  A ticker due every 0.1 s does not tick during
either; each is done at the instant it began, and what comes after keeps
its exact times.  (On the real clock the ticker would tick during both.)"""
import asyncio
import contextlib
import time
from scenario import say, run


async def ticker():
    while True:
        await asyncio.sleep(0.1)
        say("tick")


async def scenario():
    ticking = asyncio.create_task(ticker())
    await asyncio.sleep(0.05)
    say("a blocking call goes to a thread")
    await asyncio.to_thread(time.sleep, 0.3)
    say("the thread is done")
    await asyncio.sleep(0.1)
    say("a child process starts")
    child = await asyncio.create_subprocess_exec("sleep", "0.3",
                                                 stdout=asyncio.subprocess.PIPE)
    await child.communicate()
    say(f"the child is done: returncode {child.returncode}")
    await asyncio.sleep(0.2)
    ticking.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await ticking
    say("main ends")


run(scenario)
