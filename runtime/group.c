/*
 * group.c -- task groups: asyncio.TaskGroup, structured concurrency.
 *
 * A group is a cancel scope around the body of `async with TaskGroup()`
 * plus the list of children spawned into it.  The rules, all asyncio's:
 *
 *   - the first child to fail makes the group abort: every unfinished child
 *     is cancelled, and so is the body (its scope is cancelled, so its next
 *     suspension inside the group returns AW_ECANCELLED);
 *   - the group hears of a child's end through a done callback, in a turn
 *     of its own after the child ended (asyncio's _on_task_done): a body
 *     whose await completed in the same instant runs that step first;
 *   - aw_group_end() waits for every child, however the body ended;
 *   - every error is kept, in completion order -- including errors children
 *     raise while being cancelled -- and the body's own error comes last;
 *   - children that finished before the failure keep their results, and a
 *     child that ends cancelled adds no error.
 */
#include "internal.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void aw_group_begin(aw_group *group)
{
    memset(group, 0, sizeof *group);
    aw__list_init(&group->children);
    if (aw__current())
        aw__scope_enter(&group->scope);
}

static void add_error(aw_group *group, const aw_error *error)
{
    if (group->error_count == group->error_capacity) {
        size_t capacity = group->error_capacity ? group->error_capacity * 2 : 4;
        aw_error *errors = realloc(group->errors, capacity * sizeof *errors);
        if (!errors)
            return; /* the count of failures below is still right */
        group->errors = errors;
        group->error_capacity = capacity;
    }
    group->errors[group->error_count++] = *error;
}

/*
 * Cancels every unfinished child, and the body if it is still inside.
 * `cause` is the task whose failure or cancellation started it: the trace
 * says the children were cancelled by it.
 */
static void abort_group(aw_group *group, aw_task *cause)
{
    if (group->shutting_down)
        return;
    group->shutting_down = true;
    for (aw__link *l = group->children.next; l != &group->children; l = l->next)
        aw__cancel_for(aw__container_of(l, aw_task, group_link), cause);
    if (!group->parent_waiting)
        aw__scope_cancel(&group->scope);
}

/* A child has finished: its done callback, registered at the spawn. */
static void child_done(aw__done_waiter *waiter, aw_task *child)
{
    aw_group *group = waiter->data;
    aw__list_remove(&child->group_link);
    group->unfinished--;
    if (child->state == AW_TASK_FAILED) {
        add_error(group, child->error);
        abort_group(group, child);
    }
    if (group->unfinished == 0 && group->parent_waiting)
        aw__wake(group->scope.task, AW_OK);
    if (child->released) /* its handle was given up while we were told */
        aw__task_free(child);
}

aw_task *aw_group_spawn(aw_group *group, aw_fn fn, void *arg, const char *name_format, ...)
{
    if (!aw__current() || !fn)
        return NULL;
    if (group->ended) {
        aw_raise(AW_ESTATE, "task group is finished: no new tasks can join it");
        return NULL;
    }
    if (group->shutting_down) {
        aw_raise(AW_ESTATE, "task group is shutting down: no new tasks can join it");
        return NULL;
    }
    va_list ap;
    va_start(ap, name_format);
    aw_task *task = aw__task_new(fn, arg, name_format, &ap);
    va_end(ap);
    if (!task)
        return NULL;
    task->group_waiter = (aw__done_waiter){.notify = child_done, .data = group};
    aw__task_on_done(task, &task->group_waiter);
    aw__list_push_back(&group->children, &task->group_link);
    group->unfinished++;
    return task;
}

/* If the body's task is cancelled while it waits for the children. */
static void end_on_cancel(aw_task *parent)
{
    abort_group(parent->wait->data, parent);
}

static void end_detach(aw_task *parent)
{
    ((aw_group *)parent->wait->data)->parent_waiting = false;
}

/* Waits, through any cancellation, until every child has finished. */
static void wait_for_children(aw_group *group)
{
    aw_task *self = group->scope.task;
    if (aw__cancel_pending(self))
        abort_group(group, self);
    while (group->unfinished > 0) {
        group->parent_waiting = true;
        aw__wait wait = {.on = "group", .on_cancel = end_on_cancel, .detach = end_detach,
                         .data = group, .keeps_waiting = true};
        aw__suspend(&wait);
        group->parent_waiting = false;
        if (aw__the_loop->deadlocked)
            break;
    }
}

int aw_group_end(aw_group *group, int body_status)
{
    aw_task *self = group->scope.task;
    if (!self || group->ended)
        return body_status;
    bool body_failed = body_status != AW_OK && body_status != AW_ECANCELLED;
    aw_error body_error = {.code = body_status};
    if (body_failed) {
        const aw_error *last = aw_last_error();
        if (last && last->code == body_status)
            body_error = *last; /* keeps its message and origin */
        else {
            snprintf(body_error.message, sizeof body_error.message, "%s",
                     aw_strerror(body_status));
            snprintf(body_error.origin, sizeof body_error.origin, "%s", self->name);
        }
        abort_group(group, self);
    }
    wait_for_children(group);
    aw__scope_exit(&group->scope);
    group->ended = true;
    if (body_failed)
        add_error(group, &body_error);
    if (group->error_count > 0)
        return aw_raise(AW_EGROUP, "%zu task(s) of the group failed; first: %s",
                        group->error_count, group->errors[0].message);
    if (aw__cancel_pending(self) || body_status == AW_ECANCELLED)
        return AW_ECANCELLED;
    return AW_OK;
}

size_t aw_group_error_count(const aw_group *group)
{
    return group->error_count;
}

const aw_error *aw_group_error(const aw_group *group, size_t i)
{
    return i < group->error_count ? &group->errors[i] : NULL;
}

void aw_group_dispose(aw_group *group)
{
    free(group->errors);
    group->errors = NULL;
    group->error_count = group->error_capacity = 0;
}
