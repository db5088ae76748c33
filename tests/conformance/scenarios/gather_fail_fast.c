/*
 * gather_fail_fast -- the first failure (in time) reaches the caller at
 * once, and the other tasks are not cancelled: they run to the end.
 */
#include "scenario.h"

static int job(void *arg, intptr_t *result)
{
    long tenths = (long)(intptr_t)arg;
    int status = aw_sleep((double)tenths / 10);
    if (status != AW_OK) {
        say("job-%ld cancelled", tenths);
        return status;
    }
    if (tenths == 2) {
        say("job-%ld fails", tenths);
        return aw_raise(AW_EAPP, "job-%ld failed", tenths);
    }
    say("job-%ld done", tenths);
    *result = tenths;
    return AW_OK;
}

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *tasks[3] = {aw_spawn(job, (void *)5, "job-5"), aw_spawn(job, (void *)2, "job-2"),
                         aw_spawn(job, (void *)8, "job-8")};
    int status = aw_gather(tasks, 3, 0);
    say("gather raised: %s", status == AW_OK ? "nothing" : aw_last_error()->message);
    aw_sleep(1.0);
    say("main ends");
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
