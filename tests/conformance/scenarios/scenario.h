/*
 * scenario.h -- what every conformance scenario program shares.
 *
 * A scenario is one behaviour of asyncio, written twice: here in C on the
 * runtime, and beside it in Python (NAME.py).  Both print a normalized log,
 * one event per line: the time in whole milliseconds, then what happened.
 * Both sides run on a virtual clock (the Python one is
 * chapters/awaitlab_clock.py), so the times are exact on any machine and
 * the two logs are compared exactly.
 */
#ifndef AWAITLAB_SCENARIO_H
#define AWAITLAB_SCENARIO_H

#include "awaitlab.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Prints "T text" with T = the virtual time in seconds, e.g. "0.500 a done". */
static inline void say(const char *format, ...) __attribute__((format(printf, 1, 2)));
static inline void say(const char *format, ...)
{
    printf("%.3f ", round(aw_now() * 1000) / 1000);
    va_list ap;
    va_start(ap, format);
    vprintf(format, ap);
    va_end(ap);
    putchar('\n');
}

/*
 * What asyncio raises where the runtime returns `status`, by name, or "ok"
 * for AW_OK: an outcome printed the way the Python side prints it.
 */
static inline const char *exception_name(int status)
{
    switch (status) {
    case AW_OK: return "ok";
    case AW_ECANCELLED: return "CancelledError";
    case AW_ETIMEDOUT: return "TimeoutError";
    case AW_EINVAL: return "ValueError";
    case AW_ESTATE: return "RuntimeError";
    case AW_EFULL: return "QueueFull";
    case AW_EEMPTY: return "QueueEmpty";
    case AW_ESHUTDOWN: return "QueueShutDown";
    default: return aw_strerror(status);
    }
}

/* Adds `name` to the list "a, b" in `list` (of `size` bytes). */
static inline void add_name(char *list, size_t size, const char *name)
{
    size_t used = strlen(list);
    snprintf(list + used, size - used, "%s%s", used ? ", " : "", name);
}

/* "done: a, b; pending: c", the way the Python side prints wait's two sets. */
static inline void say_done_pending(aw_task *const *tasks, size_t n)
{
    char done[40] = "", pending[40] = "";
    for (size_t i = 0; i < n; i++)
        add_name(aw_task_done(tasks[i]) ? done : pending, sizeof done, aw_task_name(tasks[i]));
    say("done: %s; pending: %s", done[0] ? done : "none", pending[0] ? pending : "none");
}

/* "cancelled: none", or the names of the cancelled tasks. */
static inline void say_cancelled(aw_task *const *tasks, size_t n)
{
    char cancelled[40] = "";
    for (size_t i = 0; i < n; i++)
        if (aw_task_state_of(tasks[i]) == AW_TASK_CANCELLED)
            add_name(cancelled, sizeof cancelled, aw_task_name(tasks[i]));
    say("cancelled: %s", cancelled[0] ? cancelled : "none");
}

/* "group errors: [e1, e2]": a task group's errors, in the order they happened. */
static inline void say_group_errors(const aw_group *group)
{
    char text[400] = "";
    size_t used = 0;
    for (size_t i = 0; i < aw_group_error_count(group) && used < sizeof text; i++)
        used += (size_t)snprintf(text + used, sizeof text - used, "%s%s", i ? ", " : "",
                                 aw_group_error(group, i)->message);
    say("group errors: [%s]", text);
}

/* Runs `main` on the virtual clock; the exit status says how aw_run ended. */
static inline int run_scenario(aw_fn main)
{
    aw_config config = {.clock = AW_CLOCK_VIRTUAL};
    int status = aw_run(main, NULL, &config, NULL);
    fflush(stdout);
    return status == AW_OK ? 0 : 1;
}

#endif /* AWAITLAB_SCENARIO_H */
