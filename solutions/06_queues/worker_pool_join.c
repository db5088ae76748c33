/*
 * Exercise worker_pool_join -- chapter 06, complete the code.  A solution.
 *
 * process_all() puts jobs 0 .. jobs-1 on a queue and starts `workers`
 * workers that share them: each takes the next job, processes it and marks
 * it done.  Wait with join() until every job is done, then stop the
 * workers -- they loop forever -- and wait for them, so that none is left
 * running when process_all() returns.
 *
 * Lesson:   chapters/06_queues.md#the-c-version-line-by-line
 * Check it: awaitlab check worker_pool_join
 */
#include "awaitlab.h"

#include <stdlib.h>

/*
 * Given -- the check provides it: does one job (it takes as long as the
 * check decides).  In Python: `await process(job)`.
 */
int process(long job);

static aw_queue queue;

/*
 * async def worker():
 *     while True:                        # until cancelled
 *         job = await queue.get()
 *         await process(job)
 *         queue.task_done()
 */
static int worker(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    for (;;) {
        intptr_t job;
        int status = aw_queue_get(&queue, &job);
        if (status != AW_OK)
            return status; /* cancelled while waiting for a job: stop */
        status = process((long)job);
        aw_queue_task_done(&queue); /* done, even if process() failed */
        if (status != AW_OK)
            return status;
    }
}

/* Cancels the workers and waits until every one of them has stopped. */
static int stop_workers(aw_task **tasks, long workers)
{
    for (long w = 0; w < workers; w++)
        aw_cancel(tasks[w]);
    return aw_gather(tasks, (size_t)workers, AW_RETURN_EXCEPTIONS);
}

/*
 * queue = asyncio.Queue()
 * for job in range(jobs):
 *     queue.put_nowait(job)
 * tasks = [asyncio.create_task(worker(), name=f"worker-{w}") for w in range(workers)]
 * await queue.join()                     # every job done
 * for t in tasks:
 *     t.cancel()                         # the workers never stop by themselves
 * await asyncio.gather(*tasks, return_exceptions=True)
 */
int process_all(long jobs, long workers)
{
    aw_task **tasks = calloc((size_t)workers, sizeof *tasks);
    if (!tasks)
        return AW_ENOMEM;
    int status = aw_queue_init(&queue, 0, "jobs");
    for (long job = 0; job < jobs && status == AW_OK; job++)
        status = aw_queue_put_nowait(&queue, job); /* unbounded: only ENOMEM */
    if (status != AW_OK)
        goto out;

    for (long w = 0; w < workers; w++)
        tasks[w] = aw_spawn(worker, NULL, "worker-%ld", w);
    status = aw_queue_join(&queue); /* every job done */

    /* Stopped whether join() worked or not: no worker outlives this call.
     * The gather returns AW_OK once they have all finished, cancelled. */
    int stopped = stop_workers(tasks, workers);
    if (status == AW_OK)
        status = stopped;
out:
    aw_queue_dispose(&queue);
    free(tasks);
    return status;
}
