/*
 * internal.h -- what the runtime's files share and programs never see.
 *
 * Naming: public functions are aw_*, functions shared between runtime files
 * are aw__* (two underscores), everything else is static.
 */
#ifndef AWAITLAB_INTERNAL_H
#define AWAITLAB_INTERNAL_H

#include "awaitlab.h"
#include "switch.h"

#include <stdarg.h>
#include <stdio.h>
#include <uv.h>

/* Built with AddressSanitizer?  (gcc and clang spell it differently.) */
#if defined(__SANITIZE_ADDRESS__)
#define AW_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define AW_ASAN 1
#endif
#endif

/* valgrind's client requests, when its header is installed: they cost a few
 * instructions when not running under valgrind. */
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define AW_HAVE_VALGRIND 1
#endif
#endif

/* ----------------------------------------------------------------------- */
/* Intrusive lists                                                           */
/* ----------------------------------------------------------------------- */

/*
 * A doubly linked list node that lives inside the structure it links (a task,
 * a waiter), so that queueing never allocates.  A list is a sentinel node
 * whose next/prev point at itself when empty.
 */
#define aw__container_of(ptr, type, member) \
    ((type *)((char *)(ptr) - offsetof(type, member)))

static inline void aw__list_init(aw__link *list) { list->next = list->prev = list; }
static inline bool aw__list_empty(const aw__link *list) { return list->next == list; }
static inline bool aw__linked(const aw__link *node) { return node->next != NULL; }

static inline void aw__list_push_back(aw__link *list, aw__link *node)
{
    node->prev = list->prev;
    node->next = list;
    list->prev->next = node;
    list->prev = node;
}

static inline void aw__list_remove(aw__link *node)
{
    node->prev->next = node->next;
    node->next->prev = node->prev;
    node->next = node->prev = NULL;
}

static inline aw__link *aw__list_pop_front(aw__link *list)
{
    aw__link *node = list->next;
    if (node == list)
        return NULL;
    aw__list_remove(node);
    return node;
}

/* ----------------------------------------------------------------------- */
/* Timers                                                                    */
/* ----------------------------------------------------------------------- */

/* The timer heap (timer.c); aw__timer itself is in awaitlab.h. */
void aw__timer_arm(aw__timer *timer, int64_t deadline_ns);
void aw__timer_disarm(aw__timer *timer);
bool aw__timer_armed(const aw__timer *timer);
int64_t aw__timer_next_deadline(void); /* INT64_MAX when none */
void aw__timers_fire_due(int64_t now_ns);
void aw__timers_free(void);

/* ----------------------------------------------------------------------- */
/* Tasks                                                                     */
/* ----------------------------------------------------------------------- */

/*
 * What a suspended task waits on, and how to take it back out of that wait
 * if the task is cancelled.  `on_cancel` either wakes the task with
 * AW_ECANCELLED (sleep) or passes the cancellation on and keeps waiting
 * (await, gather: the task wakes when the work it waits for has finished).
 */
typedef struct aw__wait {
    const char *on;     /* "sleep", "task", "gather", ... (for the trace)  */
    uint32_t target;    /* the task waited for, or 0                        */
    const char *name;   /* the resource's name, for "semaphore" etc.        */
    int64_t until_ns;   /* the deadline, for "sleep"                        */
    bool requeue;       /* ready again at once (yield)                      */
    bool keeps_waiting; /* a pending cancellation does not stop it from     */
                        /* parking (on_cancel decides), see aw_group_end()  */
    void (*on_cancel)(aw_task *task);
    void (*detach)(aw_task *task); /* leave the wait without waking        */
    void *data;         /* for on_cancel and detach                         */
} aw__wait;

struct aw_task {
    aw__context context;       /* saved registers while not running         */
    aw__callback step;         /* in the loop's ready queue: run a step     */
    aw__link all_link;         /* in the loop's list of every task          */
    aw__timer timer;           /* for aw_sleep()                            */
    aw__link done_waiters;     /* aw__done_waiter: who awaits this task     */
    aw__link wait_link;        /* in a semaphore's, lock's... waiter list   */
    long *wait_length;         /* that list's length, kept by the helpers   */
    bool granted;              /* a release handed us what we waited for    */
    aw__scope *scope;          /* innermost cancel scope, or NULL           */
    aw__link group_link;       /* in group->children until the group hears  */
    aw__done_waiter group_waiter; /* how the group hears we finished        */

    aw_fn fn;
    void *arg;
    struct aw__stack *stack;   /* NULL until the task first runs            */

