/*
 * Exercise periodic_keep_rate -- chapter 12, complete the code.  A solution.
 *
 * monitor() runs check_health() every `interval` seconds until its task is
 * cancelled.  Keep the rate: the k-th check is due at start + k * interval,
 * however long the checks before it took; a check that comes due while the
 * one before is still running starts as soon as that one ends (catch up).
 * A failed check is counted in *failed and the loop goes on; a cancelled
 * one is no failure.  Return AW_ECANCELLED once cancelled.
 *
 * Lesson:   chapters/12_periodic_and_pages.md#the-answer
 * Check it: awaitlab check periodic_keep_rate
 */
#include "awaitlab.h"

/*
 * Given -- the check provides it: one health check of the service.  It
 * takes as long as the service takes to answer (sometimes more than an
 * interval), then returns AW_OK, or an error when the service is unwell,
 * or AW_ECANCELLED when the task is cancelled meanwhile.
 * In Python: `await check_health()`.
 */
int check_health(void);

/*
 * async def monitor(interval):
 *     start = loop.time()
 *     for k in itertools.count():
 *         await asyncio.sleep(start + k * interval - loop.time())
 *         try:
 *             await check_health()
 *         except Exception:          # not CancelledError: that one ends the loop
 *             failed += 1
 *
 * The check runs it as the task "monitor", and cancels it after a while.
 */
int monitor(double interval, long *failed)
{
    *failed = 0;
    double start = aw_now();
    for (long k = 0;; k++) {
        /* The due time comes from the schedule, not from when the last
         * check ended: a slow check delays the next one, never the rest. */
        int status = aw_sleep(start + (double)k * interval - aw_now());
        if (status == AW_OK)
            status = check_health();
        if (status == AW_ECANCELLED)
            return status;
        if (status != AW_OK)
            (*failed)++; /* a bad check must not end the checking */
    }
}
