"""sem_handoff -- release() hands the permit straight to the first waiter.

Three waiters queue on a semaphore with no permits.  Two releases in one
step wake the first two, in order, and the semaphore stays locked: the
permits went to them, not to the count.  A third release wakes the last
waiter; a fourth, with nobody waiting, finally leaves a permit free."""
import asyncio
from scenario import say, run

sem = None


async def waiter(i):
    say(f"waiter-{i} asks")
    await sem.acquire()
    say(f"waiter-{i} acquired: yes")


async def scenario():
    global sem
    sem = asyncio.Semaphore(0)
    tasks = [asyncio.create_task(waiter(i)) for i in range(3)]
    await asyncio.sleep(0.2)
    sem.release()
    sem.release()
    say(f"released twice; locked: {sem.locked()}")
    await asyncio.sleep(0.2)
    sem.release()
    say(f"released once more; locked: {sem.locked()}")
    await asyncio.gather(*tasks)
    await asyncio.sleep(0.2)
    sem.release()
    say(f"released with nobody waiting; locked: {sem.locked()}")


run(scenario)
