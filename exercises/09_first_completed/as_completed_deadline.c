/*
 * Exercise as_completed_deadline -- chapter 09, predict the output.
 *
 * Four jobs take 0.2, 0.4, 0.6 and 1.0 s; each prints a line when it
 * finishes.  Main takes them as they complete, with a timeout of 0.5 s --
 * and no two jobs finish more than 0.4 s apart.  Does the timeout ever
 * strike, and if so, when, and what becomes of the jobs not yet done?
 * Write the eight lines the program prints in as_completed_deadline.txt,
 * one per line, exactly as printed; then run the program to see.
 *
 * Lesson:   chapters/09_first_completed.md#common-mistakes
 * Check it: awaitlab check as_completed_deadline
 */
#include "awaitlab.h"

#include <stdio.h>

enum { JOBS = 4 };

static const double durations[JOBS] = {0.2, 0.4, 0.6, 1.0};
static const char *const names[JOBS] = {"quick", "medium", "slow", "slowest"};

/*
 * async def job(i):
 *     await asyncio.sleep(durations[i])
 *     print(f"{now():.3f} {names[i]} finished")
 */
static int job(void *arg, intptr_t *result)
{
    long i = (long)(intptr_t)arg;
    int status = aw_sleep(durations[i]);
    if (status != AW_OK)
        return status;
    printf("%.3f %s finished\n", aw_now(), names[i]);
    *result = i;
    return AW_OK;
}

static int main_task(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *tasks[JOBS];
    for (long i = 0; i < JOBS; i++)
        tasks[i] = aw_spawn(job, (void *)(intptr_t)i, "%s", names[i]);

    /* for arrival in asyncio.as_completed(tasks, timeout=0.5): ... */
    aw_as_completed it;
    aw_as_completed_begin(&it, tasks, JOBS, 0.5);
    aw_task *next;
    int status;
    while ((status = aw_as_completed_next(&it, &next)) == AW_OK && next)
        printf("%.3f main got %s\n", aw_now(), aw_task_name(next));
    aw_as_completed_end(&it);
    if (status == AW_ETIMEDOUT) {
        int running = 0;
        for (int i = 0; i < JOBS; i++)
            running += !aw_task_done(tasks[i]);
        printf("%.3f main: timed out, %d still running\n", aw_now(), running);
    }

    /* await asyncio.gather(*tasks, return_exceptions=True) */
    status = aw_gather(tasks, JOBS, AW_RETURN_EXCEPTIONS);
    int finished = 0, cancelled = 0;
    for (int i = 0; i < JOBS; i++) {
        finished += aw_task_state_of(tasks[i]) == AW_TASK_OK;
        cancelled += aw_task_state_of(tasks[i]) == AW_TASK_CANCELLED;
    }
    printf("%.3f main: %d of %d finished, %d cancelled\n", aw_now(), finished, JOBS, cancelled);
    return status;
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    return aw_run(main_task, NULL, &(aw_config){.clock = AW_CLOCK_VIRTUAL}, NULL) == AW_OK ? 0 : 1;
}
