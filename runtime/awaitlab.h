/*
 * awaitlab.h -- the public interface of libawaitlab, an asyncio-style runtime
 * for C.
 *
 * A program hands a "main" task to aw_run(), which runs it on one libuv loop
 * until it finishes.  Tasks are stackful coroutines: each has its own stack,
 * so a task can call aw_sleep() from any depth of ordinary C functions and
 * only that task pauses, exactly as `await asyncio.sleep()` pauses only the
 * coroutine that awaits.
 *
 * Mapping to asyncio, in one table:
 *
 *     asyncio                                awaitlab
 *     -------------------------------------  ---------------------------------
 *     asyncio.run(main())                    aw_run(main, arg, &config, &value)
 *     asyncio.create_task(f(x), name="n")    aw_spawn(f, x, "n")
 *     await task                             aw_await(task)
 *     await asyncio.sleep(s)                 aw_sleep(s)
 *     await asyncio.sleep(0)                 aw_yield()
 *     task.cancel()                          aw_cancel(task)
 *     await asyncio.gather(*tasks)           aw_gather(tasks, n, 0)
 *     ... return_exceptions=True             aw_gather(tasks, n, AW_RETURN_EXCEPTIONS)
 *     raise SomeError("msg")                 return aw_raise(AW_EAPP, "msg")
 *     return value                           *result = value; return AW_OK;
 *     task.result() / task.exception()       aw_task_value(t) / aw_task_error(t)
 *     asyncio.current_task()                 aw_current()
 *
 * Errors are values.  Every call that can suspend returns a status: AW_OK (0)
 * or a negative code.  A task ends in exactly one of three outcomes: a value,
 * an error (code, message, and the name of the task it came from), or
 * cancelled.
 *
 * Cancellation is level-triggered, unlike asyncio's.  Once a task has been
 * cancelled, every suspending call it makes returns AW_ECANCELLED at once,
 * for as long as the task lives (outside a shielded region).  In asyncio one
 * CancelledError is delivered and code may swallow it; in C a single ignored
 * status would then hang the program, so the runtime keeps saying "cancelled"
 * until the task gives up.  Cleanup that must still wait goes between
 * aw_shield_begin() and aw_shield_end().
 *
 * Everything here must be called from inside aw_run(), on the thread that
 * called it, except where a comment says otherwise.
 */
#ifndef AWAITLAB_H
#define AWAITLAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ----------------------------------------------------------------------- */
/* Status codes                                                              */
/* ----------------------------------------------------------------------- */

/*
 * AW_OK is success.  The runtime's own errors are small negative numbers; an
 * application picks AW_EAPP or any code below it for its own failures, the way
 * a Python program defines its own exception classes.
 */
enum {
    AW_OK = 0,
    AW_ECANCELLED = -1, /* the task was cancelled (asyncio.CancelledError)    */
    AW_ETIMEDOUT = -2,  /* a deadline passed (TimeoutError)                   */
    AW_EINVAL = -3,     /* a bad argument (ValueError)                        */
    AW_ENOMEM = -4,     /* out of memory or of task stacks                    */
    AW_ESTATE = -5,     /* called at the wrong time (RuntimeError)            */
    AW_EDEADLOCK = -6,  /* every task waits and nothing can wake any of them  */
    AW_EFULL = -7,      /* put_nowait on a full queue (asyncio.QueueFull)     */
    AW_EEMPTY = -8,     /* get_nowait on an empty queue (asyncio.QueueEmpty)  */
    AW_ESHUTDOWN = -9,  /* the queue was shut down (asyncio.QueueShutDown)    */
    AW_EGROUP = -10,    /* tasks of a task group failed (ExceptionGroup)      */
    AW_EAPP = -100      /* first code free for applications                   */
};

/* A short English description of a status code, e.g. "cancelled". */
const char *aw_strerror(int code);

/* ----------------------------------------------------------------------- */
/* Building blocks of the structs below -- private                          */
/* ----------------------------------------------------------------------- */

/*
 * A semaphore, a queue or a timeout scope is a struct the program declares
 * itself (on its stack, or static), so the compiler must know its size; that
 * is why its fields are spelled out here.  They are private all the same:
 * programs use only the functions.  (libuv exposes its handles the same way.)
 */
typedef struct aw_task aw_task;

/* A node of a doubly linked list that lives inside what it links. */
typedef struct aw__link {
    struct aw__link *next, *prev;
} aw__link;

