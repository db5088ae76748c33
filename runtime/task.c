/*
 * task.c -- creating tasks, finishing them, and awaiting them.
 *
 * A task's life: aw_spawn() creates it and puts it in the ready queue.  The
 * loop gives it a stack the first time it runs and switches to it; it runs
 * aw__task_enter(), which calls the body.  When the body returns, the task
 * records its outcome, tells everyone who awaits it, and switches back to
 * the scheduler for the last time; the scheduler then returns its stack to
 * the pool.  The task structure itself lives on until the run ends or the
 * program releases its handle, so outcomes can be read at any time.
 */
#include "internal.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/*
 * Names the task straight into its struct.  A name without conversions
 * ("main", "worker") is copied; only a real format goes through vsnprintf,
 * which costs more than the rest of spawning a task.
 */
static void set_name(aw_task *task, const char *format, va_list *ap)
{
    if (ap != NULL && strchr(format, '%') != NULL) {
        vsnprintf(task->name, sizeof task->name, format, *ap);
        return;
    }
    size_t length = strnlen(format, sizeof task->name - 1);
    memcpy(task->name, format, length);
    task->name[length] = '\0';
}

/*
 * Spare task structs, kept for reuse as CPython keeps free lists of its
 * small objects: a program that spawns 100,000 tasks a round would
 * otherwise hand malloc 100,000 blocks to free and ask for them back, round
 * after round.  A spare is linked through its first word.  aw_run() frees
 * them all when it ends.
 *
 * Under AddressSanitizer or valgrind the list is not used: a reused struct
 * would hide a use of a released task handle, which those tools exist to
 * catch.
 */
static aw_task *spare_tasks;

static bool spares_allowed(void)
{
#if defined(AW_ASAN)
    return false;
#elif defined(AW_HAVE_VALGRIND)
    return !RUNNING_ON_VALGRIND;
#else
    return true;
#endif
}

static aw_task *task_alloc(void)
{
    aw_task *task = spare_tasks;
    if (task == NULL)
        return calloc(1, sizeof *task);
    spare_tasks = *(aw_task **)task;
    memset(task, 0, sizeof *task);
    return task;
}

static void task_dealloc(aw_task *task)
{
    if (!spares_allowed()) {
        free(task);
        return;
    }
    *(aw_task **)task = spare_tasks;
    spare_tasks = task;
}

void aw__task_spares_free(void)
{
    while (spare_tasks) {
        aw_task *task = spare_tasks;
        spare_tasks = *(aw_task **)task;
        free(task);
    }
}

aw_task *aw__task_new(aw_fn fn, void *arg, const char *name_format, va_list *ap)
{
    aw__loop *loop = aw__the_loop;
    aw_task *task = task_alloc();
    if (!task)
        return NULL;
    task->fn = fn;
    task->arg = arg;
    task->state = AW_TASK_PENDING;
    task->timer.heap_index = SIZE_MAX;
    task->step.run = aw__run_step;
    aw__list_init(&task->done_waiters);
    task->id = loop->next_task_id++;
    task->parent_id = loop->current ? loop->current->id : 0;
    set_name(task, name_format ? name_format : "task", ap);
    aw__list_push_back(&loop->all_tasks, &task->all_link);
    loop->live_tasks++;
    AW__TRACE(AW_EV_SPAWN, task->id, task->parent_id, 0, 0, task->name, NULL);
    aw__make_ready(task);
    return task;
}

aw_task *aw_spawn(aw_fn fn, void *arg, const char *name_format, ...)
{
    if (!aw__the_loop)
        return NULL;
    if (!fn) {
        aw_raise(AW_EINVAL, "aw_spawn: no function to run");
        return NULL;
    }
    va_list ap;
    va_start(ap, name_format);
    aw_task *task = aw__task_new(fn, arg, name_format, &ap);
    va_end(ap);
    if (!task) /* the caller learns why from aw_last_error(), as from any failure */
        aw_raise(AW_ENOMEM, "aw_spawn: out of memory for a task");
    return task;
}

void aw__task_free(aw_task *task)
{
    aw__list_remove(&task->all_link);
    aw__error_free(task->error);
    aw__error_free(task->last_error);
    task_dealloc(task);
}

void aw_task_release(aw_task *task)
{
    if (!task)
        return;
    if (task->state != AW_TASK_PENDING && !aw__linked(&task->group_waiter.delivery.link))
        aw__task_free(task); /* else freed once finished, and its group told */
    else
        task->released = true;
}

/* Turns the body's return status into the task's outcome. */
static void set_outcome(aw_task *task, int status, intptr_t value)
{
    if (status == AW_OK) {
        task->state = AW_TASK_OK;
        task->value = value;
    } else if (status == AW_ECANCELLED) {
        task->state = AW_TASK_CANCELLED;
    } else {
        task->state = AW_TASK_FAILED;
        aw_error error = {.code = status};
        if (task->last_error && task->last_error->code == status) {
            error = *task->last_error; /* keeps where it came from */
        } else {
            snprintf(error.message, sizeof error.message, "%s", aw_strerror(status));
            snprintf(error.origin, sizeof error.origin, "%s", task->name);
        }
        task->error = aw__error_new(&error);
    }
}

/* A done waiter's turn has come: tell it (asyncio runs a done callback). */
static void deliver(aw__callback *delivery)
{
    aw__done_waiter *waiter = aw__container_of(delivery, aw__done_waiter, delivery);
    waiter->notify(waiter, waiter->finished);
}

/* Tells `waiter` of the finished `task`, at once if direct, else in its turn. */
static void tell(aw__done_waiter *waiter, aw_task *task)
{
    if (waiter->direct) {
        waiter->notify(waiter, task);
        return;
    }
    waiter->finished = task;
    waiter->delivery.run = deliver;
    aw__call_soon(&waiter->delivery);
}

