"""queue_nowait_errors -- put_nowait() on a full queue fails with QueueFull
and get_nowait() on an empty one with QueueEmpty; neither waits, and a
failed call changes nothing."""
import asyncio
from scenario import say, run


def outcome(call, *args):
    try:
        call(*args)
        return "ok"
    except (asyncio.QueueFull, asyncio.QueueEmpty) as e:
        return type(e).__name__


async def scenario():
    queue = asyncio.Queue(1)
    say(f"get_nowait on empty: {outcome(queue.get_nowait)}")
    say(f"put_nowait 1: {outcome(queue.put_nowait, 1)}")
    say(f"put_nowait 2: {outcome(queue.put_nowait, 2)}; size {queue.qsize()}")
    item = queue.get_nowait()
    say(f"get_nowait: ok, item {item}")
    say(f"get_nowait again: {outcome(queue.get_nowait)}")


run(scenario)
