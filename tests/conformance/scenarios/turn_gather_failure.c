/*
 * turn_gather_failure -- a child's failure reaches the task awaiting gather
 * one turn after the child ends (gather's callback runs first, then the
 * awaiter), so a sibling that was ready takes its step before it.
 */
#include "jobs.h"
#include "ticker.h"

static const job_spec spec = {"a", 2, true};

static int ticker_later(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_sleep(0.2);
    tick_four_turns(NULL);
    return AW_OK;
}

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *tasks[2] = {aw_spawn(job, (void *)&spec, "a"),
                         aw_spawn(ticker_later, NULL, "ticker")};
    if (aw_gather(tasks, 2, 0) != AW_OK)
        say("gather raised: %s", aw_last_error()->message);
    aw_sleep(0.1);
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
