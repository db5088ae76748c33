/*
 * wait_all_completed -- wait(ALL_COMPLETED) returns once every task has
 * finished, failures included, and raises nothing: the errors stay in the
 * tasks.
 */
#include "jobs.h"

#include <string.h>

static const job_spec specs[] = {{"a", 4, false}, {"b", 2, true}, {"c", 3, false}};

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *tasks[3];
    for (int i = 0; i < 3; i++)
        tasks[i] = aw_spawn(job, (void *)&specs[i], "%s", specs[i].name);
    int status = aw_wait(tasks, 3, AW_ALL_COMPLETED, AW_NEVER, NULL);
    if (status != AW_OK)
        return status;
    say_done_pending(tasks, 3);
    char outcomes[200] = "";
    for (int i = 0; i < 3; i++) {
        const aw_error *e = aw_task_error(tasks[i]);
        size_t used = strlen(outcomes);
        if (e)
            snprintf(outcomes + used, sizeof outcomes - used, "%s%s failed: %s", i ? "; " : "",
                     aw_task_name(tasks[i]), e->message);
        else
            snprintf(outcomes + used, sizeof outcomes - used, "%s%s ok", i ? "; " : "",
                     aw_task_name(tasks[i]));
    }
    say("outcomes: %s", outcomes);
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
