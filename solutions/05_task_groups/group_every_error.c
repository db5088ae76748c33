/*
 * Exercise group_every_error -- chapter 05, complete the code.  A solution.
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

/* Every error of the group, in the order they happened (except*'s list). */
static void report_all(const aw_group *group)
{
    for (size_t i = 0; i < aw_group_error_count(group); i++)
        report_error(aw_group_error(group, i));
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

    aw_group group;
    aw_group_begin(&group);
    for (long i = 0; i < n; i++)
        tasks[i] = aw_group_spawn(&group, fetch_task, (void *)(intptr_t)i, "fetch-%ld", i);
    /* The body has nothing else to do; leaving the block waits for every
     * child, however they end. */
    int status = aw_group_end(&group, AW_OK);
    report_all(&group);
    aw_group_dispose(&group);

    /* Only the fetches that had not finished were cancelled: the ones that
     * answered before the failure keep their values. */
    for (long i = 0; i < n; i++)
        results[i] = aw_task_state_of(tasks[i]) == AW_TASK_OK ? aw_task_value(tasks[i]) : -1;

    free(tasks);
    return status;
}
