/*
 * turn_gather_done -- awaiting a gather whose tasks have all finished still
 * goes through the loop: the children's completions are delivered as
 * callbacks, and the awaiter resumes one turn after the last of them, so a
 * task that was ready keeps its steps in between.
 */
#include "jobs.h"
#include "ticker.h"

static const job_spec specs[] = {{"a", 1, false}, {"b", 2, false}};

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *tasks[2];
    for (int i = 0; i < 2; i++)
        tasks[i] = aw_spawn(job, (void *)&specs[i], "%s", specs[i].name);
    aw_sleep(0.3);
    aw_spawn(ticker, NULL, "ticker");
    if (aw_gather(tasks, 2, 0) == AW_OK)
        say("gather returned %s, %s", (const char *)aw_task_value(tasks[0]),
            (const char *)aw_task_value(tasks[1]));
    aw_sleep(0.1);
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
