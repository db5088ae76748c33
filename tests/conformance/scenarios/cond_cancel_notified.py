"""cond_cancel_notified -- a waiter notified by notify(1) and cancelled
before it runs passes the notification on to the next waiter, so the
notify() is not lost.

This is CPython 3.13's behaviour (gh-112202).  CPython 3.11 and 3.12 drop
the notification: there `second` below would wait forever.  awaitlab
follows 3.13 on purpose (docs/asyncio-deviations.md), so on 3.11 and 3.12
this side uses a Condition whose wait() is 3.13's: after retaking the lock
it notifies another waiter if it is leaving with an exception.  On 3.13 and
later it is asyncio.Condition itself.

first and second wait.  At 0.2 main, holding the lock, notifies one waiter
(first) and cancels it in the same step, then releases the lock."""
import asyncio
import sys
from scenario import say, run

if sys.version_info >= (3, 13):
    Condition = asyncio.Condition
else:
    class Condition(asyncio.Condition):
        """asyncio.Condition with 3.13's wait() (gh-112202)."""

        async def wait(self):
            try:
                return await super().wait()
            except BaseException:
                self.notify(1)  # pass on a notification we may have had
                raise

cond = None


async def waiter(name):
    async with cond:
        try:
            await cond.wait()
        except asyncio.CancelledError:
            say(f"{name} cancelled")
            raise
        say(f"{name} notified")


async def scenario():
    global cond
    cond = Condition()
    first = asyncio.create_task(waiter("first"))
    second = asyncio.create_task(waiter("second"))
    await asyncio.sleep(0.2)
    async with cond:
        cond.notify(1)
        first.cancel()
        say("main notified one waiter and cancelled first")
    await asyncio.gather(first, second, return_exceptions=True)
    say("both ended")


run(scenario)
