/*
 * queue.c -- asyncio.Queue of intptr_t items: producers and consumers.
 *
 * The items sit in a ring buffer that grows (realloc, doubling) as needed,
 * so an unbounded queue costs memory only for what it holds.  Three FIFO
 * lists of tasks hang off the queue: getters (waiting for an item), putters
 * (waiting for room, when maxsize > 0) and joiners (waiting in join()).
 *
 * Items are handed over, never raced for.  A put() that finds a getter
 * waiting gives the item straight to it (the queue stays empty); a get()
 * that makes room in a full queue moves the first waiting putter's item in
 * behind the others at once.  So getters and putters are strictly FIFO:
 * a task arriving in the same instant cannot take an item or a free slot
 * meant for a task that has waited longer.  asyncio instead wakes the
 * waiter and lets it retry when it runs, which a newcomer may overtake;
 * the hand-off is the fairness asyncio gave Semaphore and Lock in 3.11.
 * Two consequences follow:
 *
 *   - a getter handed an item and cancelled before it runs gives the item
 *     back, to the next getter or to the front of the queue, so nothing is
 *     lost.  (The queue may then briefly hold more than maxsize items;
 *     puts wait until it is below again.)
 *   - a putter whose item was moved in has completed its put: if it is
 *     cancelled before it runs, put() still returns AW_OK -- the item is in
 *     the queue and will be consumed -- and the cancellation is reported by
 *     the task's next suspension point.  (asyncio's woken putter, cancelled
 *     then, does not put its item.)
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

/* What a parked getter or putter keeps on its stack: the item moving. */
typedef struct queue_wait {
    aw_queue *queue;
    intptr_t item;
} queue_wait;

/* ----------------------------------------------------------------------- */
/* The ring buffer and the trace                                             */
/* ----------------------------------------------------------------------- */

/* Tasks in a waiter list; only counted when someone reads the trace. */
static long count_waiters(const aw__link *list)
{
    long n = 0;
    for (const aw__link *l = list->next; l != list; l = l->next)
        n++;
    return n;
}

/* Depth against maxsize; the waiters are the blocked getters and putters. */
static void trace_state(const aw_queue *queue)
{
    if (aw__trace_on())
        aw__trace_resource("queue", queue->name, (long)queue->count, queue->maxsize,
                           count_waiters(&queue->getters) + count_waiters(&queue->putters),
                           0);
}

static bool is_full(const aw_queue *queue)
{
    return queue->maxsize > 0 && queue->count >= (size_t)queue->maxsize;
}

/*
 * Makes room for one more item: grows the buffer (doubling, but a bounded
 * queue never past maxsize unless a given-back item overfills it) and, if
 * the ring had wrapped round, moves its front part to the new end.
 */
static int grow_if_full(aw_queue *queue)
{
    size_t old = queue->capacity;
    if (queue->count < old)
        return AW_OK;
    size_t capacity = old ? old * 2 : 16;
    if (queue->maxsize > 0 && capacity > (size_t)queue->maxsize &&
        queue->count < (size_t)queue->maxsize)
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
    queue->items[(queue->head + queue->count) % queue->capacity] = item;
    queue->count++;
    note_depth(queue);
    return AW_OK;
}

/* Puts an item back where the next get() takes it from. */
static int push_front(aw_queue *queue, intptr_t item)
{
    int status = grow_if_full(queue);
    if (status != AW_OK)
        return status;
    queue->head = (queue->head + queue->capacity - 1) % queue->capacity;
    queue->items[queue->head] = item;
    queue->count++;
    note_depth(queue);
    return AW_OK;
}

static intptr_t pop_front(aw_queue *queue)
{
    intptr_t item = queue->items[queue->head];
    queue->head = (queue->head + 1) % queue->capacity;
    queue->count--;
    return item;
}

/* ----------------------------------------------------------------------- */
/* Hand-offs                                                                 */
/* ----------------------------------------------------------------------- */

static aw_task *first_waiter(aw__link *list)
{
    aw__link *node = aw__list_pop_front(list);
    return node ? aw__container_of(node, aw_task, wait_link) : NULL;
}

/* Gives the item to the first waiting getter; false if none waits. */
static bool hand_to_getter(aw_queue *queue, intptr_t item)
{
    aw_task *getter = first_waiter(&queue->getters);
    if (!getter)
        return false;
    ((queue_wait *)getter->wait->data)->item = item;
    getter->granted = true;
    aw__wake(getter, AW_OK);
    return true;
}

/* While there is room, moves waiting putters' items in, in their order. */
static void admit_putters(aw_queue *queue)
{
    while (!is_full(queue) && !aw__list_empty(&queue->putters)) {
        aw_task *putter = aw__container_of(queue->putters.next, aw_task, wait_link);
        if (push_back(queue, ((queue_wait *)putter->wait->data)->item) != AW_OK)
            return; /* out of memory: it keeps waiting, nothing is lost */
        aw__list_remove(&putter->wait_link);
        queue->unfinished++; /* its put is done from this moment */
        putter->granted = true;
        aw__wake(putter, AW_OK);
    }
}

