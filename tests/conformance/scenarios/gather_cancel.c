/*
 * gather_cancel -- cancelling the task that awaits a gather cancels every
 * unfinished child, waits for their cleanup, and the awaiter sees the
 * cancellation even with return_exceptions.  A child that had already
 * finished keeps its result.
 */
#include "jobs.h"

static const job_spec specs[] = {{"a", 2, false}, {"b", 6, false}, {"c", 8, false}};

static int gatherer(void *arg, intptr_t *result)
{
    (void)result;
    int status = aw_gather(arg, 3, AW_RETURN_EXCEPTIONS);
    if (status == AW_ECANCELLED) {
        say("gatherer: cancelled");
        return status;
    }
    say("gatherer: gather returned");
    return status;
}

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *tasks[3];
    for (int i = 0; i < 3; i++)
        tasks[i] = aw_spawn(job, (void *)&specs[i], "%s", specs[i].name);
    aw_task *waiting = aw_spawn(gatherer, tasks, "gatherer");
    aw_sleep(0.4);
    say("main cancels the gatherer");
    aw_cancel(waiting);
    aw_await(waiting);
    say_children(tasks, 3);
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
