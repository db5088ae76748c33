/*
 * error.c -- errors as values.
 *
 * C has no exceptions, so a failure travels as a negative status returned up
 * the call chain.  To keep the message and the task it came from, the
 * runtime also records an aw_error in the running task: aw_raise() sets it,
 * and aw_await() / aw_gather() copy a failed task's error into the awaiter.
 * When a body returns a status equal to the code of that recorded error, the
 * task fails with that very error -- so `return status;` propagates an error
 * with its original message and origin, as `raise` without arguments would.
 */
#include "internal.h"

#include <stdarg.h>
#include <stdlib.h>

const char *aw_strerror(int code)
{
    switch (code) {
    case AW_OK:         return "ok";
    case AW_ECANCELLED: return "cancelled";
    case AW_ETIMEDOUT:  return "timed out";
    case AW_EINVAL:     return "invalid argument";
    case AW_ENOMEM:     return "out of memory";
    case AW_ESTATE:     return "called at the wrong time";
    case AW_EDEADLOCK:  return "deadlock: every task is waiting";
    case AW_EFULL:      return "queue full";
    case AW_EEMPTY:     return "queue empty";
    case AW_ESHUTDOWN:  return "queue shut down";
    case AW_EGROUP:     return "tasks of the group failed";
    case AW_EIO:        return "input/output error";
    case AW_ECONNECT:   return "could not connect";
    case AW_EDISCONNECTED: return "connection closed mid-response";
    case AW_EHTTP:      return "HTTP error status";
    case AW_ETOOBIG:    return "too large";
    default:            return code <= AW_EAPP ? "application error" : "unknown error";
    }
}

/*
 * The error for when memory runs out, made in advance: recording an error
 * costs a malloc, and raising "out of memory" must not need the memory that
 * ran out.  It is shared and read-only, so it names no task; tasks point at
 * it and never free it (aw__error_free).
 */
static const aw_error out_of_memory = {
    .code = AW_ENOMEM,
    .message = "out of memory",
    .origin = "awaitlab runtime",
};

aw_error *aw__error_new(const aw_error *error)
{
    aw_error *copy = malloc(sizeof *copy);
    if (!copy)
        return (aw_error *)&out_of_memory;
    *copy = *error;
    return copy;
}

void aw__error_free(aw_error *error)
{
    if (error != &out_of_memory)
        free(error);
}

void aw__task_set_last_error(aw_task *task, const aw_error *error)
{
    if (task->last_error && task->last_error != &out_of_memory)
        *task->last_error = *error;
    else
        task->last_error = aw__error_new(error);
}

int aw_raise(int code, const char *format, ...)
{
    aw_task *self = aw__current();
    if (!self)
        return code;
    aw_error error = {.code = code};
    va_list ap;
    va_start(ap, format);
    vsnprintf(error.message, sizeof error.message, format, ap);
    va_end(ap);
    snprintf(error.origin, sizeof error.origin, "%s", self->name);
    aw__task_set_last_error(self, &error);
    return code;
}

const aw_error *aw_last_error(void)
{
    aw_task *self = aw__current();
    return self ? self->last_error : NULL;
}