/*
 * asyncio's add_done_callback: `waiter` hears when `task` finishes -- and if
 * it has finished already, hears in the next turn, not at once.  That is
 * why gathering tasks that are all done still lets ready tasks run first.
 */
void aw__task_on_done(aw_task *task, aw__done_waiter *waiter)
{
    if (aw_task_done(task))
        tell(waiter, task);
    else
        aw__list_push_back(&task->done_waiters, &waiter->link);
}

/* asyncio's remove_done_callback: `waiter` will not be told, if not yet told. */
void aw__task_on_done_cancel(aw__done_waiter *waiter)
{
    if (aw__linked(&waiter->link))
        aw__list_remove(&waiter->link);
    aw__call_soon_cancel(&waiter->delivery);
}

/*
 * Records the outcome and tells the waiters, in the order they began to
 * wait (a task's group first: it registered at the spawn).  Runs on the
 * task's own stack (or in the scheduler, for a task cancelled before it
 * ever ran).
 */
void aw__task_finish(aw_task *task, int status, intptr_t value)
{
    set_outcome(task, status, value);
    aw__the_loop->live_tasks--;
    AW__TRACE(AW_EV_DONE, task->id, 0, status == AW_OK ? 0 : status,
              task->value, NULL, task->error);
    aw__link *node;
    while ((node = aw__list_pop_front(&task->done_waiters)) != NULL)
        tell(aw__container_of(node, aw__done_waiter, link), task);
}

void aw__task_enter(void)
{
    aw__fiber_started();
    aw_task *task = aw__the_loop->current;
    intptr_t value = 0;
    int status = task->fn(task->arg, &value);
    aw__task_finish(task, status, value);
    aw__switch_to_scheduler(task, true);
    abort(); /* a finished task is never resumed */
}

/* ----------------------------------------------------------------------- */
/* Outcomes                                                                  */
/* ----------------------------------------------------------------------- */

aw_task *aw_current(void) { return aw__current(); }
const char *aw_task_name(const aw_task *task) { return task->name; }
uint32_t aw_task_id(const aw_task *task) { return task->id; }
aw_task_state aw_task_state_of(const aw_task *task) { return task->state; }
bool aw_task_done(const aw_task *task) { return task->state != AW_TASK_PENDING; }

intptr_t aw_task_value(const aw_task *task)
{
    return task->state == AW_TASK_OK ? task->value : 0;
}

const aw_error *aw_task_error(const aw_task *task)
{
    return task->state == AW_TASK_FAILED ? task->error : NULL;
}

/*
 * The status a finished task hands to whoever awaits it; a failure is also
 * copied into the awaiter's last error, so that returning the status passes
 * the error on -- the C spelling of an exception propagating.
 */
int aw__task_outcome_status(aw_task *awaiter, const aw_task *finished)
{
    switch (finished->state) {
    case AW_TASK_OK:
        return AW_OK;
    case AW_TASK_FAILED:
        aw__task_set_last_error(awaiter, finished->error);
        return finished->error->code;
    default: {
        aw_error cancelled = {.code = AW_ECANCELLED};
        snprintf(cancelled.message, sizeof cancelled.message, "task '%s' was cancelled",
                 finished->name);
        snprintf(cancelled.origin, sizeof cancelled.origin, "%s", finished->name);
        aw__task_set_last_error(awaiter, &cancelled);
        return AW_ECANCELLED;
    }
    }
}

/* ----------------------------------------------------------------------- */
/* await                                                                     */
/* ----------------------------------------------------------------------- */

/* What a task awaiting another keeps on its own stack while it waits. */
typedef struct awaiting {
    aw__done_waiter waiter; /* in target->done_waiters */
    aw_task *target;
    bool passed_on;         /* our cancellation was passed to the target */
} awaiting;

static void await_notify(aw__done_waiter *waiter, aw_task *finished)
{
    (void)finished;
    aw__wake(waiter->data, AW_OK);
}

/* Cancelling `await t` cancels t and keeps waiting for it, as asyncio does. */
static void await_on_cancel(aw_task *self)
{
    awaiting *a = self->wait->data;
    a->passed_on = true;
    aw_cancel(a->target);
}

static void await_detach(aw_task *self)
{
    awaiting *a = self->wait->data;
    if (aw__linked(&a->waiter.link))
        aw__list_remove(&a->waiter.link);
}

int aw_await(aw_task *task)
{
    aw_task *self = aw__current();
    if (!self || !task)
        return AW_EINVAL;
    if (task == self)
        return aw_raise(AW_ESTATE, "task '%s' cannot await itself", self->name);
    if (!aw_task_done(task)) {
        awaiting a = {.waiter = {.notify = await_notify, .data = self, .direct = true},
                      .target = task};
        aw__wait wait = {.on = "task", .target = task->id, .on_cancel = await_on_cancel,
                         .detach = await_detach, .data = &a};
        aw__task_on_done(task, &a.waiter);
        int status = aw__suspend(&wait);
        if (aw__linked(&a.waiter.link)) /* not parked at all, or woken early */
            aw__list_remove(&a.waiter.link);
        if (!aw_task_done(task))
            return status; /* cancelled before it could wait */
        /*
         * Once our cancellation was passed on, the awaited task decides: if
         * it ignored the cancellation and returned a value, we get the value
         * (asyncio does the same).  Our next suspension still reports the
         * cancellation, which stays pending.
         */
        if (a.passed_on)
            return aw__task_outcome_status(self, task);
    }
    if (aw__cancel_pending(self))
        return AW_ECANCELLED;
    return aw__task_outcome_status(self, task);
}
