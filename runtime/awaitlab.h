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
    AW_EAPP = -100      /* first code free for applications                   */
};

/* A short English description of a status code, e.g. "cancelled". */
const char *aw_strerror(int code);

/* ----------------------------------------------------------------------- */
/* Tasks                                                                     */
/* ----------------------------------------------------------------------- */

typedef struct aw_task aw_task;

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
 * spawning task next suspends.  Returns NULL when out of memory.
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
 * cancelled, aw_gather() waits for them to finish, and returns AW_ECANCELLED
 * (with or without AW_RETURN_EXCEPTIONS).
 */
int aw_gather(aw_task *const *tasks, size_t n, int flags);

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
typedef enum aw_event_kind {
    AW_EV_SPAWN,  /* task created; `other` is the parent, `text` the name   */
    AW_EV_RUN,    /* task starts or resumes a step                           */
    AW_EV_WAIT,   /* task suspends; `text` says on what, `other` which task */
    AW_EV_WAKE,   /* task becomes ready again; `code` the status it gets    */
    AW_EV_CANCEL, /* cancellation requested; `other` is the requester        */
    AW_EV_DONE,   /* task finished; `code` 0, error code, or AW_ECANCELLED  */
    AW_EV_MARK,   /* a program's own marker, e.g. a section; `text`          */
    AW_EV_SLOW    /* debug mode: a step held the loop `value` ns             */
} aw_event_kind;

typedef struct aw_event {
    int64_t t_ns;       /* time on the run's clock                          */
    aw_event_kind kind;
    uint32_t task;      /* task id, 0 for marks                             */
    uint32_t other;     /* parent, awaited or cancelling task, or 0         */
    int code;           /* status (WAKE, DONE)                              */
    int64_t value;      /* DONE: the value; WAIT on sleep: deadline in ns;  */
                        /* SLOW: ns held                                    */
    const char *text;   /* owned by the trace; NULL if none                 */
} aw_event;

/* Adds a marker event, e.g. aw_trace_mark("section sequential"). */
void aw_trace_mark(const char *format, ...)
    __attribute__((format(printf, 1, 2)));

/*
 * The events captured in memory (config.trace_capture).  They stay readable
 * after aw_run() returns, until the next aw_run() or aw_trace_clear().
 */
const aw_event *aw_trace_events(size_t *count);
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

#endif /* AWAITLAB_H */
