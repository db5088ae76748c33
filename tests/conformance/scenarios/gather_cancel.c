/*
 * gather_cancel -- cancelling the task that awaits a gather cancels every
 * unfinished child, waits for their cleanup, and the awaiter sees the
 * cancellation even with return_exceptions.  A child that had already
 * finished keeps its result.
 */
#include "scenario.h"

typedef struct job_spec {
    const char *name;
    long tenths;
} job_spec;

static const job_spec specs[] = {{"a", 2}, {"b", 6}, {"c", 8}};

static int job(void *arg, intptr_t *result)
{
    const job_spec *spec = arg;
    int status = aw_sleep((double)spec->tenths / 10);
    if (status != AW_OK) {
        say("%s cancelled", spec->name);
        return status;
    }
    say("%s done", spec->name);
    *result = (intptr_t)spec->name;
    return AW_OK;
}

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
    const char *states[3];
    for (int i = 0; i < 3; i++)
        states[i] = aw_task_state_of(tasks[i]) == AW_TASK_CANCELLED
                        ? "cancelled"
                        : (const char *)aw_task_value(tasks[i]);
    say("children: %s, %s, %s", states[0], states[1], states[2]);
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
