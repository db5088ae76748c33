/*
 * Exercise gather_fetches -- chapter 01, complete the code.
 *
 * fetch_all() must fetch items 0 .. n-1 and leave item i's value in
 * results[i].  Start every fetch before you await any of them, then gather
 * them, so that n fetches take as long as the slowest one, not as all of
 * them added up.
 *
 * Lesson:   chapters/01_sequential_vs_gather.md#the-c-version-line-by-line
 * Check it: awaitlab check gather_fetches
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
 * results = await asyncio.gather(*(fetch(i) for i in range(n)))
 *
 * Returns AW_OK, or the status of the first fetch that failed.
 */
int fetch_all(long n, intptr_t *results)
{
    aw_task **tasks = calloc((size_t)n, sizeof *tasks);
    if (!tasks)
        return AW_ENOMEM;

    /* TODO: spawn one task per item, running fetch_task, named "fetch-<i>"
     *       (aw_spawn takes a printf format).  Spawn them all first. */

    /* TODO: gather the n tasks, and if that worked copy each task's value
     *       into results[i] (aw_task_value). */
    int status = AW_OK;
    (void)fetch_task;
    (void)results;

    free(tasks);
    return status;
}
