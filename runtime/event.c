/*
 * event.c -- asyncio.Event: a flag that tasks can wait for.
 *
 * An event is a flag and a FIFO list of the tasks waiting for it to be set.
 * aw_event_set() wakes every task waiting at that moment, in the order they
 * began to wait, and empties the list -- so a clear() that follows at once
 * takes nothing back from them: they were woken by the set, and their
 * aw_event_wait() returns AW_OK whatever the flag says when they run.  This
 * is what asyncio does.  Waiting on an event that is already set returns at
 * once without suspending (asyncio: no yield either).
 *
 * A woken waiter that is cancelled before it runs gets AW_ECANCELLED, as in
 * asyncio, where the pending cancellation is thrown into the task at that
 * await.  Like every suspension point, wait returns AW_ECANCELLED at once
 * when the task is cancelled, even on a set event (cancel.c explains why).
 */
#include "internal.h"

static void trace_state(const aw_event *event)
{
    if (aw__trace_on())
        aw__trace_resource("event", event->name, event->is_set ? 1 : 0, 0,
                           event->waiting, 0);
}

void aw_event_init(aw_event *event, const char *name)
{
    if (!event)
        return;
    aw__list_init(&event->waiters);
    event->waiting = 0;
    event->is_set = false;
    event->name = name ? name : "event";
}

void aw_event_set(aw_event *event)
{
    if (!event || event->is_set)
        return;
    event->is_set = true;
    aw_task *task;
    while ((task = aw__wait_pop(&event->waiters)) != NULL)
        aw__wake(task, AW_OK);
    trace_state(event);
}

void aw_event_clear(aw_event *event)
{
    if (!event || !event->is_set)
        return;
    event->is_set = false;
    trace_state(event);
}

bool aw_event_is_set(const aw_event *event) { return event->is_set; }

static void event_detach(aw_task *task)
{
    if (aw__wait_dequeue(task))
        trace_state(task->wait->data);
}

static void event_on_cancel(aw_task *task)
{
    event_detach(task);
    aw__wake(task, AW_ECANCELLED);
}

/* Waits until the event is set; AW_OK, or AW_ECANCELLED. */
int aw_event_wait(aw_event *event)
{
    aw_task *self = aw__current();
    if (!self || !event)
        return self ? AW_EINVAL : AW_ESTATE;
    if (aw__cancel_pending(self))
        return AW_ECANCELLED;
    if (event->is_set)
        return AW_OK;

    aw__wait_enqueue(&event->waiters, &event->waiting, self);
    trace_state(event);
    aw__wait wait = {.on = "event", .name = event->name, .on_cancel = event_on_cancel,
                     .detach = event_detach, .data = event};
    int status = aw__suspend(&wait);
    event_detach(self); /* still queued only if we never parked */
    if (status == AW_OK && aw__cancel_pending(self))
        return AW_ECANCELLED; /* cancelled after set() woke it, before it ran */
    return status;
}
