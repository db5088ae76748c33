/*
 * queue.c -- asyncio.Queue of intptr_t items: producers and consumers.
 *
 * The items sit in a ring buffer that grows (realloc, doubling) as needed,
 * so an unbounded queue costs memory only for what it holds.  Three FIFO
 * lists of tasks hang off the queue: getters (waiting for an item), putters
 * (waiting for room, when maxsize > 0) and joiners (waiting in join()).
 *
 * The waiting follows asyncio.Queue step for step, because the difference
 * shows in a timeline.  A put() wakes the getter that has waited longest
 * (takes it off the list and sets its `granted` flag); the item stays in
 * the queue, and the getter takes it when it runs.  A get() that makes room
 * wakes the first putter the same way.  A woken task checks again when it
 * runs, and if a task that asked in the same instant got there first (a
 * get_nowait() right after the put, say) it waits again, at the back of
 * the line -- asyncio's queue is FIFO in whom it wakes, not a hand-off like
 * its Semaphore and Lock.
 *
 * A woken getter or putter that is cancelled before it runs passes its
 * wake-up on to the next in line if the item (or the room) is still there,
 * so nothing is stranded; a putter cancelled that way does not put its
 * item.  asyncio does exactly this.
 *
 * join() waits until every item put has been matched by task_done(): the
 * count of unfinished items goes up with each put and down with each
 * task_done().  shutdown() is Python 3.13's: puts fail with AW_ESHUTDOWN,
 * blocked ones too; gets take what is left, then fail the same way, and
 * getters blocked on the empty queue fail at once; shutdown(immediate)
 * also drops what is left, counting each item as done, so join() returns
 * once the items already taken are done.
 *
 * Like every suspension point, put(), get() and join() return AW_ECANCELLED
 * at once when the task is cancelled, even if they would not have to wait
 * (cancel.c explains why).  The _nowait() variants never suspend and never
 * look at cancellation.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* ----------------------------------------------------------------------- */
/* The ring buffer and the trace                                             */
/* ----------------------------------------------------------------------- */

/* Depth against maxsize; the waiters are the blocked getters and putters. */
static void trace_state(const aw_queue *queue)
{
    if (aw__trace_on())
        aw__trace_resource("queue", queue->name, (long)queue->count, queue->maxsize,
                           queue->blocked,
                           0);
}

static bool is_full(const aw_queue *queue)
{
    return queue->maxsize > 0 && queue->count >= (size_t)queue->maxsize;
}

/*
 * Makes room for one more item: grows the buffer (doubling, but a bounded
 * queue never past maxsize) and, if the ring had wrapped round, moves its
 * front part to the new end.
 */
static int grow_if_full(aw_queue *queue)
{
    size_t old = queue->capacity;
    if (queue->count < old)
        return AW_OK;
    size_t capacity = old ? old * 2 : 16;
    if (queue->maxsize > 0 && capacity > (size_t)queue->maxsize)
        capacity = (size_t)queue->maxsize;
    intptr_t *items = realloc(queue->items, capacity * sizeof *items);
    if (!items)
        return aw_raise(AW_ENOMEM, "queue '%s': out of memory for %zu items",
                        queue->name, capacity);
    if (queue->head > 0) { /* full and wrapped: [head, old) holds the front */
        size_t front = old - queue->head;
        memmove(items + capacity - front, items + queue->head, front * sizeof *items);
        queue->head = capacity - front;
    }
    queue->items = items;
    queue->capacity = capacity;
    return AW_OK;
}

static void note_depth(aw_queue *queue)
{
    if (queue->count > queue->peak)
        queue->peak = queue->count;
}

static int push_back(aw_queue *queue, intptr_t item)
{
    int status = grow_if_full(queue);
    if (status != AW_OK)
        return status;
    size_t tail = queue->head + queue->count; /* no %: a division per item */
    queue->items[tail < queue->capacity ? tail : tail - queue->capacity] = item;
    queue->count++;
    note_depth(queue);
    return AW_OK;
}

static intptr_t pop_front(aw_queue *queue)
{
    intptr_t item = queue->items[queue->head];
    if (++queue->head == queue->capacity)
        queue->head = 0;
    queue->count--;
    return item;
}

/* ----------------------------------------------------------------------- */
/* Waiting                                                                   */
/* ----------------------------------------------------------------------- */

static bool is_empty(const aw_queue *queue) { return queue->count == 0; }

/*
 * Wakes the task that has waited longest in `list` to try again (asyncio's
 * _wakeup_next).  It leaves the list now; `granted` tells it it was woken.
 */
static void wake_next(aw__link *list)
{
    aw_task *task = aw__wait_pop(list);
    if (task) {
        task->granted = true;
        aw__wake(task, AW_OK);
    }
}

static void wake_all(aw__link *list)
{
    while (!aw__list_empty(list))
        wake_next(list);
}

static void queue_detach(aw_task *task)
{
    if (aw__wait_dequeue(task))
        trace_state(task->wait->data);
}

static void queue_on_cancel(aw_task *task)
{
    queue_detach(task);
    aw__wake(task, AW_ECANCELLED);
}

/*
 * One wait in `list` for a wake-up.  Returns AW_OK when woken, to check
 * again, or AW_ECANCELLED.  A task woken and then cancelled before it ran
 * hands its wake-up to the next in line if `still_blocked` no longer holds
 * -- the item or the room it was woken for is still there.
 */
