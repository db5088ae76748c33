/*
 * gather_cancel_first -- cancelling the task that awaits gather cancels
 * every child, and the awaiter sees the cancellation as soon as the first
 * child has finished cancelling, not when all have: another child's cleanup
 * may still be running.
 */
#include "scenario.h"

typedef struct stopper {
    const char *name;
    long cleanup_tenths;
} stopper;

static int slow_to_stop(void *arg, intptr_t *result)
{
    (void)result;
    const stopper *s = arg;
    int status = aw_sleep(1);
    if (status == AW_ECANCELLED) {
        aw_shield_begin(); /* the cleanup may await */
        aw_sleep((double)s->cleanup_tenths / 10);
        aw_shield_end();
        say("%s cleaned up", s->name);
    }
    return status;
}

static int gatherer(void *arg, intptr_t *result)
{
    (void)result;
    int status = aw_gather(arg, 2, 0);
    if (status == AW_ECANCELLED)
        say("gatherer: cancelled");
    return status;
}

static const stopper a = {"a", 3}, b = {"b", 1};

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *tasks[2] = {aw_spawn(slow_to_stop, (void *)&a, "a"),
                         aw_spawn(slow_to_stop, (void *)&b, "b")};
    aw_task *waiting = aw_spawn(gatherer, tasks, "gatherer");
    aw_sleep(0.2);
    say("main cancels the gatherer");
    aw_cancel(waiting);
    if (aw_await(waiting) == AW_ECANCELLED)
        say("main: gatherer is cancelled");
    aw_sleep(0.5);
    say("a done: %s", aw_task_done(tasks[0]) ? "True" : "False");
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
