/*
 * Exercise dashboard_budget -- chapter 09, fix the bug.
 *
 * build_dashboard() fetches n widgets at once and draws the page with
 * those that arrived within `budget` seconds.  The page comes out on time,
 * with the right widgets -- but the fetches of the slow widgets are still
 * running after build_dashboard() has returned, each holding a connection
 * to its backend for seconds, long after anyone could use the answer.
 * Find out why, and fix it: when build_dashboard() returns, no fetch of
 * its own may still be running.
 *
 * Lesson:   chapters/09_first_completed.md#the-answer
 * Check it: awaitlab check dashboard_budget
 */
#include "awaitlab.h"

#include <stdlib.h>

/*
 * Given -- the check provides them.  fetch_widget(i) asks widget i's
 * backend for its content (it takes as long as the check decides);
 * draw_widget(i, content) puts it on the page.  In Python:
 * `content = await fetch_widget(i)`, `draw_widget(i, content)`.
 */
int fetch_widget(long i, intptr_t *content);
void draw_widget(long i, intptr_t content);

/* The body of one widget's task; arg is the widget number. */
static int widget_task(void *arg, intptr_t *result)
{
    return fetch_widget((long)(intptr_t)arg, result);
}

/*
 * tasks = [asyncio.create_task(fetch_widget(i), name=f"widget-{i}") for i in range(n)]
 * done, pending = await asyncio.wait(tasks, timeout=budget)
 * for i, t in enumerate(tasks):
 *     if t in done and not t.exception():
 *         draw_widget(i, t.result())
 *
 * Returns AW_OK; *drawn says how many widgets made it onto the page.
 */
int build_dashboard(long n, double budget, long *drawn)
{
    aw_task **tasks = calloc((size_t)n, sizeof *tasks);
    if (!tasks)
        return AW_ENOMEM;
    for (long i = 0; i < n; i++)
        tasks[i] = aw_spawn(widget_task, (void *)(intptr_t)i, "widget-%ld", i);

    int status = aw_wait(tasks, (size_t)n, AW_ALL_COMPLETED, budget, NULL);
    *drawn = 0;
    for (long i = 0; i < n && status == AW_OK; i++)
        if (aw_task_state_of(tasks[i]) == AW_TASK_OK) {
            draw_widget(i, aw_task_value(tasks[i]));
            (*drawn)++;
        }

    free(tasks);
    return status;
}
