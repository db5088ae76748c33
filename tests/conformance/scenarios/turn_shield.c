/*
 * turn_shield -- awaiting shield(task) hears of the task's end through a
 * done callback, and resumes the turn after it: a task that was ready in
 * the instant the shielded task finished takes two steps first (a plain
 * aw_await() would take one).
 */
#include "jobs.h"
#include "ticker.h"

static const job_spec spec = {"a", 1, false};

static int ticker_later(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_sleep(0.1);
    tick_four_turns(NULL);
    return AW_OK;
}

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *task = aw_spawn(job, (void *)&spec, "a");
    aw_spawn(ticker_later, NULL, "ticker");
    if (aw_await_shielded(task) == AW_OK)
        say("shield returned %s", (const char *)aw_task_value(task));
    aw_sleep(0.1);
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