static int park(aw_queue *queue, aw__link *list, bool (*still_blocked)(const aw_queue *))
{
    aw_task *self = aw__current();
    self->granted = false;
    aw__wait_enqueue(list, &queue->blocked, self);
    trace_state(queue);
    aw__wait wait = {.on = "queue", .name = queue->name, .on_cancel = queue_on_cancel,
                     .detach = queue_detach, .data = queue};
    int status = aw__suspend(&wait);
    bool woken = self->granted;
    self->granted = false;
    queue_detach(self); /* still queued only if we never parked */
    if (status == AW_OK && !aw__cancel_pending(self))
        return AW_OK;
    if (woken && !still_blocked(queue))
        wake_next(list);
    return AW_ECANCELLED;
}

/* ----------------------------------------------------------------------- */
/* The API                                                                   */
/* ----------------------------------------------------------------------- */

int aw_queue_init(aw_queue *queue, long maxsize, const char *name)
{
    if (!queue)
        return AW_EINVAL;
    memset(queue, 0, sizeof *queue);
    queue->maxsize = maxsize > 0 ? maxsize : 0;
    queue->name = name ? name : "queue";
    aw__list_init(&queue->getters);
    aw__list_init(&queue->putters);
    aw__list_init(&queue->joiners);
    return AW_OK;
}

/* Frees the buffer; no task may be waiting on the queue any more. */
void aw_queue_dispose(aw_queue *queue)
{
    if (!queue)
        return;
    free(queue->items);
    queue->items = NULL;
    queue->capacity = queue->head = queue->count = 0;
}

static int shut_down_error(const aw_queue *queue)
{
    return aw_raise(AW_ESHUTDOWN, "queue '%s' is shut down", queue->name);
}

int aw_queue_put_nowait(aw_queue *queue, intptr_t item)
{
    if (!queue)
        return AW_EINVAL;
    if (queue->shut_down)
        return shut_down_error(queue);
    if (is_full(queue))
        return aw_raise(AW_EFULL, "queue '%s' is full (maxsize %ld)", queue->name,
                        queue->maxsize);
    int status = push_back(queue, item);
    if (status != AW_OK)
        return status;
    queue->unfinished++;
    wake_next(&queue->getters);
    trace_state(queue);
    return AW_OK;
}

int aw_queue_put(aw_queue *queue, intptr_t item)
{
    aw_task *self = aw__current();
    if (!self || !queue)
        return self ? AW_EINVAL : AW_ESTATE;
    if (aw__cancel_pending(self))
        return AW_ECANCELLED;
    while (is_full(queue)) {
        if (queue->shut_down)
            return shut_down_error(queue);
        int status = park(queue, &queue->putters, is_full);
        if (status != AW_OK)
            return status;
    }
    return aw_queue_put_nowait(queue, item);
}

int aw_queue_get_nowait(aw_queue *queue, intptr_t *item)
{
    if (!queue || !item)
        return AW_EINVAL;
    if (is_empty(queue))
        return queue->shut_down ? shut_down_error(queue)
                                : aw_raise(AW_EEMPTY, "queue '%s' is empty", queue->name);
    *item = pop_front(queue);
    wake_next(&queue->putters);
    trace_state(queue);
    return AW_OK;
}

int aw_queue_get(aw_queue *queue, intptr_t *item)
{
    aw_task *self = aw__current();
    if (!self || !queue || !item)
        return self ? AW_EINVAL : AW_ESTATE;
    if (aw__cancel_pending(self))
        return AW_ECANCELLED;
    while (is_empty(queue)) {
        if (queue->shut_down)
            return shut_down_error(queue);
        int status = park(queue, &queue->getters, is_empty);
        if (status != AW_OK)
            return status;
    }
    return aw_queue_get_nowait(queue, item);
}

int aw_queue_task_done(aw_queue *queue)
{
    if (!queue)
        return AW_EINVAL;
    if (queue->unfinished == 0)
        return aw_raise(AW_EINVAL, "task_done() called too many times");
    if (--queue->unfinished == 0)
        wake_all(&queue->joiners);
    return AW_OK;
}

static void join_detach(aw_task *task)
{
    aw__wait_dequeue(task);
}

static void join_on_cancel(aw_task *task)
{
    join_detach(task);
    aw__wake(task, AW_ECANCELLED);
}

int aw_queue_join(aw_queue *queue)
{
    aw_task *self = aw__current();
    if (!self || !queue)
        return self ? AW_EINVAL : AW_ESTATE;
    if (aw__cancel_pending(self))
        return AW_ECANCELLED;
    if (queue->unfinished == 0)
        return AW_OK;

    aw__wait_enqueue(&queue->joiners, &queue->joining, self);
    aw__wait wait = {.on = "queue", .name = queue->name, .on_cancel = join_on_cancel,
                     .detach = join_detach, .data = queue};
    int status = aw__suspend(&wait);
    join_detach(self); /* still queued only if we never parked */
    if (status == AW_OK && aw__cancel_pending(self))
        return AW_ECANCELLED; /* cancelled after being woken, before it ran */
    return status;
}

void aw_queue_shutdown(aw_queue *queue, bool immediate)
{
    if (!queue)
        return;
    queue->shut_down = true;
    if (immediate) {
        size_t dropped = queue->count;
        queue->head = queue->count = 0;
        queue->unfinished -= dropped < queue->unfinished ? dropped : queue->unfinished;
        if (queue->unfinished == 0)
            wake_all(&queue->joiners);
    }
    wake_all(&queue->getters); /* to check again, and find it shut down */
    wake_all(&queue->putters);
    trace_state(queue);
}

size_t aw_queue_size(const aw_queue *queue) { return queue->count; }
bool aw_queue_empty(const aw_queue *queue) { return queue->count == 0; }
bool aw_queue_full(const aw_queue *queue) { return is_full(queue); }
