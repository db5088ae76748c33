"""awaitlab_clock -- asyncio on a virtual clock, for the Python twins.

The C runtime has two clocks (runtime/loop.c).  On the virtual one, when no
task is ready and no real work is out, nothing can happen before the next
timer, so the clock jumps straight to it: ten 0.5 s sleeps gathered take
exactly 0.500 s of virtual time and microseconds of real time, on a loaded
machine as on an idle one.  This module gives asyncio the same clock, so
that a twin's log has exact times to compare with the C program's:

    awaitlab_clock.run(main(), virtual=True)

How it hooks into asyncio.  Every turn of the loop (BaseEventLoop._run_once
in Lib/asyncio/base_events.py) computes how long it may wait -- 0 if a
callback is ready, until the next timer if one is scheduled, forever if
neither -- and waits that long in its selector, for I/O.  VirtualClockLoop
keeps its own time and wraps that selector: where the loop would sleep
until the next timer, the wrapper moves the clock there instead (trio's
autojump clock, threshold 0).

The clock counts whole nanoseconds, as the C runtime's does, and timers due
at the same instant fire in the order they were armed.  On the real clock
asyncio never meets such a tie -- time moves on between two call_later()s
-- so arming order is the order real asyncio fires them in too; but its
timer heap compares deadlines alone, and on a virtual clock, where ties are
common, it would fire them in whatever order the heap holds them.

Real work -- a thread of to_thread(), a child process, an HTTP request --
takes real time that the virtual clock cannot skip.  While some is out, the
wrapper waits in the real selector for it, with no deadline, and the
virtual clock stands still: the same rule as the C runtime.  So a timer
never fires "before" a thread that was really still running.  Threads and
children are counted by the loop itself; code that talks on sockets says
so with `with awaitlab_clock.real_work():` (awaitlab_http does).
"""

import asyncio
import concurrent.futures
import contextlib
import heapq


class _JumpingSelector:
    """The loop's real selector, except that a wait for a timer is a jump."""

    def __init__(self, selector, loop):
        self._selector = selector
        self._loop = loop

    def select(self, timeout=None):
        if timeout is None or timeout <= 0:
            # 0: callbacks are ready, just poll.  None: no timer at all, so
            # only real I/O (or another thread) can wake us -- wait for it.
            return self._selector.select(timeout)
        if self._loop.real_work_outstanding():
            # Wait for the real work, however long; virtual time stands still.
            return self._selector.select(None)
        events = self._selector.select(0)  # I/O already there goes first
        if not events:
            self._loop.jump_to_next_timer()  # nothing can happen before it
        return events

    def __getattr__(self, name):
        # register(), unregister(), close()...: the real selector's.
        return getattr(self._selector, name)


class _Timer(asyncio.TimerHandle):
    """A timer ordered by (deadline in ns, order armed): ties go first come,
    first served, as in the C runtime's timer heap."""

    __slots__ = ("_ns", "_seq")

    def __init__(self, ns, seq, callback, args, loop, context):
        super().__init__(ns / 1e9, callback, args, loop, context)
        self._ns = ns
        self._seq = seq

    def __lt__(self, other):
        return (self._ns, self._seq) < (other._ns, other._seq)


def _count_real_work_until_delivered(loop, thread_future):
    """Counts a to_thread() job as real work from its submission until its
    thread has really ended AND its result is on the loop's ready queue.

    A cancelled awaiter does not stop the thread, so the job counts until
    the thread returns.  And the count must not drop before the result is
    queued: were the loop to see no real work and no ready callback in
    between, it would jump the clock to the next timer -- a timeout firing
    "before" a result that was in fact already there.  A concurrent future
    runs its done callbacks in the order they were added, so this one, added
    after asyncio.wrap_future()'s, queues the count's drop behind the result.
    """
    loop._real_work += 1
    thread_future.add_done_callback(
        lambda _: loop.call_soon_threadsafe(loop._real_work_done))


class VirtualClockLoop(asyncio.SelectorEventLoop):
    """An asyncio event loop whose time() starts at 0 and moves only by
    jumps to the next timer, when nothing real is outstanding."""

    def __init__(self):
        super().__init__()
        self._now_ns = 0
        self._timers_armed = 0  # the tie-break between equal deadlines
        self._real_work = 0     # threads and marked sockets still out
        self._children = []     # child processes' transports
        self._selector = _JumpingSelector(self._selector, self)
        self.set_default_executor(
            concurrent.futures.ThreadPoolExecutor(thread_name_prefix="asyncio"))

    # to_thread() and run_in_executor(): asyncio's own, with the count.
    def run_in_executor(self, executor, func, *args):
        self._check_closed()
        thread_future = (executor or self._default_executor).submit(func, *args)
        future = asyncio.wrap_future(thread_future, loop=self)
        _count_real_work_until_delivered(self, thread_future)
        return future

    def time(self):
        return self._now_ns / 1e9

    def jump_to_next_timer(self):
        # _run_once has dropped cancelled timers from the front of the heap.
        self._now_ns = max(self._now_ns, self._scheduled[0]._ns)

    # Every timer of asyncio (sleep, timeout, wait_for...) is armed here.
    def call_later(self, delay, callback, *args, context=None):
        return self._arm(self._now_ns + round(delay * 1e9), callback, args, context)

    def call_at(self, when, callback, *args, context=None):
        return self._arm(round(when * 1e9), callback, args, context)

    def _arm(self, ns, callback, args, context):
        self._check_closed()
        self._timers_armed += 1
        timer = _Timer(ns, self._timers_armed, callback, args, self, context)
        heapq.heappush(self._scheduled, timer)
        timer._scheduled = True
        return timer

    def _real_work_done(self):
        self._real_work -= 1

    def real_work_outstanding(self):
        self._children = [t for t in self._children if t.get_returncode() is None]
        return self._real_work > 0 or bool(self._children)

    # A child process is real work from its start until it exits.
    async def subprocess_exec(self, *args, **kwargs):
        transport, protocol = await super().subprocess_exec(*args, **kwargs)
        self._children.append(transport)
        return transport, protocol

    async def subprocess_shell(self, *args, **kwargs):
        transport, protocol = await super().subprocess_shell(*args, **kwargs)
        self._children.append(transport)
        return transport, protocol


@contextlib.contextmanager
def real_work():
    """Marks real work on sockets (an HTTP request) for the running loop: on
    the virtual clock, time stands still until it is over.  On any other
    loop it does nothing."""
    loop = asyncio.get_running_loop()
    if not isinstance(loop, VirtualClockLoop):
        yield
        return
    loop._real_work += 1
    try:
        yield
    finally:
        loop._real_work -= 1


def run(main, *, virtual, debug=None):
    """asyncio.run(main), on the virtual clock or on asyncio's usual real one."""
    factory = VirtualClockLoop if virtual else None
    with asyncio.Runner(debug=debug, loop_factory=factory) as runner:
        return runner.run(main)
