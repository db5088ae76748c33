/*
 * Exercise group_every_error -- chapter 05, complete the code.
 *
 * fetch_group() fetches items 0 .. n-1 as the children of one task group,
 * so that the first fetch to fail cancels the ones still running.  After
 * the group, hand every error it collected to report_error(), in the
 * group's order, and leave each item's value in results[i] -- -1 for an
 * item that has none because it failed or was cancelled.
 *
 * Lesson:   chapters/05_task_groups.md#the-c-version-line-by-line
 * Check it: awaitlab check group_every_error
 */
#include "awaitlab.h"

#include <stdlib.h>

/*
 * Given -- the check provides them.  fetch(i) is one slow network call for
 * item i: it sleeps as long as the check decides, then sets *value or fails
 * (some items fail; a cancelled fetch says goodbye to the server first, and
 * that can fail too).  report_error() is where errors go, e.g. a log.  In
 * Python: `value = await fetch(i)`, `report_error(e)`.
 */
int fetch(long i, intptr_t *value);
void report_error(const aw_error *error);

/* The body of one fetch task; arg is the item number. */
static int fetch_task(void *arg, intptr_t *result)
{
    return fetch((long)(intptr_t)arg, result);
}

/*
 * try:
 *     async with asyncio.TaskGroup() as tg:
 *         tasks = [tg.create_task(fetch(i), name=f"fetch-{i}") for i in range(n)]
 *     status = OK
 * except* Exception as group:
 *     for e in group.exceptions:
 *         report_error(e)
 *     status = GROUP_FAILED
 * results = [t.result() if not t.cancelled() and t.exception() is None else -1
 *            for t in tasks]
 *
 * Returns AW_OK, or AW_EGROUP if any fetch failed.
 */
int fetch_group(long n, intptr_t *results)
{
    aw_task **tasks = calloc((size_t)n, sizeof *tasks);
    if (!tasks)
        return AW_ENOMEM;

    /* TODO: open a task group (an aw_group on this stack) and spawn into it
     *       one child per item, running fetch_task, named "fetch-<i>";
     *       keep child i in tasks[i]. */

    /* TODO: leave the group -- aw_group_end() waits for every child.  The
     *       body itself did nothing that could fail, so its status is AW_OK.
     *       Keep the status the end returns. */
    int status = AW_OK;

    /* TODO: give every error the group collected to report_error(), in the
     *       group's order (aw_group_error_count, aw_group_error), then free
     *       the list (aw_group_dispose). */

    /* TODO: results[i]: the value of each fetch that ended with one
     *       (aw_task_state_of() is AW_TASK_OK), -1 for every other one. */
    (void)fetch_task;
    (void)results;

    free(tasks);
    return status;
}
