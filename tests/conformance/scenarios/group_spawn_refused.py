"""group_spawn_refused -- once a task group is shutting down (a child
failed), adding a task to it is an error; after the group has exited, it
is an error too, for another reason."""
import asyncio
from scenario import say, run, job


def try_spawn(tg, name):
    coro = job(name, 1, False)
    try:
        tg.create_task(coro)
        say(f"{name} spawned")
    except RuntimeError as e:
        coro.close()
        reason = "shutting down" if "is shutting down" in str(e) else \
                 "finished" if "is finished" in str(e) else str(e)
        say(f"spawn of {name} refused: {reason}")


async def scenario():
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(job("a", 2, True))
            try:
                await asyncio.sleep(1.0)
            except asyncio.CancelledError:
                say("body cancelled")
                try_spawn(tg, "late")
                raise
    except* RuntimeError as group:
        say("group errors: [" + ", ".join(str(e) for e in group.exceptions) + "]")
    try_spawn(tg, "after")


run(scenario)
