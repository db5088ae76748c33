/*
 * timer.c -- wake-ups at given times, on a thread of their own.
 *
 * One thread sleeps on a condition variable until the earliest armed
 * wake-up is due, pops it and fires it.  The wake-ups sit in a binary
 * min-heap ordered by (time, arming order): arming and popping cost
 * O(log n), which keeps a thousand concurrent /delay requests cheap.
 * Nothing is ever cancelled -- a suspended request cannot go away before
 * it is woken -- so the heap needs no back-pointers.
 */
#include "ls_timer.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>

uint64_t ls_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static bool ls_before(const ls_wakeup *a, const ls_wakeup *b)
{
    if (a->when_ns != b->when_ns)
        return a->when_ns < b->when_ns;
    return a->seq < b->seq;
}

static void ls_swap(ls_wakeup **heap, size_t i, size_t j)
{
    ls_wakeup *w = heap[i];
    heap[i] = heap[j];
    heap[j] = w;
}

static void ls_sift_up(ls_timer *t, size_t i)
{
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!ls_before(t->heap[i], t->heap[parent]))
            break;
        ls_swap(t->heap, i, parent);
        i = parent;
    }
}

static void ls_sift_down(ls_timer *t, size_t i)
{
    for (;;) {
        size_t least = i, left = 2 * i + 1, right = left + 1;
        if (left < t->len && ls_before(t->heap[left], t->heap[least]))
            least = left;
        if (right < t->len && ls_before(t->heap[right], t->heap[least]))
            least = right;
        if (least == i)
            return;
        ls_swap(t->heap, i, least);
        i = least;
    }
}

/* Removes and returns the earliest wake-up; the heap must not be empty. */
static ls_wakeup *ls_pop(ls_timer *t)
{
    ls_wakeup *top = t->heap[0];
    t->heap[0] = t->heap[--t->len];
    ls_sift_down(t, 0);
    return top;
}

static struct timespec ls_timespec(uint64_t ns)
{
    return (struct timespec){.tv_sec = (time_t)(ns / 1000000000u),
                             .tv_nsec = (long)(ns % 1000000000u)};
}

/*
 * The thread: fire what is due, then sleep until the next is due or the
 * heap changes.  Callbacks run without the lock, so a callback that takes
 * other locks (MHD's, when it resumes a connection) cannot deadlock with a
 * request thread that holds them while arming.
 */
static void *ls_timer_main(void *arg)
{
    ls_timer *t = arg;
    pthread_mutex_lock(&t->lock);
    while (!t->stopping) {
        if (t->len == 0) {
            pthread_cond_wait(&t->changed, &t->lock);
        } else if (t->heap[0]->when_ns <= ls_now_ns()) {
            ls_wakeup *due = ls_pop(t);
            pthread_mutex_unlock(&t->lock);
            due->fire(due);
            pthread_mutex_lock(&t->lock);
        } else {
            struct timespec until = ls_timespec(t->heap[0]->when_ns);
            pthread_cond_timedwait(&t->changed, &t->lock, &until);
        }
    }
    pthread_mutex_unlock(&t->lock);
    return NULL;
}

int ls_timer_start(ls_timer *t)
{
    *t = (ls_timer){0};
    pthread_condattr_t attr;
    int rc = pthread_condattr_init(&attr);
    if (rc)
        return rc;
    /* The deadlines are monotonic; so must be the sleeps. */
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    rc = pthread_cond_init(&t->changed, &attr);
    pthread_condattr_destroy(&attr);
    if (rc)
        return rc;
    pthread_mutex_init(&t->lock, NULL);
    rc = pthread_create(&t->thread, NULL, ls_timer_main, t);
    if (rc) {
        pthread_cond_destroy(&t->changed);
        pthread_mutex_destroy(&t->lock);
    }
    return rc;
}

static bool ls_grow(ls_timer *t)
{
    size_t cap = t->cap ? 2 * t->cap : 64;
    ls_wakeup **heap = realloc(t->heap, cap * sizeof *heap);
    if (!heap)
        return false;
    t->heap = heap;
    t->cap = cap;
    return true;
}

bool ls_timer_arm(ls_timer *t, ls_wakeup *w, uint64_t when_ns, ls_wakeup_fn fire)
{
    pthread_mutex_lock(&t->lock);
    if (t->stopping || (t->len == t->cap && !ls_grow(t))) {
        pthread_mutex_unlock(&t->lock);
        return false;
    }
    w->when_ns = when_ns;
    w->seq = t->next_seq++;
    w->fire = fire;
    t->heap[t->len++] = w;
    ls_sift_up(t, t->len - 1);
    /* Only a new earliest wake-up changes how long the thread must sleep. */
    if (t->heap[0] == w)
        pthread_cond_signal(&t->changed);
    pthread_mutex_unlock(&t->lock);
    return true;
}

bool ls_timer_stopping(ls_timer *t)
{
    pthread_mutex_lock(&t->lock);
    bool stopping = t->stopping;
    pthread_mutex_unlock(&t->lock);
    return stopping;
}

void ls_timer_stop(ls_timer *t)
{
    pthread_mutex_lock(&t->lock);
    t->stopping = true;
    pthread_cond_signal(&t->changed);
    pthread_mutex_unlock(&t->lock);
    pthread_join(t->thread, NULL);

    /* Nobody can arm any more; wake the rest, earliest first. */
    pthread_mutex_lock(&t->lock);
    while (t->len > 0) {
        ls_wakeup *w = ls_pop(t);
        pthread_mutex_unlock(&t->lock);
        w->fire(w);
        pthread_mutex_lock(&t->lock);
    }
    pthread_mutex_unlock(&t->lock);
}

void ls_timer_destroy(ls_timer *t)
{
    free(t->heap);
    t->heap = NULL;
    t->len = t->cap = 0;
    pthread_cond_destroy(&t->changed);
    pthread_mutex_destroy(&t->lock);
}
