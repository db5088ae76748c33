/*
 * turn_wait_done -- asyncio.wait on finished tasks, and asyncio.as_completed
 * over them, still suspend the caller until their completion callbacks have
 * run: a ready task takes its steps first.
 */
#include "jobs.h"
#include "ticker.h"

static const job_spec spec = {"a", 1, false};

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *task = aw_spawn(job, (void *)&spec, "a");
    aw_sleep(0.2);
    aw_spawn(ticker, "w", "w");
    size_t done = 0;
    aw_wait(&task, 1, AW_ALL_COMPLETED, AW_NEVER, &done);
    say("wait returned %zu done", done);
    aw_sleep(0.1);
    aw_spawn(ticker, "c", "c");
    aw_as_completed it;
    aw_as_completed_begin(&it, &task, 1, AW_NEVER);
    aw_task *next;
    while (aw_as_completed_next(&it, &next) == AW_OK && next)
        say("as_completed gave %s", (const char *)aw_task_value(next));
    aw_as_completed_end(&it);
    aw_sleep(0.1);
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
