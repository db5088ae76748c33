"""lock_release_unlocked -- releasing a lock that nobody holds is an error
(asyncio: RuntimeError), both on a fresh lock and on one already
released.  The lock stays usable afterwards."""
import asyncio
from scenario import say, run


def outcome(call):
    try:
        call()
        return "ok"
    except RuntimeError:
        return "RuntimeError"


async def scenario():
    lock = asyncio.Lock()
    say(f"release a fresh lock: {outcome(lock.release)}")
    await lock.acquire()
    say(f"acquired; locked: {lock.locked()}")
    say(f"release: {outcome(lock.release)}")
    say(f"release again: {outcome(lock.release)}")
    await lock.acquire()
    say(f"acquired again; locked: {lock.locked()}")
    lock.release()


run(scenario)
