"""ticker -- a task that takes four steps in a row, saying "tick N" (or
"NAME tick N") at each, to show how many turns of the loop pass between two
other events.  The C side is ../ticker.h.

It lives in shared/, not beside the scenarios, because every NAME.py there
is a scenario of its own."""
import asyncio
from scenario import say


async def tick_four_turns(name=None):
    """Four ticks, one turn of the loop apart."""
    for i in range(4):
        say(f"{name} tick {i}" if name else f"tick {i}")
        await asyncio.sleep(0)


async def ticker(name=None):
    """A task body that only ticks."""
    await tick_four_turns(name)
