/*
 * jobs.h -- the job that many scenarios start a few of.
 *
 * A job sleeps `tenths` tenths of a second, then fails with "NAME failed"
 * if `fails`, or else returns its name; it says how it ends, cancelled
 * too.  say_children() tells afterwards how each job ended.  The Python
 * side of both is in scenario.py:
 *
 *     static const job_spec specs[] = {{"a", 4, false}, {"b", 2, true}};
 *     aw_spawn(job, (void *)&specs[0], "%s", specs[0].name);
 *
 *     asyncio.create_task(job("a", 4, False), name="a")
 */
#ifndef AWAITLAB_JOBS_H
#define AWAITLAB_JOBS_H

#include "scenario.h"

typedef struct job_spec {
    const char *name;
    long tenths;
    bool fails;
} job_spec;

/* The task body; `arg` is its job_spec, `*result` its name. */
static inline int job(void *arg, intptr_t *result)
{
    const job_spec *spec = arg;
    int status = aw_sleep((double)spec->tenths / 10);
    if (status != AW_OK) {
        say("%s cancelled", spec->name);
        return status;
    }
    if (spec->fails) {
        say("%s fails", spec->name);
        return aw_raise(AW_EAPP, "%s failed", spec->name);
    }
    say("%s done", spec->name);
    *result = (intptr_t)spec->name;
    return AW_OK;
}

/* "children: a, cancelled, cancelled": each job's name, or that it was cancelled. */
static inline void say_children(aw_task *const *tasks, size_t n)
{
    char states[80] = "";
    for (size_t i = 0; i < n; i++)
        add_name(states, sizeof states,
                 aw_task_state_of(tasks[i]) == AW_TASK_CANCELLED
                     ? "cancelled"
                     : (const char *)aw_task_value(tasks[i]));
    say("children: %s", states);
}

#endif /* AWAITLAB_JOBS_H */
