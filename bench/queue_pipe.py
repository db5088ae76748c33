"""queue_pipe -- CPython twin of bench/queue_pipe.c.

One producer puts n integers (default 1000000) into a Queue(maxsize=100);
one consumer gets them and adds them up.  The bound makes the two take
turns: the producer waits whenever the queue is full, the consumer
whenever it is empty.
usage: python3 queue_pipe.py [count]
"""
import asyncio
import sys

import peer_loop

MAXSIZE = 100


async def producer(queue, n):
    for i in range(n):
        await queue.put(i)


async def consumer(queue, n):
    total = 0
    for _ in range(n):
        total += await queue.get()
        queue.task_done()
    return total


async def pipe(n):
    queue = asyncio.Queue(maxsize=MAXSIZE)
    _, total = await asyncio.gather(producer(queue, n), consumer(queue, n))
    await queue.join()
    assert total == n * (n - 1) // 2
    return total


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    first, elapsed, pipe_total = peer_loop.run_rounds(lambda: pipe(n))
    print(f"time_s={elapsed:.6f} first_s={first:.6f} n={n} maxsize={MAXSIZE} sum={pipe_total} "
          f"ns_per_item={elapsed * 1e9 / n:.1f} clock=real loop={peer_loop.LOOP}")


if __name__ == "__main__":
    main()
