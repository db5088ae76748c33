/*
 * Exercise timeout_gather -- chapter 04, complete the code.
 *
 * fetch_within() starts n fetches at once and gives them `limit` seconds
 * in all: put one timeout scope around the gather.  When the time is up,
 * keep the values of the fetches that had answered, put -1 in the slots
 * of the others (the gather cancelled them), and return AW_ETIMEDOUT.
 *
 * Lesson:   chapters/04_timeouts.md#the-c-version-line-by-line
 * Check it: awaitlab check timeout_gather
 */
#include "awaitlab.h"

#include <stdlib.h>

/*
 * Given -- the check provides it: one slow network call for item i.  It
 * sleeps as long as the service takes (the check decides how long) and sets
 * *value.  In Python: `value = await fetch(i)`.
 */
int fetch(long i, intptr_t *value);

/* The body of one fetch task; arg is the item number. */
static int fetch_task(void *arg, intptr_t *result)
{
    return fetch((long)(intptr_t)arg, result);
}

/*
 * tasks = [asyncio.create_task(fetch(i), name=f"fetch-{i}") for i in range(n)]
 * try:
 *     async with asyncio.timeout(limit):
 *         await asyncio.gather(*tasks)
 *     status = OK
 * except TimeoutError:
 *     status = TIMED_OUT            # the unfinished fetches were cancelled
 * results = [t.result() if t.done() and not t.cancelled() else -1 for t in tasks]
 *
 * Returns AW_OK if every fetch answered in time, AW_ETIMEDOUT if the limit
 * passed first.
 */
int fetch_within(long n, double limit, intptr_t *results)
{
    aw_task **tasks = calloc((size_t)n, sizeof *tasks);
    if (!tasks)
        return AW_ENOMEM;
    for (long i = 0; i < n; i++)
        tasks[i] = aw_spawn(fetch_task, (void *)(intptr_t)i, "fetch-%ld", i);

    /* TODO: gather the n tasks inside a timeout scope of `limit` seconds:
     *       an aw_timeout on this stack, aw_timeout_begin() before the
     *       gather, and aw_timeout_end() with the gather's status after it.
     *       Keep the status aw_timeout_end() returns. */
    int status = AW_OK;
    (void)limit;

    /* TODO: fill results[i]: the value of each fetch that finished with one
     *       (aw_task_state_of() is AW_TASK_OK), -1 for every other one. */
    (void)results;

    free(tasks);
    return status;
}
