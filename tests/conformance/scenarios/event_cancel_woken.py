"""event_cancel_woken -- set() wakes every waiter; a waiter cancelled after
the set() but before it runs sees the cancellation, not the event, and the
other waiter is not affected.

first and second wait.  At 0.2 main sets the event and cancels first in
the same step."""
import asyncio
from scenario import say, run

event = None


async def waiter(name):
    try:
        await event.wait()
    except asyncio.CancelledError:
        say(f"{name} cancelled")
        raise
    say(f"{name} saw the event")


async def scenario():
    global event
    event = asyncio.Event()
    first = asyncio.create_task(waiter("first"))
    second = asyncio.create_task(waiter("second"))
    await asyncio.sleep(0.2)
    event.set()
    first.cancel()
    say("main set the event and cancelled first")
    await asyncio.gather(first, second, return_exceptions=True)
    say(f"first cancelled: {first.cancelled()}; second cancelled: {second.cancelled()}")


run(scenario)
