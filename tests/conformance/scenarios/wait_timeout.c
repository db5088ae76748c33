/*
 * wait_timeout -- when wait's timeout passes it returns what is done and
 * what is pending; it raises nothing and cancels nothing: the pending tasks
 * run on.
 */
#include "scenario.h"

#include <string.h>

typedef struct job_spec {
    const char *name;
    long tenths;
} job_spec;

static const job_spec specs[] = {{"a", 2}, {"b", 5}, {"c", 8}};

static int job(void *arg, intptr_t *result)
{
    const job_spec *spec = arg;
    int status = aw_sleep((double)spec->tenths / 10);
    if (status != AW_OK)
        return status;
    say("%s done", spec->name);
    *result = (intptr_t)spec->name;
    return AW_OK;
}

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *tasks[3];
    for (int i = 0; i < 3; i++)
        tasks[i] = aw_spawn(job, (void *)&specs[i], "%s", specs[i].name);
    int status = aw_wait(tasks, 3, AW_ALL_COMPLETED, 0.3, NULL);
    if (status != AW_OK)
        return status;
    char done[40] = "", pending[40] = "";
    aw_task *still_running[3];
    size_t n_pending = 0;
    for (int i = 0; i < 3; i++) {
        char *list = aw_task_done(tasks[i]) ? done : pending;
        snprintf(list + strlen(list), sizeof done - strlen(list), "%s%s", list[0] ? ", " : "",
                 aw_task_name(tasks[i]));
        if (!aw_task_done(tasks[i]))
            still_running[n_pending++] = tasks[i];
    }
    say("done: %s; pending: %s", done[0] ? done : "none", pending[0] ? pending : "none");
    status = aw_gather(still_running, n_pending, 0);
    if (status != AW_OK)
        return status;
    char cancelled[40] = "";
    for (int i = 0; i < 3; i++)
        if (aw_task_state_of(tasks[i]) == AW_TASK_CANCELLED)
            snprintf(cancelled + strlen(cancelled), sizeof cancelled - strlen(cancelled),
                     "%s%s", cancelled[0] ? ", " : "", aw_task_name(tasks[i]));
    say("cancelled: %s", cancelled[0] ? cancelled : "none");
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
