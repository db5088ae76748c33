"""queue_shutdown -- Queue.shutdown(), new in Python 3.13.

shutdown(): every put fails with QueueShutDown from then on, one that was
blocked on the full queue too; gets still take the items left, and fail
once the queue is empty; a get blocked on the empty queue fails at once.

shutdown(immediate=True): the items left are dropped and counted as done,
so join() returns as soon as the items already taken are done; gets fail
at once.

Python 3.11 and 3.12 have no Queue.shutdown.  Rather than skip the
scenario there, this file brings a small asyncio.Queue subclass that adds
it with 3.13's behaviour, as documented for asyncio.Queue.shutdown and
QueueShutDown; on 3.13 and later the real asyncio.Queue is used, so the
scenario then checks the runtime against CPython itself.
"""
import asyncio
import contextlib
from scenario import say, run

if hasattr(asyncio.Queue, "shutdown"):
    Queue, QueueShutDown = asyncio.Queue, asyncio.QueueShutDown
else:
    class QueueShutDown(Exception):
        """asyncio.QueueShutDown (3.13): the queue was shut down."""

    class Queue(asyncio.Queue):
        """asyncio.Queue plus 3.13's shutdown(), for Python 3.11 and 3.12."""

        _is_shut_down = False

        def shutdown(self, immediate=False):
            self._is_shut_down = True
            if immediate:
                while not self.empty():  # drop what is left, counting it done
                    self._get()
                    if self._unfinished_tasks > 0:
                        self._unfinished_tasks -= 1
                if self._unfinished_tasks == 0:
                    self._finished.set()
            for waiters in (self._getters, self._putters):  # wake all to re-check
                while waiters:
                    waiter = waiters.popleft()
                    if not waiter.done():
                        waiter.set_result(None)

        async def _wait_in(self, waiters, still_blocked):
            """One wait for a wake-up, as asyncio.Queue's put() and get() do."""
            waiter = self._get_loop().create_future()
            waiters.append(waiter)
            try:
                await waiter
            except BaseException:
                waiter.cancel()
                with contextlib.suppress(ValueError):
                    waiters.remove(waiter)
                if not still_blocked() and not waiter.cancelled():
                    self._wakeup_next(waiters)  # pass our wake-up on
                raise

        async def put(self, item):
            while self.full():
                if self._is_shut_down:
                    raise QueueShutDown
                await self._wait_in(self._putters, self.full)
            return self.put_nowait(item)

        def put_nowait(self, item):
            if self._is_shut_down:
                raise QueueShutDown
            return super().put_nowait(item)

        async def get(self):
            while self.empty():
                if self._is_shut_down:
                    raise QueueShutDown
                await self._wait_in(self._getters, self.empty)
            return self.get_nowait()

        def get_nowait(self):
            if self.empty() and self._is_shut_down:
                raise QueueShutDown
            return super().get_nowait()


async def outcome(awaitable):
    try:
        await awaitable
        return "ok"
    except QueueShutDown:
        return "QueueShutDown"


async def putter(queue):
    say("putter puts c on the full queue")
    say(f"putter: put c: {await outcome(queue.put('c'))}")


async def drainer(queue):
    """Takes items every 0.1 s until the queue says it is shut down."""
    while True:
        try:
            item = await queue.get()
        except QueueShutDown:
            say("drainer: get: QueueShutDown")
            return
        say(f"drainer got {item}")
        await asyncio.sleep(0.1)


async def worker(queue):
    """Works 0.2 s on one item, then asks for another."""
    item = await queue.get()
    say(f"worker got {item}")
    await asyncio.sleep(0.2)
    queue.task_done()
    say(f"worker done with {item}; get: {await outcome(queue.get())}")


async def joiner(queue):
    await queue.join()
    say("join returned: ok")


async def getter(queue):
    say("getter waits on the empty queue")
    say(f"getter: get: {await outcome(queue.get())}")


async def scenario():
    queue = Queue(2)
    queue.put_nowait("a")
    queue.put_nowait("b")
    tasks = [asyncio.create_task(putter(queue))]
    await asyncio.sleep(0.2)
    say("shutdown()")
    queue.shutdown()
    try:
        queue.put_nowait("d")
        say("put_nowait d: ok")
    except QueueShutDown:
        say("put_nowait d: QueueShutDown")
    await asyncio.sleep(0.2)
    tasks.append(asyncio.create_task(drainer(queue)))
    await asyncio.gather(*tasks)

    await asyncio.sleep(0.2)
    queue = Queue(0)
    for i in range(1, 4):
        queue.put_nowait(i)
    tasks = [asyncio.create_task(worker(queue)), asyncio.create_task(joiner(queue))]
    await asyncio.sleep(0.1)
    say(f"shutdown(immediate=True) with {queue.qsize()} items left")
    queue.shutdown(immediate=True)
    try:
        queue.get_nowait()
        got = "ok"
    except QueueShutDown:
        got = "QueueShutDown"
    say(f"size {queue.qsize()}; get_nowait: {got}")
    await asyncio.gather(*tasks)

    await asyncio.sleep(0.2)
    queue = Queue(0)
    task = asyncio.create_task(getter(queue))
    await asyncio.sleep(0.2)
    say("shutdown()")
    queue.shutdown()
    await task


run(scenario)
