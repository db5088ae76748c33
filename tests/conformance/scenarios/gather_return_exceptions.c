/*
 * gather_return_exceptions -- with return_exceptions every outcome comes
 * back as a value in argument order: a result, an error, and a
 * cancellation; the gather itself is not cancelled.
 */
#include "jobs.h"

static const job_spec specs[] = {{"a", 3, false}, {"b", 2, true}, {"c", 5, false}};

/* The outcome as a value, the way the Python side prints it. */
static void describe(const aw_task *task, char *out, size_t size)
{
    switch (aw_task_state_of(task)) {
    case AW_TASK_OK:
        snprintf(out, size, "'%s'", (const char *)aw_task_value(task));
        break;
    case AW_TASK_FAILED:
        snprintf(out, size, "error '%s'", aw_task_error(task)->message);
        break;
    default:
        snprintf(out, size, "cancelled");
    }
}

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *tasks[3];
    for (int i = 0; i < 3; i++)
        tasks[i] = aw_spawn(job, (void *)&specs[i], "%s", specs[i].name);
    aw_sleep(0.1);
    aw_cancel(tasks[2]);
    int status = aw_gather(tasks, 3, AW_RETURN_EXCEPTIONS);
    if (status != AW_OK)
        return status;
    char outcomes[3][160];
    for (int i = 0; i < 3; i++)
        describe(tasks[i], outcomes[i], sizeof outcomes[i]);
    say("gather returned: %s, %s, %s", outcomes[0], outcomes[1], outcomes[2]);
    say("main cancelled: %s", aw_cancelled() ? "True" : "False");
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
