/*
 * loop.c -- aw_run() and the scheduler: who runs next, and when time moves.
 *
 * One turn of the loop does what asyncio's BaseEventLoop._run_once does:
 *
 *   1. wait: if no task is ready, sleep until the next timer (real clock) or
 *      jump the clock straight to it (virtual clock) -- and poll libuv for
 *      real I/O when some is outstanding;
 *   2. queue every timer that is due behind what is ready (timer.c);
 *   3. run what is ready *now*, in FIFO order: each ready task for one step,
 *      and each callback -- a due timer firing, a finished task being
 *      reported to a gather or a group (task.c).  What becomes ready during
 *      this turn (a yield, a task a timer or a callback woke) waits for the
 *      next turn, so a task that keeps yielding cannot starve the timers,
 *      and every wake-up takes as many turns as it does in asyncio.
 *
 * The order of everything is fixed by the ready queue and the timer heap's
 * (deadline, seq) order, so in virtual time a program's trace is the same on
 * every run.
 *
 * The virtual clock is trio's MockClock with autojump threshold 0: when no
 * task is ready and nothing real is outstanding, nothing can happen before
 * the next deadline, so we pretend the time until then has passed.  Ten
 * 0.5 s sleeps gathered take 0.500000 s of virtual time and microseconds of
 * real time.  If real work is outstanding (a thread, a socket), virtual time
 * stands still while we wait for it: only the waiting for deadlines is
 * skipped, never real work.
 */
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

aw__loop *aw__the_loop;

/* ----------------------------------------------------------------------- */
/* Clocks                                                                    */
/* ----------------------------------------------------------------------- */

int64_t aw__now_ns(void)
{
    aw__loop *loop = aw__the_loop;
    if (loop->clock == AW_CLOCK_VIRTUAL)
        return loop->virtual_now_ns;
    return (int64_t)(uv_hrtime() - loop->start_hrtime);
}

double aw_now(void)
{
    return aw__the_loop ? (double)aw__now_ns() / 1e9 : 0.0;
}

aw_clock aw_clock_in_use(void)
{
    return aw__the_loop ? aw__the_loop->clock : AW_CLOCK_DEFAULT;
}

/*
 * Real clock, nothing to poll: sleep until the deadline with an absolute
 * clock_nanosleep on the same monotonic clock uv_hrtime() reads.  This wakes
 * within tens of microseconds; libuv's own timers count in milliseconds.
 */
static void sleep_until(aw__loop *loop, int64_t deadline_ns)
{
    uint64_t at = loop->start_hrtime + (uint64_t)deadline_ns;
    struct timespec ts = {.tv_sec = (time_t)(at / 1000000000u),
                          .tv_nsec = (long)(at % 1000000000u)};
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
        ;
}

static void wakeup_timer_cb(uv_timer_t *timer) { (void)timer; }

/*
 * Real work outstanding: block in libuv, at most until the next deadline.
 *
 * UV_RUN_ONCE blocks in the poll unless a callback is already pending, and
 * a timer that comes due before the poll starts does not count: it fires,
 * and the poll then waits for I/O alone.  Three details keep the wakeup
 * timer from being lost that way: libuv's cached "now" is refreshed first
 * (uv_timer_start counts from it), the wait is rounded up to whole
 * milliseconds, and the timer repeats every millisecond, so even one that
 * fires early leaves a short poll behind it.  The timer is one handle for
 * the whole run, only started and stopped here: a uv_close()d handle cannot
 * be initialised again before its close completes in a later uv_run().
 */
/*
 * Before blocking, look for finished real work for a few microseconds.  A
 * thread-pool job that ends within that time (aw_to_thread of a short
 * function) then costs no sleep and wake-up of this thread -- the same
 * trade Go's scheduler makes with its spinning threads: a little CPU for
 * much less latency.
 */
enum { SPIN_NS = 20000 };

static bool spin_for_completions(aw__loop *loop)
{
    uint64_t until = uv_hrtime() + SPIN_NS;
    do {
        uv_run(&loop->uv, UV_RUN_NOWAIT);
        if (loop->ready_count > 0)
            return true;
    } while (uv_hrtime() < until);
    return false;
}

