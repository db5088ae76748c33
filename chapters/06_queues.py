"""Chapter 06 -- queues: producers, consumers and backpressure, in Python asyncio.

A producer makes n items, `produce` seconds each; consumers take them off
a queue and spend `consume` seconds on each.  Five sections:

  backpressure     one producer, one slower consumer, a queue of at most
                   `maxsize` items: when it is full, put() waits, and the
                   producer is held back to the consumer's pace.
  worker_pool      n jobs on a queue, `workers` workers taking them;
                   join() says when every job is done, then the workers,
                   which loop forever, are cancelled.
  sentinel_pitfall the tutorial pattern: the producer ends with a None
                   sentinel, and the consumer calls task_done() for every
                   item but not for the sentinel.  join() never returns;
                   a timeout catches it.
  sentinel_fixed   the same with task_done() for the sentinel too: join()
                   returns.
  shutdown         Python 3.13's way: no sentinel; the producer shuts the
                   queue down, and each worker stops when get() says so.

This is the twin of 06_queues.c: same functions, same sections, same flags.
Queue.shutdown() is new in Python 3.13; on 3.11 and 3.12 this file uses a
small subclass of asyncio.Queue that adds it (awaitlab_queue.py).  Run it
alone:

    python3 chapters/06_queues.py --n 4 --maxsize 1
    python3 chapters/06_queues.py --maxsize 0 --log
"""

import argparse
import asyncio

import awaitlab_log as log
from awaitlab_queue import Queue, QueueShutDown

n = 8
maxsize = 2
workers = 3
produce = 0.1
consume = 0.3
timeout = 1.0

queue = None
section_start = 0.0


def since_start():
    return log.now() - section_start


# ---------------------------------------------------------------------------
# backpressure

items_put = 0         # put() calls that succeeded, sentinel too
blocked_puts = 0      # puts that found the queue full
max_backlog = 0       # most items waiting when the consumer came back for more
producer_done_at = 0.0


async def producer():
    global blocked_puts, items_put, producer_done_at
    with log.task("producer"):
        for i in range(n):
            await asyncio.sleep(produce)       # make the item
            blocked_puts += queue.full()
            await queue.put(i)                 # waits while the queue is full
            items_put += 1
        producer_done_at = since_start()
        await queue.put(None)                  # the sentinel: no more items
        items_put += 1


async def consumer():
    global max_backlog
    with log.task("consumer"):
        while True:
            max_backlog = max(max_backlog, queue.qsize())
            item = await queue.get()
            if item is None:
                return
            await asyncio.sleep(consume)       # process the item


async def backpressure():
    global items_put, blocked_puts, max_backlog
    items_put = blocked_puts = max_backlog = 0
    await asyncio.gather(asyncio.create_task(producer(), name="producer"),
                         asyncio.create_task(consumer(), name="consumer"))
    log.say(f"the producer alone needs {n * produce:.3f} s; "
            f"it put its last item at {producer_done_at:.3f} s")
    log.say(f"{blocked_puts} of its {n} puts waited for room; "
            f"at most {max_backlog} items were waiting")


# ---------------------------------------------------------------------------
# worker_pool

jobs_done = []  # per worker


async def worker(w):
    with log.task(f"worker-{w}"):
        while True:                            # until cancelled
            await queue.get()                  # which job does not matter here
            await asyncio.sleep(consume)
            jobs_done[w] += 1
            queue.task_done()


def say_jobs_per_worker():
    log.say(f"jobs per worker: {', '.join(str(j) for j in jobs_done)}")


async def worker_pool():
    for job in range(n):
        queue.put_nowait(job)
    jobs_done[:] = [0] * workers
    tasks = [asyncio.create_task(worker(w), name=f"worker-{w}") for w in range(workers)]
    await queue.join()                         # every job done
    joined_at = since_start()
    for t in tasks:
        t.cancel()                             # the workers never stop by themselves
    await asyncio.gather(*tasks, return_exceptions=True)
    log.say(f"join() returned at {joined_at:.3f} s, when the last of {n} jobs was done")
    say_jobs_per_worker()


# ---------------------------------------------------------------------------
# sentinel_pitfall and sentinel_fixed

task_dones = 0


async def forgetful_consumer():               # the tutorial version
    global task_dones
    with log.task("consumer"):
        while True:
            item = await queue.get()
            if item is None:
                break                          # no task_done() for the sentinel!
            await asyncio.sleep(consume)
            queue.task_done()
            task_dones += 1


async def careful_consumer():
    global task_dones
    with log.task("consumer"):
        while True:
            item = await queue.get()
            try:
                if item is None:
                    break
                await asyncio.sleep(consume)
            finally:
                queue.task_done()              # for every get(), the sentinel too
                task_dones += 1