    aw_task_state state;
    bool started;              /* has run at least one step                 */
    bool cancel_requested;     /* level-triggered: stays set                */
    bool released;             /* handle given up: free once finished       */
    bool suspended;            /* parked in aw__suspend()                   */
    int shield_depth;          /* > 0: cancellation does not interrupt      */
    int wake_status;           /* what aw__suspend() returns                */
    const aw__wait *wait;      /* valid while suspended                     */

    intptr_t value;            /* outcome, when AW_TASK_OK                  */
    aw_error *error;           /* outcome, when AW_TASK_FAILED              */
    aw_error *last_error;      /* the error in flight inside the task      */

    void *asan_fake_stack;     /* AddressSanitizer's, see fiber.c          */
    void *tsan_fiber;          /* ThreadSanitizer's, see fiber.c           */
    uint32_t id;
    uint32_t parent_id;
    char name[32];
};

/* name_format is printf-style with *ap, or a plain name when ap is NULL. */
aw_task *aw__task_new(aw_fn fn, void *arg, const char *name_format, va_list *ap);
void aw__run_step(aw__callback *step); /* loop.c: a task's turn */
void aw__task_free(aw_task *task);
void aw__task_spares_free(void);   /* at aw_run()'s end */
void aw__task_enter(void);          /* first code run on a task's stack */
void aw__task_finish(aw_task *task, int status, intptr_t value);
int aw__task_outcome_status(aw_task *awaiter, const aw_task *finished);
void aw__task_on_done(aw_task *task, aw__done_waiter *waiter);
void aw__task_on_done_cancel(aw__done_waiter *waiter);
void aw__task_set_last_error(aw_task *task, const aw_error *error);
/*
 * A malloc'd copy of `error`, or when memory is out, a shared static
 * "out of memory" error that must not be written to; free either with
 * aw__error_free().
 */
aw_error *aw__error_new(const aw_error *error);
void aw__error_free(aw_error *error);

/* ----------------------------------------------------------------------- */
/* Suspending and waking (cancel.c)                                         */
/* ----------------------------------------------------------------------- */

/*
 * Parks the running task until aw__wake().  Returns the status given to
 * aw__wake(), or AW_ECANCELLED at once -- without suspending -- if the task
 * is cancelled and not shielded.
 */
int aw__suspend(const aw__wait *wait);

/* Makes a suspended task ready; its aw__suspend() will return `status`. */
void aw__wake(aw_task *task, int status);

/*
 * A resource's line of waiting tasks: a list through aw_task.wait_link, and
 * its length, kept as the list changes.  The trace reports how many wait at
 * every change, and counting a line of 100,000 each time would make a big
 * run quadratic.  The task remembers which length counts it, so taking it
 * out of its line (a cancellation, the deadlock breaker) needs only the task.
 */
static inline void aw__wait_enqueue(aw__link *line, long *length, aw_task *task)
{
    aw__list_push_back(line, &task->wait_link);
    task->wait_length = length;
    (*length)++;
}

/* Takes `task` out of its line; false if it was in none. */
static inline bool aw__wait_dequeue(aw_task *task)
{
    if (!aw__linked(&task->wait_link))
        return false;
    aw__list_remove(&task->wait_link);
    (*task->wait_length)--;
    return true;
}

/* The task first in `line`, taken out of it; NULL if the line is empty. */
static inline aw_task *aw__wait_pop(aw__link *line)
{
    if (aw__list_empty(line))
        return NULL;
    aw_task *task = aw__container_of(line->next, aw_task, wait_link);
    aw__wait_dequeue(task);
    return task;
}

/* Would a suspension point of this task return AW_ECANCELLED right now? */
bool aw__cancel_pending(const aw_task *task);

/* Cancel scopes (aw__scope, in awaitlab.h): timeouts and task groups. */
void aw__scope_enter(aw__scope *scope);
bool aw__scope_exit(aw__scope *scope);
void aw__scope_cancel(aw__scope *scope);
/* aw_cancel() on behalf of `by` (NULL: the runtime), for the trace. */
bool aw__cancel_for(aw_task *task, aw_task *by);

/* ----------------------------------------------------------------------- */
/* Stacks (stack.c)                                                          */
/* ----------------------------------------------------------------------- */

typedef struct aw__stack aw__stack;

aw__stack *aw__stack_acquire(size_t size);
void aw__stack_release(aw__stack *stack);
void aw__stack_prefetch_next(void);
void *aw__stack_base(const aw__stack *stack); /* lowest usable address */
size_t aw__stack_size(const aw__stack *stack);
void aw__stacks_free_all(void);
void aw__stacks_keep_for_next_run(void); /* at the end of aw_run() */
/* For tests: the top page of slot `slot` of the `index`th slab mapped ahead
 * of need, or NULL if there is no such slab. */
void *aw__stack_reserve_top(unsigned index, unsigned slot);
void aw__overflow_handler_install(void);
void aw__overflow_handler_remove(void);

