"""event_wait_set -- wait() on an event that is already set returns at once,
without suspending: no other task runs in between.

first and second start in the same step.  first waits on the set event
and carries on before second gets its turn; had wait() suspended, second
would have spoken first.  Only after a clear() does wait() suspend."""
import asyncio
from scenario import say, run

event = None


async def first():
    say("first waits on the set event")
    await event.wait()
    say("first is past wait()")
    event.clear()
    say("first cleared it and waits again")
    await event.wait()
    say("first is past wait() again")


async def second():
    say("second runs")
    await asyncio.sleep(0.2)
    event.set()
    say("second set the event")


async def scenario():
    global event
    event = asyncio.Event()
    event.set()
    await asyncio.gather(asyncio.create_task(first()), asyncio.create_task(second()))


run(scenario)
