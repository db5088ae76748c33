"""awaitlab_queue -- asyncio.Queue with shutdown(), on every Python from 3.11.

Queue.shutdown() and QueueShutDown are new in Python 3.13.  There, this
module hands out the real asyncio.Queue and asyncio.QueueShutDown; on 3.11
and 3.12 it brings a small asyncio.Queue subclass that adds shutdown() with
3.13's behaviour, as documented for asyncio.Queue.shutdown and QueueShutDown:

    from awaitlab_queue import Queue, QueueShutDown

Chapter 06's twin and the queue_shutdown conformance scenario use it.
"""

import asyncio
import contextlib

if hasattr(asyncio.Queue, "shutdown"):  # Python 3.13 and later
    Queue, QueueShutDown = asyncio.Queue, asyncio.QueueShutDown
else:
    class QueueShutDown(Exception):
        """asyncio.QueueShutDown (3.13): the queue was shut down."""

    class Queue(asyncio.Queue):
        """asyncio.Queue with 3.13's shutdown(): once it is called, puts
        raise QueueShutDown (blocked ones too), and gets raise it once the
        queue is empty (blocked ones at once).  The waiting code follows
        asyncio.Queue's own put() and get()."""

        _is_shut_down = False

        def shutdown(self, immediate=False):
            self._is_shut_down = True
            if immediate:  # drop what is left, counting it as done
                while not self.empty():
                    self._get()
                    if self._unfinished_tasks > 0:
                        self._unfinished_tasks -= 1
                if self._unfinished_tasks == 0:
                    self._finished.set()
            for waiters in (self._getters, self._putters):  # all re-check
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
