"""cond_wait_for -- wait_for(predicate) checks the predicate once before
waiting and again after every notification, with the lock held, and
returns as soon as it is true.

The counter goes up by one at 0.1, 0.2 and 0.3, with a notify_all() each
time; the waiter wants it to reach 3, so the predicate is checked four
times: at 0.0, 0.1, 0.2 and 0.3."""
import asyncio
from scenario import say, run

cond = None
count = 0


def reached_three():
    say(f"predicate checked: count={count}")
    return count >= 3


async def waiter():
    async with cond:
        await cond.wait_for(reached_three)
        say(f"waiter done: count={count}")


async def counter():
    global count
    for _ in range(3):
        await asyncio.sleep(0.1)
        async with cond:
            count += 1
            cond.notify_all()


async def scenario():
    global cond
    cond = asyncio.Condition()
    await asyncio.gather(asyncio.create_task(waiter()), asyncio.create_task(counter()))


run(scenario)