/* Wakes every task in `list` with `status`. */
static void wake_all(aw__link *list, int status)
{
    aw_task *task;
    while ((task = first_waiter(list)) != NULL)
        aw__wake(task, status);
}

/* ----------------------------------------------------------------------- */
/* Waiting                                                                   */
/* ----------------------------------------------------------------------- */

static void queue_detach(aw_task *task)
{
    if (!aw__linked(&task->wait_link))
        return;
    aw__list_remove(&task->wait_link);
    trace_state(((queue_wait *)task->wait->data)->queue);
}

static void queue_on_cancel(aw_task *task)
{
    queue_detach(task);
    aw__wake(task, AW_ECANCELLED);
}

/* Parks the running task in `list` until a hand-off or a failure. */
static int park(aw_queue *queue, aw__link *list, queue_wait *qw)
{
    aw_task *self = aw__current();
    self->granted = false;
    aw__list_push_back(list, &self->wait_link);
    trace_state(queue);
    aw__wait wait = {.on = "queue", .name = queue->name, .on_cancel = queue_on_cancel,
                     .detach = queue_detach, .data = qw};
    int status = aw__suspend(&wait);
    queue_detach(self); /* still queued only if we never parked */
    return status;
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
    if (is_full(queue)) /* putters wait only while it is full: none to overtake */
        return aw_raise(AW_EFULL, "queue '%s' is full (maxsize %ld)", queue->name,
                        queue->maxsize);
    if (!hand_to_getter(queue, item)) {
        int status = push_back(queue, item);
        if (status != AW_OK)
            return status;
    }
    queue->unfinished++;
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
    if (queue->shut_down)
        return shut_down_error(queue);
    if (!is_full(queue))
        return aw_queue_put_nowait(queue, item);

    queue_wait qw = {.queue = queue, .item = item};
    int status = park(queue, &queue->putters, &qw);
    if (self->granted) { /* moved in by a get(): the put is done */
        self->granted = false;
        return AW_OK;
    }
    if (status == AW_ESHUTDOWN)
        return shut_down_error(queue);
    return status != AW_OK ? status : AW_ECANCELLED;
}

/* Takes the front item; the room it leaves goes to the first putter. */
static intptr_t take(aw_queue *queue)
{
    intptr_t item = pop_front(queue);
    admit_putters(queue);
    trace_state(queue);
    return item;
}

int aw_queue_get_nowait(aw_queue *queue, intptr_t *item)
{
    if (!queue || !item)
        return AW_EINVAL;
    if (queue->count == 0)
        return queue->shut_down ? shut_down_error(queue)
                                : aw_raise(AW_EEMPTY, "queue '%s' is empty", queue->name);
    *item = take(queue);
    return AW_OK;
}

int aw_queue_get(aw_queue *queue, intptr_t *item)
{
    aw_task *self = aw__current();
    if (!self || !queue || !item)
        return self ? AW_EINVAL : AW_ESTATE;
    if (aw__cancel_pending(self))
        return AW_ECANCELLED;
    if (queue->count > 0 || queue->shut_down)
        return aw_queue_get_nowait(queue, item);

    queue_wait qw = {.queue = queue};
    int status = park(queue, &queue->getters, &qw);
    if (self->granted) {
        self->granted = false;
        if (aw__cancel_pending(self)) { /* handed an item, then cancelled */
            if (!hand_to_getter(queue, qw.item) && push_front(queue, qw.item) != AW_OK) {
                /* No memory to put it back: keep it rather than lose it. */
                *item = qw.item;
                return AW_OK;
            }
            trace_state(queue);
            return AW_ECANCELLED;
        }
        *item = qw.item;
        return AW_OK;
    }
    if (status == AW_ESHUTDOWN)
        return shut_down_error(queue);
    return status != AW_OK ? status : AW_ECANCELLED;
}

int aw_queue_task_done(aw_queue *queue)
{
    if (!queue)
        return AW_EINVAL;
    if (queue->unfinished == 0)
        return aw_raise(AW_EINVAL, "task_done() called too many times");
    if (--queue->unfinished == 0)
        wake_all(&queue->joiners, AW_OK);
    return AW_OK;
}

static void join_detach(aw_task *task)
{
    if (aw__linked(&task->wait_link))
        aw__list_remove(&task->wait_link);
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

    aw__list_push_back(&queue->joiners, &self->wait_link);
    aw__wait wait = {.on = "queue", .name = queue->name, .on_cancel = join_on_cancel,
                     .detach = join_detach, .data = queue};
    /* AW_ECANCELLED also when cancelled after being woken, before it ran. */
    int status = aw__suspend(&wait);
    join_detach(self); /* still queued only if we never parked */
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
            wake_all(&queue->joiners, AW_OK);
    }
    wake_all(&queue->getters, AW_ESHUTDOWN); /* the queue is empty if any wait */
    wake_all(&queue->putters, AW_ESHUTDOWN);
    trace_state(queue);
}

size_t aw_queue_size(const aw_queue *queue) { return queue->count; }
bool aw_queue_empty(const aw_queue *queue) { return queue->count == 0; }
bool aw_queue_full(const aw_queue *queue) { return is_full(queue); }
