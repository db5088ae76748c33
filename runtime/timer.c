/*
 * timer.c -- the one timer heap.
 *
 * Every deadline in the runtime (a sleeping task, later a timeout) is an
 * aw__timer embedded in the object it belongs to, so arming a timer never
 * allocates -- the same trick as libuv's timer.c.  The heap is a binary
 * min-heap of pointers ordered by (deadline, seq): `seq` grows with every
 * arm, so timers with equal deadlines fire in the order they were armed.
 * That tie-break is what makes a virtual-time run produce the same trace
 * every time.
 *
 * Each timer remembers its index in the heap, so disarming one (a sleeping
 * task that is cancelled) is O(log n) instead of a search.
 *
 * A timer that falls due does not wake anything itself: like asyncio's
 * TimerHandle, it takes its turn in the ready queue (its `due` callback),
 * and what it wakes runs in the turn after.  A sleep and a timeout thus
 * take the same number of turns to reach their tasks, and timers due
 * together reach them in the order they were armed.
 *
 * Most programs arm timers in deadline order: a thousand tasks each sleep
 * 1 s, or each get the same timeout, one after another.  Such a timer would
 * cost the heap nothing to insert but a walk down the whole tree to remove,
 * touching one timer per level -- each a cache miss once there are a
 * million.  So a timer whose deadline is not earlier than that of the last
 * timer in the *run* is appended to the run instead: a FIFO list that is
 * sorted because of how it was built.  The next timer due is the earlier
 * of the heap's top and the run's head, by the same (deadline, seq) order,
 * so nothing fires in a different order than with the heap alone.
 *
 * The run is also where a timer goes when the heap cannot grow for want of
 * memory: at its place in (deadline, seq) order, found by a walk.  Slower,
 * but arming a timer then still never fails -- a program short of memory
 * gets slower timers, not an abort.
 */
#include "internal.h"

#include <stdlib.h>

static struct {
    aw__timer **items;
    size_t count;
    size_t capacity;
} heap;

/* The run: timers in (deadline, seq) order, earliest first. */
static aw__link run = {&run, &run};

enum { IN_RUN = SIZE_MAX - 1 }; /* heap_index of a timer in the run */

static bool earlier(const aw__timer *a, const aw__timer *b)
{
    if (a->deadline_ns != b->deadline_ns)
        return a->deadline_ns < b->deadline_ns;
    return a->seq < b->seq;
}

static void place(size_t index, aw__timer *timer)
{
    heap.items[index] = timer;
    timer->heap_index = index;
}

static void sift_up(size_t index)
{
    aw__timer *timer = heap.items[index];
    while (index > 0) {
        size_t parent = (index - 1) / 2;
        if (!earlier(timer, heap.items[parent]))
            break;
        place(index, heap.items[parent]);
        index = parent;
    }
    place(index, timer);
}

static void sift_down(size_t index)
{
    aw__timer *timer = heap.items[index];
    for (;;) {
        size_t child = 2 * index + 1;
        if (child >= heap.count)
            break;
        if (child + 1 < heap.count && earlier(heap.items[child + 1], heap.items[child]))
            child++;
        if (!earlier(heap.items[child], timer))
            break;
        place(index, heap.items[child]);
        index = child;
    }
    place(index, timer);
}

static aw__timer *run_head(void)
{
    return aw__list_empty(&run) ? NULL : aw__container_of(run.next, aw__timer, run_link);
}

static aw__timer *run_tail(void)
{
    return aw__list_empty(&run) ? NULL : aw__container_of(run.prev, aw__timer, run_link);
}

/* The timer due first, or NULL. */
static aw__timer *first_due(void)
{
    aw__timer *top = heap.count ? heap.items[0] : NULL;
    aw__timer *head = run_head();
    if (top == NULL)
        return head;
    if (head == NULL)
        return top;
    return earlier(head, top) ? head : top;
}

/* Makes room for one more timer in the heap; false if memory is out. */
static bool heap_has_room(void)
{
    if (heap.count < heap.capacity)
        return true;
    size_t capacity = heap.capacity ? heap.capacity * 2 : 64;
    aw__timer **items = realloc(heap.items, capacity * sizeof *items);
    if (!items)
        return false;
    heap.items = items;
    heap.capacity = capacity;
    return true;
}

/* Puts the timer into the run at its place: after every timer due no later. */
static void insert_into_run(aw__timer *timer)
{
    aw__link *before = &run; /* the timer goes just before this node */
    while (before->prev != &run &&
           aw__container_of(before->prev, aw__timer, run_link)->deadline_ns > timer->deadline_ns)
        before = before->prev;
    timer->heap_index = IN_RUN;
    aw__list_push_back(before, &timer->run_link);
}

void aw__timer_arm(aw__timer *timer, int64_t deadline_ns)
{
    if (aw__timer_armed(timer))
        aw__timer_disarm(timer);
    timer->deadline_ns = deadline_ns;
    timer->seq = aw__the_loop->timer_seq++;
    aw__timer *tail = run_tail();
    bool in_order = tail == NULL || tail->deadline_ns <= deadline_ns;
    if (in_order || !heap_has_room()) {
        insert_into_run(timer); /* in order: at the end, at once */
        return;
    }
    heap.items[heap.count] = timer;
    sift_up(heap.count++);
}

/* Armed: in the heap or the run, or due and waiting for its turn. */
bool aw__timer_armed(const aw__timer *timer)
{
    return timer->heap_index != SIZE_MAX || aw__linked(&timer->due.link);
}

void aw__timer_disarm(aw__timer *timer)
{
    aw__call_soon_cancel(&timer->due); /* due, but not fired yet */
    size_t index = timer->heap_index;
    if (index == SIZE_MAX)
        return;
    timer->heap_index = SIZE_MAX;
    if (index == IN_RUN) {
        aw__list_remove(&timer->run_link);
        return;
    }
    aw__timer *last = heap.items[--heap.count];
    if (index == heap.count)
        return; /* it was the last one */
    place(index, last);
    if (index > 0 && earlier(last, heap.items[(index - 1) / 2]))
        sift_up(index);
    else
        sift_down(index);
}

int64_t aw__timer_next_deadline(void)
{
    aw__timer *first = first_due();
    return first ? first->deadline_ns : INT64_MAX;
}

static void fire(aw__callback *due)
{
    aw__timer *timer = aw__container_of(due, aw__timer, due);
    timer->fire(timer);
}

/* Queues, in (deadline, seq) order, every timer whose deadline is not after now. */
void aw__timers_fire_due(int64_t now_ns)
{
    aw__timer *timer;
    while ((timer = first_due()) != NULL && timer->deadline_ns <= now_ns) {
        aw__timer_disarm(timer);
        timer->due.run = fire;
        aw__call_soon(&timer->due);
    }
}

void aw__timers_free(void)
{
    free(heap.items);
    heap.items = NULL;
    heap.count = heap.capacity = 0;
    aw__list_init(&run);
}