/*
 * An entry of the loop's ready queue: a task's next step, or a callback
 * deferred to its turn (asyncio's loop.call_soon), such as a timeout
 * expiring.  FIFO order between the two is what keeps the runtime's order of
 * events the same as asyncio's.
 */
typedef struct aw__callback {
    aw__link link;
    void (*run)(struct aw__callback *callback);
} aw__callback;

/*
 * A deadline in the runtime's timer heap, embedded in what it wakes.  When it
 * falls due, `due` is queued like any ready callback and runs `fire` in its
 * turn (asyncio's TimerHandle): whatever it wakes runs one turn later.
 */
typedef struct aw__timer {
    int64_t deadline_ns;
    uint64_t seq;              /* arming order: equal deadlines fire FIFO */
    size_t heap_index;         /* SIZE_MAX when not armed                 */
    aw__link run_link;         /* in the sorted run instead of the heap   */
    aw__callback due;          /* in the ready queue once due             */
    void (*fire)(struct aw__timer *timer);
} aw__timer;

/*
 * Someone to tell when a task finishes (await, gather, group, wait...):
 * asyncio's done callback.  Like asyncio, the runtime calls `notify` in a
 * turn of its own (`delivery` goes through the ready queue), so whoever it
 * wakes in turn runs one turn after that.  Only `await` is told at once
 * (`direct`): in asyncio its callback *is* the awaiting task's wake-up.
 */
typedef struct aw__done_waiter {
    aw__link link;             /* in the task's list until it finishes    */
    aw__callback delivery;     /* queued when it finishes                 */
    aw_task *finished;
    bool direct;
    void (*notify)(struct aw__done_waiter *waiter, aw_task *finished);
    void *data;
} aw__done_waiter;

/*
 * A cancel scope: a stretch of one task's code that can be cancelled as a
 * whole -- by its deadline (timeout) or by a failing child (task group).
 * Scopes nest; a shielded region opened inside a scope protects against it.
 */
typedef struct aw__scope {
    struct aw__scope *outer;   /* the enclosing scope of the same task    */
    aw_task *task;
    int shield_depth;          /* the task's shield depth at the start    */
    bool cancelled;            /* level-triggered: stays set              */
} aw__scope;

/* ----------------------------------------------------------------------- */
/* Tasks                                                                     */
/* ----------------------------------------------------------------------- */

/*
 * The body of a task: `async def f(arg)`.  It returns AW_OK after storing its
 * value in *result, or a negative status.  Returning AW_ECANCELLED ends the
 * task cancelled; any other negative status ends it with an error (see
 * aw_raise() for giving the error a message).
 */
typedef int (*aw_fn)(void *arg, intptr_t *result);

/* An error as a value: what `except Exception as e` would hold. */
typedef struct aw_error {
    int code;          /* a negative status                                  */
    char message[120]; /* human-readable, e.g. "item-3: connection refused"  */
    char origin[32];   /* name of the task that raised it                    */
} aw_error;

/* The three outcomes of a task, and "not finished yet". */
typedef enum aw_task_state {
    AW_TASK_PENDING = 0, /* spawned, running or waiting */
    AW_TASK_OK,          /* returned a value            */
    AW_TASK_FAILED,      /* ended with an error          */
    AW_TASK_CANCELLED    /* ended cancelled              */
} aw_task_state;

/*
 * Creates a task that will run fn(arg) and schedules it (asyncio.create_task).
 * The name is a printf format; names appear in traces, timelines and error
 * messages, and are cut at 31 bytes.  The task starts running only when the
 * spawning task next suspends.  Returns NULL when out of memory (with the
 * reason in aw_last_error(), as for any failure).
 *
 * The runtime owns every task and frees them all when aw_run() returns, so
 * a handle stays valid for the whole run.  A program that spawns millions of
 * tasks over its life calls aw_task_release() on handles it is done with.
 */