/* ----------------------------------------------------------------------- */
/* The loop (loop.c)                                                         */
/* ----------------------------------------------------------------------- */

typedef struct aw__loop {
    uv_loop_t uv;
    uv_timer_t wakeup;         /* ends a poll at the next deadline          */
    aw_clock clock;
    uint64_t start_hrtime;     /* uv_hrtime() when the run began           */
    int64_t virtual_now_ns;    /* the virtual clock's reading              */
    uint64_t timer_seq;

    aw__link ready;            /* aw__callback: tasks' steps and deferred   */
                               /* callbacks, run in FIFO order              */
    size_t ready_count;
    aw__link all_tasks;        /* every task not yet freed                  */
    aw_task *current;          /* running task, NULL in the scheduler       */
    aw_task *main_task;
    uint32_t next_task_id;
    unsigned live_tasks;       /* spawned and not finished                  */
    unsigned real_work;        /* threads, sockets ... the loop must poll   */
    bool deadlocked;           /* break_deadlock() had to step in           */

    aw__context scheduler;     /* where tasks switch back to                */
    const void *scheduler_stack_bottom; /* for AddressSanitizer             */
    size_t scheduler_stack_size;
    void *tsan_scheduler;      /* ThreadSanitizer's fiber of the scheduler  */

    size_t stack_size;
    unsigned thread_pool_size; /* as configured; 0: the default           */
    bool debug;
    int64_t debug_threshold_ns;
} aw__loop;

extern aw__loop *aw__the_loop; /* the running loop, NULL outside aw_run() */

int64_t aw__now_ns(void);

/* The running task; NULL in the scheduler or outside aw_run(). */
static inline aw_task *aw__current(void)
{
    return aw__the_loop ? aw__the_loop->current : NULL;
}

/* Queues a callback to run in its turn, after everything already ready. */
static inline void aw__call_soon(aw__callback *callback)
{
    aw__list_push_back(&aw__the_loop->ready, &callback->link);
    aw__the_loop->ready_count++;
}

/* Takes a queued callback back out (a timeout whose scope ended first). */
static inline void aw__call_soon_cancel(aw__callback *callback)
{
    if (aw__linked(&callback->link)) {
        aw__list_remove(&callback->link);
        aw__the_loop->ready_count--;
    }
}

/* Puts a task at the back of the ready queue. */
static inline void aw__make_ready(aw_task *task)
{
    aw__call_soon(&task->step);
}

/* fiber.c */
void aw__fiber_resume(aw_task *task);
void aw__fiber_started(void);
void aw__switch_to_scheduler(aw_task *from, bool finished);
void aw__fiber_forget(aw_task *task);

/* ----------------------------------------------------------------------- */
/* Faulting memory in on another thread (prefault.c)                         */
/* ----------------------------------------------------------------------- */

typedef void (*aw__prefault_fn)(void *item);
/* Runs fn(item) on the prefault thread, starting it if need be.  False if
 * there is no thread or its queue is full: the caller goes without. */
bool aw__prefault_post(aw__prefault_fn fn, void *item);
void aw__prefault_wait_idle(void); /* until every queued job is done     */
void aw__prefault_stop(void);      /* drops queued jobs, ends the thread */

/* ----------------------------------------------------------------------- */
/* Trace (trace.c)                                                           */
/* ----------------------------------------------------------------------- */

typedef struct aw__trace_options {
    const char *path;       /* NULL: no file                              */
    bool capture;           /* keep events in memory                      */
    aw_clock clock;
} aw__trace_options;

int aw__trace_open(const aw__trace_options *options);
void aw__trace_close(int64_t end_ns);
extern bool aw__trace_enabled;
static inline bool aw__trace_on(void) { return aw__trace_enabled; }
void aw__trace_emit(aw_trace_kind kind, uint32_t task, uint32_t other,
                    int code, int64_t value, const char *text,
                    const aw_error *error);
void aw__trace_flush(void);
void aw__trace_wait(const aw_task *task, const struct aw__wait *wait);

/*
 * A resource's state changed.  level: permits in use, items queued, 1 if
 * locked or set; capacity: the limit or 0; owner: a lock's holder or 0.
 */
void aw__trace_resource(const char *kind, const char *name, long level, long capacity,
                        long waiters, uint32_t owner);

/* Emit only when someone listens: the common case costs one branch. */
#define AW__TRACE(kind, task, other, code, value, text, error)                 \
    do {                                                                       \
        if (aw__trace_on())                                                    \
            aw__trace_emit((kind), (task), (other), (code), (value), (text),   \
                           (error));                                           \
    } while (0)

#endif /* AWAITLAB_INTERNAL_H */
