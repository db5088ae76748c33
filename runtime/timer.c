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
 */
#include "internal.h"

#include <stdlib.h>

static struct {
    aw__timer **items;
    size_t count;
    size_t capacity;
} heap;

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

void aw__timer_arm(aw__timer *timer, int64_t deadline_ns)
{
    if (aw__timer_armed(timer))
        aw__timer_disarm(timer);
    if (heap.count == heap.capacity) {
        size_t capacity = heap.capacity ? heap.capacity * 2 : 64;
        aw__timer **items = realloc(heap.items, capacity * sizeof *items);
        if (!items) {
            fprintf(stderr, "awaitlab: out of memory for timers\n");
            abort();
        }
        heap.items = items;
        heap.capacity = capacity;
    }
    timer->deadline_ns = deadline_ns;
    timer->seq = aw__the_loop->timer_seq++;
    heap.items[heap.count] = timer;
    sift_up(heap.count++);
}

bool aw__timer_armed(const aw__timer *timer)
{
    return timer->heap_index != SIZE_MAX;
}

void aw__timer_disarm(aw__timer *timer)
{
    size_t index = timer->heap_index;
    if (index == SIZE_MAX)
        return;
    timer->heap_index = SIZE_MAX;
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
    return heap.count ? heap.items[0]->deadline_ns : INT64_MAX;
}

/* Fires, in deadline order, every timer whose deadline is not after now. */
void aw__timers_fire_due(int64_t now_ns)
{
    while (heap.count && heap.items[0]->deadline_ns <= now_ns) {
        aw__timer *timer = heap.items[0];
        aw__timer_disarm(timer);
        timer->fire(timer);
    }
}

void aw__timers_free(void)
{
    free(heap.items);
    heap.items = NULL;
    heap.count = heap.capacity = 0;
}
