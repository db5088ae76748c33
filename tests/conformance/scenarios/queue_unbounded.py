"""queue_unbounded -- a queue whose maxsize is 0 or negative has no limit:
put_nowait() never fails and full() is never true."""
import asyncio
from scenario import say, run


def fill(maxsize):
    queue = asyncio.Queue(maxsize)
    failures = 0
    for i in range(1000):
        try:
            queue.put_nowait(i)
        except asyncio.QueueFull:
            failures += 1
    first = queue.get_nowait()
    say(f"maxsize {maxsize}: 1000 put_nowait, {failures} failed; size {queue.qsize()} "
        f"after one get (it was {first}); full: {queue.full()}")


async def scenario():
    fill(0)
    fill(-1)


run(scenario)
