/*
 * Exercise worker_pool_join -- chapter 06, complete the code.
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
    /* TODO: loop forever: take the next job (aw_queue_get), process() it,
     *       and mark it done (aw_queue_task_done).  When a call returns
     *       something other than AW_OK -- AW_ECANCELLED once the worker is
     *       stopped -- return that status. */
    return AW_OK;
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

    /* TODO: start the workers, running worker(), named "worker-<w>", and
     *       keep them in tasks[]. */
    (void)worker;

    /* TODO: wait until every job is done (aw_queue_join). */

    /* TODO: stop the workers (aw_cancel each) and wait until all of them
     *       have finished (aw_gather with AW_RETURN_EXCEPTIONS: they end
     *       cancelled, which is no error here). */

out:
    aw_queue_dispose(&queue);
    free(tasks);
    return status;
}