async def sentinel(consumer_fn):
    global items_put, blocked_puts, task_dones
    items_put = blocked_puts = task_dones = 0
    prod = asyncio.create_task(producer(), name="producer")
    cons = asyncio.create_task(consumer_fn(), name="consumer")
    await prod
    await cons                                 # every item has been processed
    consumer_done_at = since_start()
    try:
        async with asyncio.timeout(timeout):
            await queue.join()
        timed_out = False
    except TimeoutError:
        timed_out = True                       # without the timeout: forever

    log.say(f"the consumer was done at {consumer_done_at:.3f} s: {items_put} items put "
            f"(the sentinel too), {task_dones} task_done() calls")
    if timed_out:
        log.say("join() was still waiting for the sentinel's task_done() when the "
                f"{timeout:.3f} s timeout ended it")
    else:
        log.say("join() returned at once")


# ---------------------------------------------------------------------------
# shutdown

async def shutting_producer():
    with log.task("producer"):
        for i in range(n):
            await asyncio.sleep(produce)
            await queue.put(i)
        queue.shutdown()                       # no more puts; gets drain the rest


async def stopping_worker(w):
    with log.task(f"worker-{w}"):
        while True:
            try:
                await queue.get()
            except QueueShutDown:              # shut down and empty: stop
                return
            await asyncio.sleep(consume)
            jobs_done[w] += 1
            queue.task_done()


async def shutdown_pool():
    jobs_done[:] = [0] * workers
    tasks = [asyncio.create_task(shutting_producer(), name="producer")]
    tasks += [asyncio.create_task(stopping_worker(w), name=f"worker-{w}")
              for w in range(workers)]
    await asyncio.gather(*tasks)
    await queue.join()                         # returns at once: all were done
    log.say(f"every worker stopped by itself at {since_start():.3f} s, once the queue "
            "was shut down and empty")
    say_jobs_per_worker()


# ---------------------------------------------------------------------------

def begin_section(name, what, size):
    """Opens a section with a fresh queue of `size` (0: unbounded)."""
    global queue, section_start
    log.section(name, what)
    section_start = log.now()
    queue = Queue(size)


async def chapter_main():
    begin_section("backpressure", "a bounded queue holds the producer back", maxsize)
    await backpressure()
    log.section_end()

    begin_section("worker_pool", "workers share the jobs; join() waits for all", 0)
    await worker_pool()
    log.section_end()

    begin_section("sentinel_pitfall",
                  "no task_done() for the sentinel: join() never returns", maxsize)
    await sentinel(forgetful_consumer)
    log.section_end()

    begin_section("sentinel_fixed", "task_done() for every get(): join() returns", maxsize)
    await sentinel(careful_consumer)
    log.section_end()

    begin_section("shutdown", "no sentinel: shut the queue down (Python 3.13)", maxsize)
    await shutdown_pool()
    log.section_end()


def parse_args():
    p = argparse.ArgumentParser(
        description="chapter 06: a bounded queue paces the producer; "
                    "worker pools, join(), and the sentinel pitfall",
        allow_abbrev=False)
    p.add_argument("--n", type=int, default=n,
                   help=f"how many items the producer makes (default {n})")
    p.add_argument("--maxsize", type=int, default=maxsize,
                   help=f"most items the queue holds (0: no limit) (default {maxsize})")
    p.add_argument("--workers", type=int, default=workers,
                   help=f"how many workers share the jobs (default {workers})")
    p.add_argument("--produce", type=float, default=produce,
                   help=f"seconds to make one item (default {produce:g})")
    p.add_argument("--consume", type=float, default=consume,
                   help=f"seconds to process one item (default {consume:g})")
    p.add_argument("--timeout", type=float, default=timeout,
                   help=f"seconds to wait for join() in the pitfall (default {timeout:g})")
    p.add_argument("--seed", type=int, default=1,
                   help="seed for random choices (default 1; unused here)")
    p.add_argument("--log", action="store_true",
                   help="print the normalized event log (conformance)")
    log.add_clock_flag(p)
    args = p.parse_args()
    if not 1 <= args.n <= 100000:
        p.error("--n must be a whole number from 1 to 100000")
    if not 0 <= args.maxsize <= 100000:
        p.error("--maxsize must be a whole number from 0 to 100000")
    if not 1 <= args.workers <= 1000:
        p.error("--workers must be a whole number from 1 to 1000")
    if not 0 <= args.produce <= 3600:
        p.error("--produce must be a number of seconds from 0 to 3600")
    if not 0 <= args.consume <= 3600:
        p.error("--consume must be a number of seconds from 0 to 3600")
    if not 0.001 <= args.timeout <= 3600:
        p.error("--timeout must be a number of seconds from 0.001 to 3600")
    if not 0 <= args.seed < 2**64:
        p.error("--seed must be a whole number of 0 or more")
    return args


if __name__ == "__main__":
    args = parse_args()
    n, maxsize, workers = args.n, args.maxsize, args.workers
    produce, consume, timeout = args.produce, args.consume, args.timeout
    log.begin("06", "Queues: producers, consumers, backpressure",
              {"n": n, "maxsize": maxsize, "workers": workers, "produce": produce,
               "consume": consume, "timeout": timeout}, args.log, args.clock)
    log.run(chapter_main())
    log.finish()
