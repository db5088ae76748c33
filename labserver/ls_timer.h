/*
 * ls_timer.h -- wake-ups at given times, on a thread of their own.
 *
 * A delayed request must not sleep on a server thread: it suspends itself
 * and arms a wake-up, and this timer's thread calls it back when the time
 * comes.  The wake-up lives inside the request, so arming allocates nothing
 * beyond the occasional growth of the heap's array.
 */
#ifndef LS_TIMER_H
#define LS_TIMER_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct ls_wakeup ls_wakeup;
typedef void (*ls_wakeup_fn)(ls_wakeup *wakeup);

struct ls_wakeup {
    uint64_t when_ns;     /* on the ls_now_ns() clock                       */
    uint64_t seq;         /* arming order: equal times fire first-armed first */
    ls_wakeup_fn fire;    /* called on the timer thread, without its lock    */
};

typedef struct ls_timer {
    pthread_mutex_t lock;
    pthread_cond_t changed;   /* a new earliest wake-up, or stopping */
    pthread_t thread;
    ls_wakeup **heap;         /* min-heap on (when_ns, seq) */
    size_t len, cap;
    uint64_t next_seq;
    bool stopping;
} ls_timer;

/* Nanoseconds on the monotonic clock. */
uint64_t ls_now_ns(void);

/* Starts the timer thread; returns 0 or an errno value. */
int ls_timer_start(ls_timer *timer);

/*
 * Arms `wakeup` to call `fire(wakeup)` once, at `when_ns` or soon after.
 * The caller must already be ready to be woken: the call may come before
 * this function returns.  Returns false -- and arms nothing -- when the
 * timer is stopping or out of memory.
 */
bool ls_timer_arm(ls_timer *timer, ls_wakeup *wakeup, uint64_t when_ns, ls_wakeup_fn fire);

/* Whether ls_timer_stop has begun: new waits would never end. */
bool ls_timer_stopping(ls_timer *timer);

/*
 * Stops the thread and fires every wake-up still armed, early, so that
 * nothing is left suspended.  Later arms fail, but arming and asking
 * ls_timer_stopping stay safe until ls_timer_destroy.
 */
void ls_timer_stop(ls_timer *timer);

/* Frees a stopped timer, once nothing can call it any more. */
void ls_timer_destroy(ls_timer *timer);

#endif /* LS_TIMER_H */
