/*
 * as_completed_timeout_late -- a task that finishes after as_completed's
 * timeout has passed is not given any more, even if the loop only asks for
 * it later: the next call reports the timeout.  (Results that arrived
 * before the deadline are still given first.)
 */
#include "jobs.h"

#include <string.h>

static const job_spec specs[] = {{"a", 1, false}, {"b", 2, false}, {"c", 5, false}};

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *tasks[3];
    for (int i = 0; i < 3; i++)
        tasks[i] = aw_spawn(job, (void *)&specs[i], "%s", specs[i].name);
    aw_as_completed it;
    aw_as_completed_begin(&it, tasks, 3, 0.3);
    aw_task *next;
    int status;
    while ((status = aw_as_completed_next(&it, &next)) == AW_OK && next) {
        const char *name = (const char *)aw_task_value(next);
        say("got %s", name);
        if (strcmp(name, "a") == 0 && (status = aw_sleep(0.6)) != AW_OK)
            break; /* busy until after c has finished */
    }
    aw_as_completed_end(&it);
    if (status == AW_ETIMEDOUT)
        say("as_completed timed out");
    else if (status != AW_OK)
        return status;
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
