/*
 * Exercise collect_outcomes -- chapter 02, complete the code.  A solution.
 *
 * fetch_report() fetches items 0 .. n-1 at once and reports what happened
 * to every one of them, failures included: errors[i] is 0 if fetch i
 * succeeded, its error code if it failed, AW_ECANCELLED if it ended
 * cancelled; values[i] is its value, or 0 if it did not succeed.  One
 * failure must not cut the report short: return AW_OK once every fetch
 * has finished, whatever their outcomes.
 *
 * Lesson:   chapters/02_return_exceptions.md#the-c-version-line-by-line
 * Check it: awaitlab check collect_outcomes
 */
#include "awaitlab.h"

#include <stdlib.h>

/*
 * Given -- the check provides it: one slow network call for item i.  It
 * sleeps as long as the service takes, then either sets *value and returns
 * AW_OK or fails with an error code of its own (the check decides which
 * items fail, how, and when).  In Python: `value = await fetch(i)`, which
 * may raise.
 */
int fetch(long i, intptr_t *value);

/* The body of one fetch task; arg is the item number. */
static int fetch_task(void *arg, intptr_t *result)
{
    return fetch((long)(intptr_t)arg, result);
}

/*
 * What one finished task's outcome is, as an error code: 0 for a value.
 * A cancelled task carries no aw_error (aw_task_error() is NULL), just as
 * CancelledError is no Exception in Python -- so ask for its state, not
 * for its error.
 */
static int error_of(const aw_task *task)
{
    switch (aw_task_state_of(task)) {
    case AW_TASK_FAILED:
        return aw_task_error(task)->code;
    case AW_TASK_CANCELLED:
        return AW_ECANCELLED;
    default:
        return 0;
    }
}

/*
 * results = await asyncio.gather(*tasks, return_exceptions=True)
 * for i, r in enumerate(results):
 *     if isinstance(r, BaseException): errors[i] = r     # failed or cancelled
 *     else:                            values[i] = r
 */
int fetch_report(long n, intptr_t *values, int *errors)
{
    aw_task **tasks = calloc((size_t)n, sizeof *tasks);
    if (!tasks)
        return AW_ENOMEM;
    for (long i = 0; i < n; i++)
        tasks[i] = aw_spawn(fetch_task, (void *)(intptr_t)i, "fetch-%ld", i);

    /* With AW_RETURN_EXCEPTIONS, a failure does not end the wait: this
     * returns AW_OK once all n have finished (or AW_ECANCELLED if we are
     * cancelled ourselves). */
    int status = aw_gather(tasks, (size_t)n, AW_RETURN_EXCEPTIONS);

    /* The outcomes stay in the tasks; walking i from 0 is argument order. */
    if (status == AW_OK)
        for (long i = 0; i < n; i++) {
            values[i] = aw_task_value(tasks[i]); /* 0 unless it succeeded */
            errors[i] = error_of(tasks[i]);
        }

    free(tasks);
    return status;
}