static void poll_until(aw__loop *loop, int64_t deadline_ns)
{
    if (spin_for_completions(loop))
        return;
    if (deadline_ns == INT64_MAX) {
        uv_run(&loop->uv, UV_RUN_ONCE);
        return;
    }
    int64_t wait_ns = deadline_ns - aw__now_ns();
    if (wait_ns <= 0) {
        uv_run(&loop->uv, UV_RUN_NOWAIT);
        return;
    }
    uv_update_time(&loop->uv);
    uv_timer_start(&loop->wakeup, wakeup_timer_cb, (uint64_t)((wait_ns + 999999) / 1000000), 1);
    uv_run(&loop->uv, UV_RUN_ONCE);
    uv_timer_stop(&loop->wakeup);
}

/*
 * Called when no task is ready.  Returns false if nothing can ever make one
 * ready again: no timer armed and no real work outstanding.
 */
static bool wait_for_something(aw__loop *loop)
{
    int64_t next = aw__timer_next_deadline();
    if (next == INT64_MAX && loop->real_work == 0)
        return false;
    aw__trace_flush(); /* a live viewer sees everything up to this pause */
    if (loop->real_work > 0) {
        poll_until(loop, loop->clock == AW_CLOCK_VIRTUAL ? INT64_MAX : next);
    } else if (loop->clock == AW_CLOCK_VIRTUAL) {
        if (next > loop->virtual_now_ns)
            loop->virtual_now_ns = next;
    } else {
        sleep_until(loop, next);
    }
    return true;
}

/* ----------------------------------------------------------------------- */
/* Running tasks                                                             */
/* ----------------------------------------------------------------------- */

static aw__callback *pop_ready(aw__loop *loop)
{
    aw__link *node = aw__list_pop_front(&loop->ready);
    loop->ready_count--;
    return aw__container_of(node, aw__callback, link);
}

/*
 * With many tasks, the one whose turn comes next was last touched thousands
 * of steps ago: its struct and the top of its stack have left the cache, and
 * resuming it waits on memory.  So while one task runs, we ask the CPU to
 * fetch what the next ones will need -- the struct of the task after next
 * (its address is in the ready queue) and the stack top of the next one (its
 * saved stack pointer is in its struct, fetched a step earlier).  Prefetches
 * are hints: they change how fast the loop runs, never what it does.
 *
 * AW__PREFETCH_HELPER is always_inline because GCC counts a prefetch as free
 * of side effects: a function that only prefetches is "pure", and a call to
 * it whose result is unused gets deleted.  Inlined, the prefetches stay.
 */
static AW__PREFETCH_HELPER void prefetch_task(const aw_task *task)
{
    const char *p = (const char *)task;
    for (size_t offset = 0; offset < sizeof *task; offset += 64)
        __builtin_prefetch(p + offset);
}

static AW__PREFETCH_HELPER aw_task *task_of(aw__link *node, const aw__loop *loop)
{
    if (node == &loop->ready)
        return NULL;
    aw__callback *callback = aw__container_of(node, aw__callback, link);
    return callback->run == aw__run_step ? aw__container_of(callback, aw_task, step) : NULL;
}

static AW__PREFETCH_HELPER void prefetch_upcoming(aw__loop *loop)
{
    aw_task *next = task_of(loop->ready.next, loop);
    if (next == NULL)
        return;
    if (next->stack != NULL)
        aw__context_prefetch(&next->context);
    else
        aw__stack_prefetch_next(); /* the stack it will get */
    aw_task *after = task_of(loop->ready.next->next, loop);
    if (after != NULL)
        prefetch_task(after);
}

static void warn_slow_step(aw__loop *loop, aw_task *task, uint64_t held_ns)
{
    fprintf(stderr,
            "awaitlab: task '%s' (id %u) held the loop for %.3f s without "
            "suspending; every other task waited (debug threshold %.3f s)\n",
            task->name, task->id, (double)held_ns / 1e9,
            (double)loop->debug_threshold_ns / 1e9);
    AW__TRACE(AW_EV_SLOW, task->id, 0, 0, (int64_t)held_ns, NULL, NULL);
}

/* Gives a task its first stack, or fails it if there is none to be had. */
static bool give_stack(aw__loop *loop, aw_task *task)
{
    task->stack = aw__stack_acquire(loop->stack_size);
    if (!task->stack) {
        aw_error error = {.code = AW_ENOMEM};
        snprintf(error.message, sizeof error.message, "no memory for the stack of task '%s'",
                 task->name);
        snprintf(error.origin, sizeof error.origin, "%s", task->name);
        aw__task_set_last_error(task, &error);
        aw__task_finish(task, AW_ENOMEM, 0);
        return false;
    }
    aw__context_init(&task->context, aw__stack_base(task->stack),
                     aw__stack_size(task->stack), aw__task_enter);
    return true;
}

