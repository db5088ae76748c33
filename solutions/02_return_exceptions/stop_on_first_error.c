/*
 * Exercise stop_on_first_error -- chapter 02, fix the bug.  A solution.
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
 * Stops every panel still being fetched, and waits until each has really
 * finished: aw_cancel() only asks (task.cancel()).  The tasks that are done
 * already are left as they are -- aw_cancel() returns false for them.
 *
 * async def cancel_all(tasks):
 *     for t in tasks:
 *         t.cancel()
 *     await asyncio.gather(*tasks, return_exceptions=True)
 */
static void cancel_all(aw_task **tasks, long n)
{
    for (long i = 0; i < n; i++)
        aw_cancel(tasks[i]);
    aw_gather(tasks, (size_t)n, AW_RETURN_EXCEPTIONS);
}

/*
 * tasks = [asyncio.create_task(fetch_panel(i), name=f"panel-{i}") for i in range(n)]
 * try:
 *     values = await asyncio.gather(*tasks)    # raises the first failure
 * except Exception:
 *     await cancel_all(tasks)                  # gather itself cancels nothing
 *     raise
 *
 * Leaves panel i's value in values[i].  Returns AW_OK, or the status of
 * the first panel to fail (its error passed on, as aw_gather() does).
 *
 * The bug was trusting gather to stop the others: it returns the first
 * failure at once but leaves every other task running.  Cancelling them is
 * our job.  (If we are cancelled ourselves, aw_gather() has already
 * cancelled and awaited them all, and cancel_all() finds nothing to do.)
 * The second gather, with AW_RETURN_EXCEPTIONS, returns AW_OK and leaves
 * the first failure's error in place, so returning `status` passes it on.
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
    else
        cancel_all(tasks, n);

    free(tasks);
    return status;
}
