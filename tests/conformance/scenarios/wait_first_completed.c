/*
 * wait_first_completed -- wait(FIRST_COMPLETED) returns at the first task
 * to finish, and a failure counts as finishing.  It cancels nothing: the
 * pending tasks run on.
 */
#include "scenario.h"

#include <string.h>

typedef struct job_spec {
    const char *name;
    long tenths;
    bool fails;
} job_spec;

static const job_spec specs[] = {{"a", 2, true}, {"b", 4, false}, {"c", 6, false}};

static int job(void *arg, intptr_t *result)
{
    const job_spec *spec = arg;
    int status = aw_sleep((double)spec->tenths / 10);
    if (status != AW_OK)
        return status;
    if (spec->fails) {
        say("%s fails", spec->name);
        return aw_raise(AW_EAPP, "%s failed", spec->name);
    }
    say("%s done", spec->name);
    *result = (intptr_t)spec->name;
    return AW_OK;
}

/* The names of the tasks that are (or are not) done, as "a, b" or "none". */
static const char *names(aw_task *const *tasks, size_t n, aw_task_state want, bool done,
                         char *out, size_t size)
{
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        bool match = want != AW_TASK_PENDING ? aw_task_state_of(tasks[i]) == want
                                             : aw_task_done(tasks[i]) == done;
        if (match)
            snprintf(out + strlen(out), size - strlen(out), "%s%s", out[0] ? ", " : "",
                     aw_task_name(tasks[i]));
    }
    return out[0] ? out : "none";
}

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *tasks[3];
    for (int i = 0; i < 3; i++)
        tasks[i] = aw_spawn(job, (void *)&specs[i], "%s", specs[i].name);
    int status = aw_wait(tasks, 3, AW_FIRST_COMPLETED, AW_NEVER, NULL);
    if (status != AW_OK)
        return status;
    char done[40], pending[40];
    say("done: %s; pending: %s", names(tasks, 3, AW_TASK_PENDING, true, done, sizeof done),
        names(tasks, 3, AW_TASK_PENDING, false, pending, sizeof pending));
    say("a failed: %s", aw_task_error(tasks[0])->message);
    status = aw_wait(tasks, 3, AW_ALL_COMPLETED, AW_NEVER, NULL);
    if (status != AW_OK)
        return status;
    say("cancelled: %s", names(tasks, 3, AW_TASK_CANCELLED, true, done, sizeof done));
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