/* One step of one task: from being resumed to its next suspension or end. */
void aw__run_step(aw__callback *step)
{
    aw__loop *loop = aw__the_loop;
    aw_task *task = aw__container_of(step, aw_task, step);
    if (!task->started) {
        task->started = true;
        if (task->cancel_requested) { /* cancelled before it ever ran */
            aw__task_finish(task, AW_ECANCELLED, 0);
            goto finished;
        }
        if (!give_stack(loop, task))
            goto finished;
    }
    loop->current = task;
    AW__TRACE(AW_EV_RUN, task->id, 0, 0, 0, NULL, NULL);
    uint64_t began = loop->debug ? uv_hrtime() : 0;
    aw__fiber_resume(task);
    loop->current = NULL;
    if (loop->debug) {
        uint64_t held = uv_hrtime() - began;
        if ((int64_t)held >= loop->debug_threshold_ns)
            warn_slow_step(loop, task, held);
    }
    if (task->state == AW_TASK_PENDING)
        return;
finished:
    aw__fiber_forget(task);
    if (task->stack) {
        aw__stack_release(task->stack);
        task->stack = NULL;
    }
    /* aw_run() still reads main; a group frees its child once told */
    if (task->released && task != loop->main_task && !aw__linked(&task->group_waiter.delivery.link))
        aw__task_free(task);
}

/* ----------------------------------------------------------------------- */
/* Deadlock                                                                  */
/* ----------------------------------------------------------------------- */

static const char *name_of(aw__loop *loop, uint32_t id)
{
    for (aw__link *l = loop->all_tasks.next; l != &loop->all_tasks; l = l->next) {
        aw_task *t = aw__container_of(l, aw_task, all_link);
        if (t->id == id)
            return t->name;
    }
    return "?";
}

/*
 * Every live task waits and nothing can wake any of them: asyncio would hang
 * here forever.  Say who waits on what, then cancel them all so the program
 * can unwind and end (with AW_EDEADLOCK from aw_run()).
 */
static void break_deadlock(aw__loop *loop)
{
    fprintf(stderr, "awaitlab: deadlock at t=%.3f s: %u task(s) wait and nothing "
            "can wake them:\n", (double)aw__now_ns() / 1e9, loop->live_tasks);
    int listed = 0;
    for (aw__link *l = loop->all_tasks.next; l != &loop->all_tasks; l = l->next) {
        aw_task *t = aw__container_of(l, aw_task, all_link);
        if (!t->suspended)
            continue;
        if (listed++ < 10) {
            if (t->wait->target)
                fprintf(stderr, "  '%s' waits on %s '%s'\n", t->name, t->wait->on,
                        name_of(loop, t->wait->target));
            else
                fprintf(stderr, "  '%s' waits on %s\n", t->name, t->wait->on);
        }
        t->cancel_requested = true;
        if (t->wait->detach)
            t->wait->detach(t);
        aw__wake(t, AW_ECANCELLED);
    }
    loop->deadlocked = true;
}

/* ----------------------------------------------------------------------- */
/* The loop                                                                  */
/* ----------------------------------------------------------------------- */

static void run_turn(aw__loop *loop)
{
    if (loop->ready_count == 0) {
        if (!wait_for_something(loop)) {
            break_deadlock(loop);
            return;
        }
    } else if (loop->real_work > 0) {
        uv_run(&loop->uv, UV_RUN_NOWAIT);
    }
    if (aw__timer_next_deadline() != INT64_MAX)
        aw__timers_fire_due(aw__now_ns());
    for (size_t n = loop->ready_count; n > 0 && loop->ready_count > 0; n--) {
        aw__callback *next = pop_ready(loop);
        prefetch_upcoming(loop);
        next->run(next);
    }
}

/* asyncio.run's ending: cancel whatever still runs, and let it finish. */
static void cancel_remaining(aw__loop *loop)
{
    for (aw__link *l = loop->all_tasks.next; l != &loop->all_tasks; l = l->next) {
        aw_task *t = aw__container_of(l, aw_task, all_link);
        aw_cancel(t);
    }
    while (loop->live_tasks > 0)
        run_turn(loop);
    /* Threads cannot be cancelled: like asyncio.run, wait for them. */
    while (loop->real_work > 0)
        uv_run(&loop->uv, UV_RUN_ONCE);
}

/* ----------------------------------------------------------------------- */
/* Configuration                                                             */
/* ----------------------------------------------------------------------- */

