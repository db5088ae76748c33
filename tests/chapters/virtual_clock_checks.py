"""virtual_clock_checks.py -- how the Python twins' virtual clock
(chapters/awaitlab_clock.py) counts a to_thread() job, checked without
racing a real thread.

A job is real work until its result is on the loop's ready queue.  Were the
count to drop first, the loop could find nothing outstanding and nothing
ready, and jump the clock to the next timer: a timeout would fire "before"
a result that had in fact arrived.  With a real thread that happens only
now and then; here the executor's future is completed by hand, so the
moment the job ends is the check's choice and the order is seen exactly.

usage: python3 tests/chapters/virtual_clock_checks.py
prints a line per check; exits 1 at the first that fails.
"""
import asyncio
import concurrent.futures
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                "chapters"))
import awaitlab_clock  # noqa: E402


class HandCompletedExecutor(concurrent.futures.Executor):
    """submit() runs nothing: its future ends when the check completes it."""

    def __init__(self):
        self.futures = []

    def submit(self, fn, /, *args, **kwargs):
        future = concurrent.futures.Future()
        self.futures.append(future)
        return future


def check_the_result_is_queued_before_the_count_drops():
    loop = awaitlab_clock.VirtualClockLoop()
    try:
        executor = HandCompletedExecutor()
        job_done_when_count_dropped = []
        drop_count = loop._real_work_done

        def look_then_drop():
            job_done_when_count_dropped.append(job.done())
            drop_count()

        loop._real_work_done = look_then_drop
        job = loop.run_in_executor(executor, print)
        if not loop.real_work_outstanding():
            return "a job just submitted does not count as real work"
        executor.futures[0].set_result(42)  # the thread ends, here and now
        loop.run_until_complete(asyncio.sleep(0))
        if job_done_when_count_dropped != [True]:
            return ("the count of real work dropped before the job's result reached "
                    f"the loop (job done when it dropped: {job_done_when_count_dropped})")
        if job.result() != 42 or loop.real_work_outstanding():
            return f"job result {job.result()}, real work left: {loop.real_work_outstanding()}"
        return None
    finally:
        loop.close()


def main():
    for check in (check_the_result_is_queued_before_the_count_drops,):
        failure = check()
        name = check.__name__.replace("_", " ")
        if failure:
            print(f"FAILED: {name}: {failure}")
            return 1
        print(f"ok: {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
