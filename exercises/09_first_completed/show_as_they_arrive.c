/*
 * Exercise show_as_they_arrive -- chapter 09, complete the code.
 *
 * show_reports() asks n services for their reports and shows each one the
 * moment it arrives -- a failed one too, as the error it is -- rather than
 * all of them at the end.  Reports still missing `deadline` seconds after
 * the start are left out: stop waiting then, cancel the late ones, and wait
 * until they have stopped.  *shown says how many reports were shown.
 *
 * Lesson:   chapters/09_first_completed.md#the-c-version-line-by-line
 * Check it: awaitlab check show_as_they_arrive
 */
#include "awaitlab.h"

#include <stdlib.h>

/*
 * Given -- the check provides them.  fetch_report(i) asks service i for its
 * report: it takes as long as the check decides, and may fail.
 * show_report(t) puts a finished report task on the screen, its value or
 * its error.  In Python: `value = await fetch_report(i)`, `show_report(t)`.
 */
int fetch_report(long i, intptr_t *value);
void show_report(aw_task *report);

/* The body of one report's task; arg is the service number. */
static int report_task(void *arg, intptr_t *result)
{
    return fetch_report((long)(intptr_t)arg, result);
}

/*
 * tasks = [asyncio.create_task(fetch_report(i), name=f"report-{i}") for i in range(n)]
 * shown = 0
 * try:
 *     for arrival in asyncio.as_completed(tasks, timeout=deadline):
 *         show_report(...)                  # the task that just finished
 *         shown += 1
 * except TimeoutError:
 *     pass                                  # the late ones are left out
 * for t in tasks:
 *     t.cancel()
 * await asyncio.gather(*tasks, return_exceptions=True)
 *
 * (In Python 3.11, as_completed yields new awaitables, not the tasks; in C,
 * aw_as_completed_next() hands back the task itself.)
 */
int show_reports(long n, double deadline, long *shown)
{
    aw_task **tasks = calloc((size_t)n, sizeof *tasks);
    if (!tasks)
        return AW_ENOMEM;
    for (long i = 0; i < n; i++)
        tasks[i] = aw_spawn(report_task, (void *)(intptr_t)i, "report-%ld", i);

    /* TODO: show each report the moment it arrives, and count it in
     *       *shown: aw_as_completed_begin(&it, tasks, n, deadline), then
     *       aw_as_completed_next() until it gives no more tasks or stops
     *       with AW_ETIMEDOUT (the deadline: not an error here), then
     *       aw_as_completed_end(). */
    *shown = 0;
    int status = AW_OK;
    (void)deadline;

    /* TODO: the late reports are still being fetched: cancel them, and
     *       wait until every task has stopped (aw_gather with
     *       AW_RETURN_EXCEPTIONS). */

    free(tasks);
    return status;
}