static aw_clock clock_from_env(void)
{
    const char *v = getenv("AWAITLAB_CLOCK");
    if (v && strcmp(v, "virtual") == 0)
        return AW_CLOCK_VIRTUAL;
    if (v && *v && strcmp(v, "real") != 0)
        fprintf(stderr, "awaitlab: AWAITLAB_CLOCK=%s is not 'real' or 'virtual'; "
                "using real\n", v);
    return AW_CLOCK_REAL;
}

static bool env_flag(const char *name)
{
    const char *v = getenv(name);
    return v && *v && strcmp(v, "0") != 0;
}

static size_t stack_size_from_env(size_t configured)
{
    if (configured)
        return configured;
    const char *v = getenv("AWAITLAB_STACK_SIZE");
    if (v && *v) {
        char *end;
        unsigned long kib = strtoul(v, &end, 10);
        if (*end == '\0' && kib >= 16 && kib <= 1024 * 1024)
            return kib * 1024;
        fprintf(stderr, "awaitlab: AWAITLAB_STACK_SIZE=%s is not a size in KiB "
                "(16 or more); using 64\n", v);
    }
    return 64 * 1024;
}

static int loop_open(aw__loop *loop, const aw_config *config)
{
    aw_config none = {0};
    if (!config)
        config = &none;
    memset(loop, 0, sizeof *loop);
    if (uv_loop_init(&loop->uv) != 0)
        return AW_ENOMEM;
    uv_timer_init(&loop->uv, &loop->wakeup);
    loop->clock = config->clock ? config->clock : clock_from_env();
    loop->start_hrtime = uv_hrtime();
    loop->next_task_id = 1;
    aw__list_init(&loop->ready);
    aw__list_init(&loop->all_tasks);
    loop->stack_size = stack_size_from_env(config->stack_size);
    loop->thread_pool_size = config->thread_pool_size;
    loop->debug = config->debug || env_flag("AWAITLAB_DEBUG");
    double threshold = config->debug_threshold_s > 0 ? config->debug_threshold_s : 0.1;
    loop->debug_threshold_ns = (int64_t)(threshold * 1e9);

    aw__trace_options trace = {.path = config->trace_path ? config->trace_path
                                                          : getenv("AWAITLAB_TRACE"),
                               .capture = config->trace_capture,
                               .clock = loop->clock};
    if (trace.path && !*trace.path)
        trace.path = NULL;
    if (aw__trace_open(&trace) != 0) {
        uv_close((uv_handle_t *)&loop->wakeup, NULL);
        uv_run(&loop->uv, UV_RUN_NOWAIT);
        uv_loop_close(&loop->uv);
        return AW_EINVAL;
    }
    return AW_OK;
}

static void loop_close(aw__loop *loop)
{
    aw__trace_close(aw__now_ns());
    while (!aw__list_empty(&loop->all_tasks))
        aw__task_free(aw__container_of(loop->all_tasks.next, aw_task, all_link));
    aw__task_spares_free();
    aw__timers_free();
    aw__stacks_keep_for_next_run();
    uv_close((uv_handle_t *)&loop->wakeup, NULL);
    uv_run(&loop->uv, UV_RUN_NOWAIT); /* let closed handles finish closing */
    uv_loop_close(&loop->uv);
}

static int main_status(const aw_task *main_task)
{
    switch (main_task->state) {
    case AW_TASK_OK:     return AW_OK;
    case AW_TASK_FAILED: return main_task->error->code;
    default:             return AW_ECANCELLED;
    }
}

int aw_run(aw_fn main, void *arg, const aw_config *config, intptr_t *result)
{
    if (aw__the_loop)
        return AW_ESTATE; /* aw_run() inside aw_run(), like asyncio.run() */
    if (!main)
        return AW_EINVAL;
    aw__loop *loop = malloc(sizeof *loop);
    if (!loop)
        return AW_ENOMEM;
    int status = loop_open(loop, config);
    if (status != AW_OK) {
        free(loop);
        return status;
    }
    aw__the_loop = loop;
    aw__overflow_handler_install();

    loop->main_task = aw__task_new(main, arg, "main", NULL);
    if (!loop->main_task) {
        status = AW_ENOMEM;
    } else {
        while (loop->main_task->state == AW_TASK_PENDING)
            run_turn(loop);
        cancel_remaining(loop);
        status = loop->deadlocked ? AW_EDEADLOCK : main_status(loop->main_task);
        if (result)
            *result = aw_task_value(loop->main_task);
    }

    aw__overflow_handler_remove();
    loop_close(loop);
    aw__the_loop = NULL;
    free(loop);
    return status;
}
