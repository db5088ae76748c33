"""tie_three_timers -- timers that fall due in the same instant, armed at
different times and by different means (a timeout, a sleep, a wait's
timeout), fire in the order they were armed, each taking the same number
of steps to reach its task.

The three are alone in CPython's timer heap: it orders timers by their
deadline alone, and keeps the arming order of equal deadlines only when
the heap holds them that way (docs/asyncio-deviations.md)."""
import asyncio
from scenario import say, run


async def sleeper(name, tenths):
    await asyncio.sleep(tenths / 10)
    say(f"{name} wakes")


async def in_timeout(name, tenths):
    try:
        async with asyncio.timeout(tenths / 10):
            await asyncio.Event().wait()
    except TimeoutError:
        say(f"{name} timed out")


async def waiter(name, tenths, event):
    task = asyncio.create_task(event.wait())
    await asyncio.wait([task], timeout=tenths / 10)
    say(f"{name} wait returned")
    event.set()


async def scenario():
    event = asyncio.Event()
    asyncio.create_task(in_timeout("a", 3))
    asyncio.create_task(sleeper("b", 3))
    await asyncio.sleep(0.1)
    asyncio.create_task(waiter("c", 2, event))
    await event.wait()
    await asyncio.sleep(0)
    say("main ends")


run(scenario)
