/*
 * Exercise stop_on_first_error -- chapter 02, fix the bug.
 *
 * load_dashboard() fetches the n panels of a dashboard at once.  The
 * dashboard is useless with a panel missing, so when one fails it gives up
 * and returns that panel's error at once -- and it does.  But the panels it
 * gave up on go on being fetched after it has returned: the service keeps
 * working for nobody, and the check finds them still running.  When one
 * panel fails, make sure nothing is left running when load_dashboard()
 * returns -- still at the moment of the failure, and with its error.
 *
 * Lesson:   chapters/02_return_exceptions.md#common-mistakes
 * Check it: awaitlab check stop_on_first_error
 */
#include "awaitlab.h"

#include <stdlib.h>

/*
 * Given -- the check provides it: fetches panel i.  It sleeps as long as
 * the service takes, then sets *value and returns AW_OK, or fails (the
 * check decides which panels fail, and when).  In Python:
 * `value = await fetch_panel(i)`, which may raise.
 */
int fetch_panel(long i, intptr_t *value);

/* The body of one panel's task; arg is the panel number. */
static int panel_task(void *arg, intptr_t *result)
{
    return fetch_panel((long)(intptr_t)arg, result);
}

/*
 * tasks = [asyncio.create_task(fetch_panel(i), name=f"panel-{i}") for i in range(n)]
 * values = await asyncio.gather(*tasks)    # raises the first failure
 *
 * Leaves panel i's value in values[i].  Returns AW_OK, or the status of
 * the first panel to fail (its error passed on, as aw_gather() does).
 */
int load_dashboard(long n, intptr_t *values)
{
    aw_task **tasks = calloc((size_t)n, sizeof *tasks);
    if (!tasks)
        return AW_ENOMEM;
    for (long i = 0; i < n; i++)
        tasks[i] = aw_spawn(panel_task, (void *)(intptr_t)i, "panel-%ld", i);

    int status = aw_gather(tasks, (size_t)n, 0);
    if (status == AW_OK)
        for (long i = 0; i < n; i++)
            values[i] = aw_task_value(tasks[i]);

    free(tasks);
    return status;
}
