/*
 * Exercise retry_blocking_sleep -- chapter 10, fix the bug.
 *
 * fetch_all() fetches n items from a service that is often busy, retrying
 * an item after a pause that doubles each time (0.1 s, 0.2 s, 0.4 s...).
 * Every item arrives, but slowly: the batch takes about as long as all the
 * items' pauses added up instead of as long as the slowest item, and a
 * heartbeat task running beside it misses its beats during every pause.
 * Find out why, and fix it.
 *
 * Lesson:   chapters/10_offloading.md#the-answer
 * Check it: awaitlab check retry_blocking_sleep
 */
#include "awaitlab.h"

#include <stdlib.h>
#include <unistd.h>

enum { MAX_TRIES = 5 };              /* calls per item before giving up   */
static const double FIRST_PAUSE = 0.1; /* seconds before the second try   */

/*
 * Given -- the check provides it: one call to the service for item i.  It
 * takes as long as the service does (the check decides), then sets *value
 * and returns AW_OK, or returns an error when the service is busy: a later
 * try may succeed.  In Python: `value = await call_service(i)`.
 */
int call_service(long i, intptr_t *value);

/*
 * Calls the service for item i until it answers, at most MAX_TRIES times,
 * pausing after each failure twice as long as after the one before.
 * Returns AW_OK with the value, or the last failure.
 */
static int call_with_retries(long i, intptr_t *value)
{
    double pause = FIRST_PAUSE;
    for (int attempt = 1;; attempt++) {
        int status = call_service(i, value);
        if (status == AW_OK || status == AW_ECANCELLED || attempt == MAX_TRIES)
            return status;
        usleep((useconds_t)(pause * 1e6)); /* give the service a moment */
        pause *= 2;
    }
}

/* The body of one item's task; arg is the item number. */
static int item_task(void *arg, intptr_t *result)
{
    return call_with_retries((long)(intptr_t)arg, result);
}

/*
 * values = await asyncio.gather(*(call_with_retries(i) for i in range(n)))
 *
 * Returns AW_OK with item i's value in values[i], or the first failure.
 */
int fetch_all(long n, intptr_t *values)
{
    aw_task **tasks = calloc((size_t)n, sizeof *tasks);
    if (!tasks)
        return AW_ENOMEM;
    for (long i = 0; i < n; i++)
        tasks[i] = aw_spawn(item_task, (void *)(intptr_t)i, "item-%ld", i);
    int status = aw_gather(tasks, (size_t)n, 0);
    if (status == AW_OK)
        for (long i = 0; i < n; i++)
            values[i] = aw_task_value(tasks[i]);
    free(tasks);
    return status;
}
