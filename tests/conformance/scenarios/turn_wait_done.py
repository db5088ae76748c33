"""turn_wait_done -- asyncio.wait on finished tasks, and asyncio.as_completed
over them, still suspend the caller until their completion callbacks have
run: a ready task takes its steps first."""
import asyncio
from scenario import say, run, job
from shared.ticker import ticker


async def scenario():
    tasks = [asyncio.create_task(job("a", 1))]
    await asyncio.sleep(0.2)
    asyncio.create_task(ticker("w"))
    done, pending = await asyncio.wait(tasks)
    say(f"wait returned {len(done)} done")
    await asyncio.sleep(0.1)
    asyncio.create_task(ticker("c"))
    for next_done in asyncio.as_completed(tasks):
        say(f"as_completed gave {await next_done}")
    await asyncio.sleep(0.1)


run(scenario)
