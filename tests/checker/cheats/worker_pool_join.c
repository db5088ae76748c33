/*
 * A cheat for worker_pool_join: a correct pool, but always of the lesson's
 * default 3 workers, whatever `workers` says.  Right for 3 workers; the
 * check's cases with 6, 1 and 2 workers count the worker-<w> tasks and
 * find 3.
 */
#include "awaitlab.h"

enum { DEFAULT_WORKERS = 3 };

int process(long job);

static aw_queue queue;

static int worker(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    for (;;) {
        intptr_t job;
        int status = aw_queue_get(&queue, &job);
        if (status != AW_OK)
            return status;
        status = process((long)job);
        aw_queue_task_done(&queue);
        if (status != AW_OK)
            return status;
    }
}

int process_all(long jobs, long workers)
{
    (void)workers;
    aw_task *tasks[DEFAULT_WORKERS];
    int status = aw_queue_init(&queue, 0, "jobs");
    for (long job = 0; job < jobs && status == AW_OK; job++)
        status = aw_queue_put_nowait(&queue, job);
    if (status != AW_OK)
        goto out;

    for (long w = 0; w < DEFAULT_WORKERS; w++)
        tasks[w] = aw_spawn(worker, NULL, "worker-%ld", w);
    status = aw_queue_join(&queue);
    for (long w = 0; w < DEFAULT_WORKERS; w++)
        aw_cancel(tasks[w]);
    int stopped = aw_gather(tasks, DEFAULT_WORKERS, AW_RETURN_EXCEPTIONS);
    if (status == AW_OK)
        status = stopped;
out:
    aw_queue_dispose(&queue);
    return status;
}
