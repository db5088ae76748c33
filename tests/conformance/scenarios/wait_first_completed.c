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

/* "done: a; pending: b, c", the way the Python side prints wait's sets. */
static void say_done_pending(aw_task *const *tasks, size_t n)
{
    char done[40] = "", pending[40] = "";
    for (size_t i = 0; i < n; i++) {
        char *list = aw_task_done(tasks[i]) ? done : pending;
        snprintf(list + strlen(list), sizeof done - strlen(list), "%s%s", list[0] ? ", " : "",
                 aw_task_name(tasks[i]));
    }
    say("done: %s; pending: %s", done[0] ? done : "none", pending[0] ? pending : "none");
}

/* "cancelled: none", or the names of the cancelled tasks. */
static void say_cancelled(aw_task *const *tasks, size_t n)
{
    char cancelled[40] = "";
    for (size_t i = 0; i < n; i++)
        if (aw_task_state_of(tasks[i]) == AW_TASK_CANCELLED)
            snprintf(cancelled + strlen(cancelled), sizeof cancelled - strlen(cancelled),
                     "%s%s", cancelled[0] ? ", " : "", aw_task_name(tasks[i]));
    say("cancelled: %s", cancelled[0] ? cancelled : "none");
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
    say_done_pending(tasks, 3);
    say("a failed: %s", aw_task_error(tasks[0])->message);
    status = aw_wait(tasks, 3, AW_ALL_COMPLETED, AW_NEVER, NULL);
    if (status != AW_OK)
        return status;
    say_cancelled(tasks, 3);
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