aw_task *aw_spawn(aw_fn fn, void *arg, const char *name_format, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Says that the caller will not touch this handle again: the task is freed as
 * soon as it has finished (at once if it already has).  It keeps running.
 * Nobody may await, gather or wait on a released task any more.
 */
void aw_task_release(aw_task *task);

/*
 * Waits until `task` finishes and returns its status: AW_OK (its value is in
 * aw_task_value()), its error code (the error is also copied into the
 * caller's current error, so returning the code passes it on, like an
 * exception propagating), or AW_ECANCELLED if it was cancelled.
 *
 * If the caller is cancelled while waiting, the awaited task is cancelled too
 * and the caller keeps waiting until it has finished its cleanup, then gets
 * AW_ECANCELLED -- the same as asyncio, where cancelling `await task` cancels
 * the task.  Inside a shielded region the awaited task is left alone.
 */
int aw_await(aw_task *task);

/*
 * Asks `task` to stop (task.cancel()).  It takes effect at the task's current
 * or next suspension point; a task cancelled before it first ran never runs
 * at all.  Returns false if the task had already finished.
 */
bool aw_cancel(aw_task *task);

aw_task *aw_current(void);               /* the task that is running         */
const char *aw_task_name(const aw_task *task);
uint32_t aw_task_id(const aw_task *task); /* 1 is main; ids are never reused  */
aw_task_state aw_task_state_of(const aw_task *task);
bool aw_task_done(const aw_task *task);
intptr_t aw_task_value(const aw_task *task);        /* 0 unless AW_TASK_OK  */
const aw_error *aw_task_error(const aw_task *task); /* NULL unless FAILED   */

/*
 * Records an error in the running task and returns its code, so that a task
 * body can write `return aw_raise(AW_EAPP, "item %d failed", i);`.
 */
int aw_raise(int code, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

/* The last error raised in, or passed on to, the running task; NULL if none. */
const aw_error *aw_last_error(void);

/* ----------------------------------------------------------------------- */
/* Waiting                                                                   */
/* ----------------------------------------------------------------------- */

/*
 * Suspends the running task for `seconds` of the run's clock.  0 or less is
 * aw_yield() (asyncio.sleep(0) does the same).  Returns AW_OK, or
 * AW_ECANCELLED at once if the task is cancelled, or AW_EINVAL for NaN.
 */
int aw_sleep(double seconds);

/* Lets every other ready task run a step first (await asyncio.sleep(0)). */
int aw_yield(void);

/* True once the running task has been cancelled. */
bool aw_cancelled(void);

/*
 * A shielded region: between these calls cancellation does not interrupt the
 * running task, so cleanup code can await.  Regions nest.  A cancellation
 * that arrives inside is kept and seen at the first suspension after the
 * outermost aw_shield_end().
 */
void aw_shield_begin(void);
void aw_shield_end(void);

/* ----------------------------------------------------------------------- */
/* gather                                                                    */
/* ----------------------------------------------------------------------- */

/* Flags for aw_gather(). */
enum {
    AW_RETURN_EXCEPTIONS = 1 /* collect errors as values, never fail fast */
};

/*
 * Waits for all n tasks (asyncio.gather).  Results stay in the tasks, so
 * they are in argument order: read them with aw_task_value(tasks[i]).
 *
 * Without AW_RETURN_EXCEPTIONS, the first task to fail -- first in time, not
 * in argument order -- makes aw_gather() return its error code at once (the
 * error is copied into the caller's current error).  The other tasks are NOT
 * cancelled: they keep running.  A task that was cancelled counts as failing
 * with AW_ECANCELLED.
 *
 * With AW_RETURN_EXCEPTIONS, aw_gather() returns AW_OK once every task has
 * finished, whatever their outcomes.
 *
 * If the caller is cancelled while waiting, every unfinished task is
 * cancelled and aw_gather() returns AW_ECANCELLED: without
 * AW_RETURN_EXCEPTIONS as soon as the first of them has ended cancelled
 * (others may still be cleaning up: asyncio does the same), with it once
 * every task has ended.
 *
 * Like asyncio, the caller hears of each task's end one turn after it (a
 * done callback) and resumes the turn after that, even when every task had
 * finished already: tasks that were ready run first.
 */
int aw_gather(aw_task *const *tasks, size_t n, int flags);

/* ----------------------------------------------------------------------- */
/* Timeouts                                                                  */
/* ----------------------------------------------------------------------- */

/* No deadline at all: asyncio.timeout(None). */
#define AW_NEVER (1.0 / 0.0)

/*
 * A timeout scope (async with asyncio.timeout(seconds)).  Between
 * aw_timeout_begin() and aw_timeout_end() the running task may suspend until
 * the deadline; once it passes, every suspension point inside the scope
 * returns AW_ECANCELLED (level-triggered, like a cancelled task) until the
 * scope ends.  Pass the block's final status to aw_timeout_end(): it turns
 * AW_ECANCELLED caused by this deadline into AW_ETIMEDOUT.
 *
 *     aw_timeout scope;
 *     aw_timeout_begin(&scope, 2.0);
 *     int status = aw_gather(tasks, n, 0);     // unfinished tasks cancelled
 *     status = aw_timeout_end(&scope, status); // AW_ETIMEDOUT if it expired
 *
 * Scopes nest.  If an inner deadline comes first, only the inner scope times
 * out and the outer block continues.  If an outer deadline comes first, the
 * inner scope sees plain cancellation and aw_timeout_end() of the inner
 * passes AW_ECANCELLED on; the outer one reports AW_ETIMEDOUT.  A shielded
 * region inside the scope is not interrupted by it.  The struct lives on the
 * caller's stack; its fields are private.
 */
typedef struct aw_timeout {
    aw__scope scope;           /* private */
    aw__timer timer;
    aw__callback expire;       /* queued when the timer fires     */
    bool expired;
    bool active;
} aw_timeout;

void aw_timeout_begin(aw_timeout *scope, double seconds);
int aw_timeout_end(aw_timeout *scope, int status);

/* Moves the deadline to `seconds` from now (AW_NEVER: none); asyncio's
 * reschedule() takes an absolute time: aw_now() + seconds is the same. */
void aw_timeout_reschedule(aw_timeout *scope, double seconds);
bool aw_timeout_expired(const aw_timeout *scope);
double aw_timeout_when(const aw_timeout *scope); /* absolute, or AW_NEVER */

/*
 * asyncio.wait_for(task, timeout): awaits `task` for at most `timeout`
 * seconds.  On expiry the task is cancelled, its cleanup is awaited, and the
 * result is AW_ETIMEDOUT.  A timeout of 0 or less never lets an unfinished
 * task start (it is cancelled at once); a finished task gives its outcome --
 * also one that finished in the instant the deadline passed (CPython 3.11's
 * wait_for: the deadline wakes the caller, which then looks at the task).
 */
int aw_wait_for(aw_task *task, double timeout);

/* ----------------------------------------------------------------------- */
/* Task groups                                                               */
/* ----------------------------------------------------------------------- */

/*
 * asyncio.TaskGroup: structured concurrency.
 *
 *     aw_group group;
 *     aw_group_begin(&group);                          // async with TaskGroup() as tg:
 *     aw_group_spawn(&group, fetch, arg, "fetch-%d", i);   //     tg.create_task(...)
 *     int status = aw_sleep(1.0);                      //     the body may await
 *     status = aw_group_end(&group, status);           // leaving the block
 *     ... aw_group_error(&group, i) ...
 *     aw_group_dispose(&group);
 *
 * The first child to fail cancels every unfinished sibling and the body's
 * own suspension points inside the group (the body's next await returns
 * AW_ECANCELLED).  aw_group_end() waits for every child, then returns AW_OK,
 * AW_EGROUP if any child failed or the body's status was an error (all
 * errors, in completion order, the body's last, are in aw_group_error()),
 * or AW_ECANCELLED if the task itself was cancelled.  Children that finished
 * before the failure keep their results; a child that ends cancelled adds no
 * error.  Spawning into a group that is shutting down or has ended fails
 * (NULL, with the reason in aw_last_error()).
 */
typedef struct aw_group {
    aw__scope scope;           /* private */
    aw__link children;         /* unfinished children            */
    size_t unfinished;
    bool shutting_down;        /* a child failed, or the end began */
    bool ended;
    bool parent_waiting;       /* the body waits in aw_group_end() */
    aw_error *errors;          /* completion order, the body's last */
    size_t error_count, error_capacity;
} aw_group;

void aw_group_begin(aw_group *group);
aw_task *aw_group_spawn(aw_group *group, aw_fn fn, void *arg, const char *name_format, ...)
    __attribute__((format(printf, 4, 5)));
int aw_group_end(aw_group *group, int body_status);
size_t aw_group_error_count(const aw_group *group);
const aw_error *aw_group_error(const aw_group *group, size_t i);
void aw_group_dispose(aw_group *group); /* frees the error list */

/* ----------------------------------------------------------------------- */
/* wait, as_completed, shield                                               */
/* ----------------------------------------------------------------------- */

typedef enum aw_wait_mode {
    AW_ALL_COMPLETED = 0, /* asyncio.ALL_COMPLETED                         */
    AW_FIRST_COMPLETED,   /* return at the first task to finish, however   */
    AW_FIRST_EXCEPTION    /* return at the first failure, else like ALL    */
} aw_wait_mode;

/*
 * asyncio.wait: waits until `mode` is satisfied or `timeout` seconds pass
 * (AW_NEVER: no timeout).  It never cancels anything and a timeout is not an
 * error: it returns AW_OK either way, with the number of finished tasks in
 * *done_count (may be NULL).  done = aw_task_done(tasks[i]), pending = the
 * rest.  Returns AW_ECANCELLED if the caller is cancelled.
 */
int aw_wait(aw_task *const *tasks, size_t n, aw_wait_mode mode, double timeout,
            size_t *done_count);

/*
 * asyncio.as_completed: the tasks in the order they finish.
 *
 *     aw_as_completed it;
 *     aw_as_completed_begin(&it, tasks, n, AW_NEVER);
 *     aw_task *t;
 *     while ((status = aw_as_completed_next(&it, &t)) == AW_OK && t)
 *         ... use aw_task_value(t) ...
 *     aw_as_completed_end(&it);
 *
 * next() gives AW_OK and a task, AW_OK and NULL once all were given,
 * AW_ETIMEDOUT once the timeout (over the whole iteration) has passed, or
 * AW_ECANCELLED.  Nothing is ever cancelled by it.
 */
typedef struct aw_as_completed {
    aw_task *const *tasks;     /* private */
    size_t count;
    aw__done_waiter *waiters;  /* one per task                    */
    aw_task **finished;        /* in completion order             */
    size_t finished_count, given;
    aw_task *caller;           /* parked in next(), or NULL       */
    aw__timer timer;
    bool timed_out;
} aw_as_completed;

void aw_as_completed_begin(aw_as_completed *it, aw_task *const *tasks, size_t n,
                           double timeout);
int aw_as_completed_next(aw_as_completed *it, aw_task **next);
void aw_as_completed_end(aw_as_completed *it);

/*
 * await asyncio.shield(task): like aw_await(), but if the caller is
 * cancelled it stops waiting at once (AW_ECANCELLED) and leaves the task
 * running.
 */
int aw_await_shielded(aw_task *task);

/* ----------------------------------------------------------------------- */
/* Semaphore, Lock, Event, Condition                                        */
/* ----------------------------------------------------------------------- */

/*
 * The waiting structures below live wherever the program puts them (often
 * on main's stack or in a static) and must outlive every task using them.
 * Each has a name for the trace.  All are FIFO: a release wakes the task
 * that has waited longest, and no newcomer can take the permit (or the lock)
 * first (asyncio since 3.11.0).  A semaphore hands the permit straight to the
 * woken task; a lock reads as unlocked until the woken task runs and takes
 * it, as in asyncio.
 * Waiting honours cancellation and timeouts.
 */
typedef struct aw_semaphore {
    aw__link waiters;          /* private */
    long listed, granted;      /* private: in `waiters`; of them, handed a permit */
    long value;                /* free permits                    */
    long bound;                /* initial value if bounded, else -1 */
    long initial;
    const char *name;
} aw_semaphore;

/* asyncio.Semaphore(value); AW_EINVAL if value < 0. */
int aw_sem_init(aw_semaphore *sem, long value, const char *name);
/* asyncio.BoundedSemaphore(value): releasing above `value` is an error. */
int aw_sem_init_bounded(aw_semaphore *sem, long value, const char *name);
int aw_sem_acquire(aw_semaphore *sem);       /* async with sem: (enter) */
int aw_sem_release(aw_semaphore *sem);       /* (exit); AW_EINVAL if over-released */
long aw_sem_value(const aw_semaphore *sem);  /* free permits             */
bool aw_sem_locked(const aw_semaphore *sem); /* no free permit, or a line */

/*
 * asyncio.Lock.  Unlike asyncio, only the task holding the lock may release
 * it (AW_ESTATE otherwise): a lock released by someone else is almost always
 * a bug, and C gives no traceback to find it.  Releasing an unlocked lock is
 * AW_ESTATE too (asyncio's RuntimeError).
 */
typedef struct aw_lock {
    aw__link waiters;          /* private */
    long waiting;              /* private: tasks in `waiters` */
    aw_task *owner;
    const char *name;
} aw_lock;

void aw_lock_init(aw_lock *lock, const char *name);
int aw_lock_acquire(aw_lock *lock);
int aw_lock_release(aw_lock *lock);
bool aw_lock_locked(const aw_lock *lock);
aw_task *aw_lock_owner(const aw_lock *lock);

/*
 * asyncio.Event.  set() wakes every task waiting at that moment, even if the
 * event is cleared again before they run; wait() on a set event returns at
 * once without suspending.
 */
typedef struct aw_event {
    aw__link waiters;          /* private */
    long waiting;              /* private: tasks in `waiters` */
    bool is_set;
    const char *name;
} aw_event;

void aw_event_init(aw_event *event, const char *name);
void aw_event_set(aw_event *event);
void aw_event_clear(aw_event *event);
bool aw_event_is_set(const aw_event *event);
int aw_event_wait(aw_event *event);

/*
 * asyncio.Condition over a lock the caller holds.  wait() releases the lock,
 * waits for notify(), and takes the lock back before returning -- also when
 * cancelled, so the caller always holds the lock afterwards.
 */
typedef struct aw_condition {
    aw__link waiters;          /* private */
    long waiting;              /* private: tasks in `waiters` */
    aw_lock *lock;
    const char *name;
} aw_condition;

typedef bool (*aw_predicate)(void *arg);

void aw_cond_init(aw_condition *cond, aw_lock *lock, const char *name);
int aw_cond_wait(aw_condition *cond);
int aw_cond_wait_for(aw_condition *cond, aw_predicate predicate, void *arg);
int aw_cond_notify(aw_condition *cond, size_t n); /* AW_ESTATE if lock not held */
int aw_cond_notify_all(aw_condition *cond);

/* ----------------------------------------------------------------------- */
/* Queue                                                                     */
/* ----------------------------------------------------------------------- */

/*
 * asyncio.Queue of intptr_t items (an integer or a pointer).  maxsize <= 0
 * means unbounded.  put() waits while the queue is full, get() while it is
 * empty, both FIFO.  join() waits until every item put has been matched by a
 * task_done().  shutdown() (Python 3.13): puts fail at once with
 * AW_ESHUTDOWN, blocked ones too; gets drain what is left, then fail;
 * shutdown(immediate) drops what is left and counts it as done.
 */
typedef struct aw_queue {
    intptr_t *items;           /* private: a ring buffer           */
    size_t capacity, head, count;
    long maxsize;
    size_t peak;               /* deepest it has been              */
    size_t unfinished;         /* put and not yet task_done()      */
    aw__link getters, putters, joiners;
    long blocked, joining;     /* in getters and putters; in joiners */
    bool shut_down;
    const char *name;
} aw_queue;

int aw_queue_init(aw_queue *queue, long maxsize, const char *name);
void aw_queue_dispose(aw_queue *queue);
int aw_queue_put(aw_queue *queue, intptr_t item);
int aw_queue_get(aw_queue *queue, intptr_t *item);
int aw_queue_put_nowait(aw_queue *queue, intptr_t item);  /* AW_EFULL   */
int aw_queue_get_nowait(aw_queue *queue, intptr_t *item); /* AW_EEMPTY  */
int aw_queue_task_done(aw_queue *queue);                  /* AW_EINVAL if too many */
int aw_queue_join(aw_queue *queue);
void aw_queue_shutdown(aw_queue *queue, bool immediate);
size_t aw_queue_size(const aw_queue *queue);
bool aw_queue_empty(const aw_queue *queue);
bool aw_queue_full(const aw_queue *queue);

/* ----------------------------------------------------------------------- */
/* Running                                                                   */
/* ----------------------------------------------------------------------- */

typedef enum aw_clock {
    AW_CLOCK_DEFAULT = 0, /* AWAITLAB_CLOCK from the environment, else real */
    AW_CLOCK_REAL,        /* the monotonic clock: sleeps take real time     */
    AW_CLOCK_VIRTUAL      /* jumps to the next deadline when all tasks wait */
} aw_clock;

/*
 * How to run.  A zeroed struct (or NULL) means: clock and trace from the
 * environment (AWAITLAB_CLOCK=real|virtual, AWAITLAB_TRACE=path or fd:N,
 * AWAITLAB_DEBUG=1), 64 KiB stacks, debug threshold 0.1 s.
 */
typedef struct aw_config {
    aw_clock clock;
    const char *trace_path;    /* JSON Lines trace; "fd:N" writes to fd N    */
    bool trace_capture;        /* keep events in memory for aw_trace_*()    */
    bool debug;                /* warn about steps that hold the loop       */
    double debug_threshold_s;  /* 0 means 0.1 s                              */
    size_t stack_size;         /* bytes per task stack; 0 means 64 KiB       */
    unsigned thread_pool_size; /* aw_to_thread() workers; 0 means            */
                               /* AWAITLAB_THREADS, else min(32, cpus + 4)   */
} aw_config;

/*
 * Runs main(arg) as the task "main" until it finishes (asyncio.run).  Tasks
 * still running then are cancelled and awaited.  Returns main's status; its
 * value goes to *result when result is not NULL.  Returns AW_EDEADLOCK,
 * after cancelling everything, if all tasks wait for each other forever.
 */
int aw_run(aw_fn main, void *arg, const aw_config *config, intptr_t *result);

/* Seconds since aw_run() started, on the run's clock. */
double aw_now(void);

/* The run's clock, once resolved from config and environment. */
aw_clock aw_clock_in_use(void);

/* ----------------------------------------------------------------------- */
/* Trace                                                                     */
/* ----------------------------------------------------------------------- */

/* What happened.  docs/trace-format.md describes each kind's JSON line. */
typedef enum aw_trace_kind {
    AW_EV_SPAWN,  /* task created; `other` is the parent, `text` the name   */
    AW_EV_RUN,    /* task starts or resumes a step                           */
    AW_EV_WAIT,   /* task suspends; `text` says on what, `other` which task */
    AW_EV_WAKE,   /* task becomes ready again; `code` the status it gets    */
    AW_EV_CANCEL, /* cancellation requested; `other` is the requester        */
    AW_EV_DONE,   /* task finished; `code` 0, error code, or AW_ECANCELLED  */
    AW_EV_MARK,   /* a program's own marker, e.g. a section; `text`          */
    AW_EV_SLOW,   /* debug mode: a step held the loop `value` ns             */
    AW_EV_RESOURCE /* a semaphore, lock, queue or event changed: `text` is  */
                   /* its kind, `name` its name, `value` the level (permits */
                   /* in use, queue depth, 1 if locked/set), `code` the     */
                   /* capacity (0: none), `waiters`, `other` the owner      */
} aw_trace_kind;

typedef struct aw_trace_event {
    int64_t t_ns;       /* time on the run's clock                          */
    aw_trace_kind kind;
    uint32_t task;      /* task id, 0 for marks                             */
    uint32_t other;     /* parent, awaited or cancelling task, or 0         */
    int code;           /* status (WAKE, DONE)                              */
    int64_t value;      /* DONE: the value; WAIT on sleep: deadline in ns;  */
                        /* SLOW: ns held                                    */
    const char *text;   /* owned by the trace; NULL if none                 */
    const char *name;   /* WAIT on a resource, RESOURCE: its name; or NULL  */
    int32_t waiters;    /* RESOURCE: tasks waiting on it                    */
} aw_trace_event;

/* Adds a marker event, e.g. aw_trace_mark("section sequential"). */
void aw_trace_mark(const char *format, ...)
    __attribute__((format(printf, 1, 2)));

/*
 * The events captured in memory (config.trace_capture).  They stay readable
 * after aw_run() returns, until the next aw_run() or aw_trace_clear().
 */
const aw_trace_event *aw_trace_events(size_t *count);
void aw_trace_clear(void);

/*
 * Queries over the captured events, used by tests and graders.  Times are in
 * nanoseconds on the run's clock.  A task's span is from its first RUN to
 * its DONE.  Peak concurrency counts tasks other than main that had started
 * and not finished, at the busiest moment among the events with index in
 * [first, last) -- an index range rather than a time range, because in
 * virtual time one section can end and the next begin at the same instant.
 */
uint32_t aw_trace_task_by_name(const char *name); /* 0 if never spawned */
bool aw_trace_span(uint32_t task, int64_t *start_ns, int64_t *end_ns);
int aw_trace_peak_concurrency(size_t first, size_t last);

#ifdef __cplusplus
}
#endif

/* Real I/O: threads, subprocesses, HTTP. */
#include "awaitlab_io.h"

#endif /* AWAITLAB_H */
