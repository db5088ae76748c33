"""race_timeout_handoff -- a waiter's timeout falls due in the same instant
another task hands over what it waits for: a lock, a permit, an event, a
notification, a queue item.  The timeout was armed first, so the waiter is
cancelled before the hand-over, and the hand-over goes to the next in line:
nothing is stranded with a task that has left.

Each race happens at its own instant, counted from the start (timeout_at),
so that the real clock's lateness cannot add up from one race to the
next."""
import asyncio
from scenario import say, run


async def first_in_line(name, wait, at):
    try:
        async with asyncio.timeout_at(at):
            await wait()
        say(f"{name}: first got it")
    except TimeoutError:
        say(f"{name}: first timed out")


async def second_in_line(name, wait):
    await wait()
    say(f"{name}: second got it")


async def race(name, wait, hand_over, tenths):
    loop = asyncio.get_running_loop()
    at = start + tenths / 10
    first = asyncio.create_task(first_in_line(name, wait, at))
    second = asyncio.create_task(second_in_line(name, wait))
    await asyncio.sleep(0)  # both are in line before the holder sleeps
    await asyncio.sleep(at - loop.time())
    await hand_over()
    await asyncio.gather(first, second)


start = 0.0
lock, sem, event, cond, queue = (None,) * 5


async def lock_release():
    lock.release()


async def sem_release():
    sem.release()


async def event_set():
    event.set()


async def cond_wait():
    async with cond:
        await cond.wait()


async def cond_notify_one():
    async with cond:
        cond.notify(1)


async def queue_put():
    queue.put_nowait(1)


async def scenario():
    global start, lock, sem, event, cond, queue
    start = asyncio.get_running_loop().time()
    lock, sem, event = asyncio.Lock(), asyncio.Semaphore(0), asyncio.Event()
    cond, queue = asyncio.Condition(), asyncio.Queue()
    await lock.acquire()
    await race("lock", lock.acquire, lock_release, 2)
    await race("semaphore", sem.acquire, sem_release, 4)
    await race("event", event.wait, event_set, 6)
    await race("condition", cond_wait, cond_notify_one, 8)
    await race("queue", queue.get, queue_put, 10)


run(scenario)
