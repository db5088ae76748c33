/*
 * wait_for_tie -- wait_for whose timeout falls due in the same instant the
 * awaited task finishes.  When the task's own timer was armed first, it has
 * finished when wait_for looks, and wait_for returns its result.  When
 * wait_for's timer was armed first (the task had not started yet), wait_for
 * looks first, finds it running and cancels it: a timeout.
 */
#include "jobs.h"

static const job_spec specs[] = {{"a", 3, false}, {"b", 2, false}};

static void wait_for_and_say(aw_task *task)
{
    if (aw_wait_for(task, 0.2) == AW_OK)
        say("wait_for returned %s", (const char *)aw_task_value(task));
    else
        say("wait_for timed out");
    say("%s cancelled: %s", aw_task_name(task),
        aw_task_state_of(task) == AW_TASK_CANCELLED ? "True" : "False");
}

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *a = aw_spawn(job, (void *)&specs[0], "a");
    aw_sleep(0.1);
    wait_for_and_say(a); /* a's timer first */
    wait_for_and_say(aw_spawn(job, (void *)&specs[1], "b")); /* wait_for's first */
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
