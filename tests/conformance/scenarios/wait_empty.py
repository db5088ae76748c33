"""wait_empty -- wait() of no tasks at all is an error (asyncio: ValueError),
while gather() and as_completed() of nothing simply end at once."""
import asyncio
from scenario import say, run


async def scenario():
    try:
        await asyncio.wait([])
        say("wait of nothing: returned")
    except ValueError:
        say("wait of nothing: invalid argument")
    say(f"gather of nothing: {len(await asyncio.gather())} results")
    say(f"as_completed of nothing: {len(list(asyncio.as_completed([])))} results")


run(scenario)
