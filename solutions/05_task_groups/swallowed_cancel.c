/*
 * Exercise swallowed_cancel -- chapter 05, fix the bug.  A solution.
 *
 * load_all() fetches n items in a task group, each with retries: a fetch
 * that hits a hiccup is tried again after a pause, and an item whose every
 * attempt hiccups falls back to the cached copy.  An item that does not
 * exist fails for good, and then the group should cancel the fetches still
 * running.  The timeline shows it does cancel them -- yet they end "ok",
 * and results[] holds their cached copies as if they had been fetched.  The
 * same happens when the caller's own deadline cancels load_all().  Make a
 * cancelled fetch end cancelled.
 *
 * Lesson:   chapters/05_task_groups.md#cancellation-in-c
 * Check it: awaitlab check swallowed_cancel
 */
#include "awaitlab.h"

#include <stdlib.h>

/*
 * Given -- the check provides them.  fetch(i) asks the service for item i:
 * it takes a while (the check decides how long) and sets *value, or fails
 * with HICCUP (try again) or NOT_FOUND (no such item).  cached(i) is the
 * copy of item i from the last good run.  In Python: `await fetch(i)`,
 * `cached(i)`, and the exceptions Hiccup and NotFound.
 */
enum { HICCUP = AW_EAPP, NOT_FOUND = AW_EAPP - 1 };
int fetch(long i, intptr_t *value);
intptr_t cached(long i);

enum { ATTEMPTS = 3 };          /* tries per item                   */
static const double PAUSE = 0.1; /* seconds, growing with each retry */

/*
 * async def fetch_with_retry(i):
 *     for attempt in range(1, ATTEMPTS + 1):
 *         try:
 *             return await fetch(i)
 *         except Hiccup:                 # only a hiccup is worth a retry
 *             if attempt < ATTEMPTS:
 *                 await asyncio.sleep(PAUSE * attempt)
 *     return cached(i)                   # the service is down: the cached copy
 *
 * The bug was treating every status but AW_OK and NOT_FOUND as a hiccup --
 * AW_ECANCELLED too, as a bare `except:` catches CancelledError.  Once the
 * task is cancelled every wait fails at once, so the retries ran out in no
 * time and the task returned the cached copy with AW_OK: the cancellation
 * was swallowed and reported as a success.  Retry only what is a hiccup,
 * and hand every other status, the pause's included, back to the caller.
 */
static int fetch_with_retry(void *arg, intptr_t *result)
{
    long i = (long)(intptr_t)arg;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
        int status = fetch(i, result);
        if (status != HICCUP)
            return status; /* a value, NOT_FOUND, or AW_ECANCELLED: done */
        if (attempt < ATTEMPTS) {
            status = aw_sleep(PAUSE * attempt); /* pause, then try again */
            if (status != AW_OK)
                return status; /* cancelled while pausing */
        }
    }
    *result = cached(i); /* the service is down: the cached copy */
    return AW_OK;
}

/*
 * async with asyncio.TaskGroup() as tg:      # (ExceptionGroup: status)
 *     tasks = [tg.create_task(fetch_with_retry(i), name=f"fetch-{i}")
 *              for i in range(n)]
 * results = [t.result() if ok(t) else -1 for t in tasks]
 *
 * Returns the group's status: AW_OK, AW_EGROUP, or AW_ECANCELLED.
 */
int load_all(long n, intptr_t *results)
{
    aw_task **tasks = calloc((size_t)n, sizeof *tasks);
    if (!tasks)
        return AW_ENOMEM;
    aw_group group;
    aw_group_begin(&group);
    for (long i = 0; i < n; i++)
        tasks[i] = aw_group_spawn(&group, fetch_with_retry, (void *)(intptr_t)i, "fetch-%ld", i);
    int status = aw_group_end(&group, AW_OK);
    aw_group_dispose(&group);
    for (long i = 0; i < n; i++)
        results[i] = aw_task_state_of(tasks[i]) == AW_TASK_OK ? aw_task_value(tasks[i]) : -1;
    free(tasks);
    return status;
}
