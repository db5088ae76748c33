"""event_set_clear -- set() wakes every task waiting at that moment, even if
clear() follows at once, before any of them runs.  A task that starts to
wait after the clear() waits for the next set()."""
import asyncio
from scenario import say, run

event = None


async def waiter(name):
    say(f"{name} waits")
    await event.wait()
    say(f"{name} woke; is_set: {event.is_set()}")


async def scenario():
    global event
    event = asyncio.Event()
    tasks = [asyncio.create_task(waiter(name)) for name in ("a", "b", "c")]
    await asyncio.sleep(0.2)
    event.set()
    event.clear()
    say("set and cleared")
    tasks.append(asyncio.create_task(waiter("late")))
    await asyncio.sleep(0.2)
    say("set again")
    event.set()
    await asyncio.gather(*tasks)


run(scenario)
