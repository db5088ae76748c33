/*
 * gather_child_cancelled -- without return_exceptions, a child that is
 * cancelled (by someone else) fails the gather like an error: the awaiter
 * gets a cancellation although nobody cancelled it, and the siblings keep
 * running.
 */
#include "jobs.h"

static const job_spec specs[] = {{"a", 5, false}, {"b", 8, false}};

static int canceller(void *arg, intptr_t *result)
{
    (void)result;
    int status = aw_sleep(0.2);
    if (status != AW_OK)
        return status;
    say("canceller cancels b");
    aw_cancel(arg);
    return AW_OK;
}

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *tasks[2] = {aw_spawn(job, (void *)&specs[0], "a"),
                         aw_spawn(job, (void *)&specs[1], "b")};
    aw_task *helper = aw_spawn(canceller, tasks[1], "canceller");
    int status = aw_gather(tasks, 2, 0);
    say("gather raised: %s", status == AW_OK           ? "nothing"
                             : status == AW_ECANCELLED ? "cancelled"
                                                       : aw_last_error()->message);
    say("main cancelled: %s", aw_cancelled() ? "True" : "False");
    aw_await(tasks[0]);
    aw_await(helper);
    say("main ends");
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
