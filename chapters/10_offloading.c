/*
 * Chapter 10 -- offloading blocking work: threads and subprocesses.
 *
 * A few "ticker" tasks sleep `tick` seconds in a loop, as any healthy task
 * does between two bits of work; how late their ticks come shows whether
 * the loop is free.  Four sections:
 *
 *   blocking    a task calls a blocking function (a sleep standing in for
 *               a synchronous driver or a slow disk) directly: for `block`
 *               seconds no other task runs.  The chapter always runs in
 *               debug mode, so the runtime names the task that held the loop.
 *   to_thread   the same function through aw_to_thread(): it runs on a
 *               worker thread and the tickers keep their rhythm.
 *   subprocess  CPU-heavy work (counting primes) in `jobs` child processes,
 *               which here are this very program started with a hidden
 *               flag, while the tickers tick.
 *   cancel      a task waiting on a thread is cancelled `cancel-after`
 *               seconds after its thread began: the task stops at once, the thread
 *               does not -- it finishes its work `block` seconds after it
 *               began, and a second task that waits for it shows when.
 *
 * Everything here is real work on the real clock, so times vary a little
 * from run to run (and --clock virtual would hide the very freeze this
 * chapter is about: the virtual clock does not move during a task's step).
 *
 * The Python twin is 10_offloading.py; the lesson is the .md.
 */
#include "awaitlab.h"
#include "harness.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static long n = 3;
static double tick = 0.1;
static double block = 0.5;
static long primes = 2000000;
static long jobs = 2;
static double cancel_after = 0.1;

static const lab_param params[] = {
    LAB_INT("n", &n, 1, 20, "ticker tasks that sleep `tick` seconds in a loop"),
    LAB_SECONDS("tick", &tick, 0.01, 10, "seconds each ticker sleeps between two ticks"),
    LAB_SECONDS("block", &block, 0, 5, "seconds the blocking call takes"),
    LAB_INT("primes", &primes, 2, 5000000, "each CPU job counts the primes below this"),
    LAB_INT("jobs", &jobs, 1, 16, "CPU jobs, each in its own child process"),
    LAB_SECONDS("cancel-after", &cancel_after, 0, 60,
                "seconds after its thread began before the task waiting on it is cancelled"),
    LAB_END,
};

/* The hidden flag that turns this program into a CPU job (see main()). */
#define COUNT_PRIMES_FLAG "--count-primes"

/* ----------------------------------------------------------------------- */
/* The blocking work                                                         */
/* ----------------------------------------------------------------------- */

/* time.sleep(seconds): blocks the calling thread, whatever else is waiting. */
static void sleep_blocking(double seconds)
{
    struct timespec left = {(time_t)seconds, (long)((seconds - (double)(time_t)seconds) * 1e9)};
    while (nanosleep(&left, &left) != 0 && errno == EINTR)
        continue;
}

/*
 * def write_report():
 *     time.sleep(block)   # a synchronous database driver, requests.get, a slow disk
 *     return 1
 *
 * An ordinary blocking function: it knows nothing of tasks.
 */
static intptr_t write_report(void *arg)
{
    (void)arg;
    sleep_blocking(block);
    return 1;
}

/*
 * def a_little_work():
 *     end = time.perf_counter() + TICK_WORK
 *     while time.perf_counter() < end:
 *         pass
 *
 * What a task computes between two awaits: a moment, but a visible one, so
 * that every tick shows in the timeline.
 */
static const double TICK_WORK = 0.01;

static void a_little_work(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double end = (double)now.tv_sec + (double)now.tv_nsec * 1e-9 + TICK_WORK;
    do
        clock_gettime(CLOCK_MONOTONIC, &now);
    while ((double)now.tv_sec + (double)now.tv_nsec * 1e-9 < end);
}

/* def count_primes(below): the CPU-bound work, by trial division. */
static long count_primes(long below)
{
    long count = 0;
    for (long candidate = 2; candidate < below; candidate++) {
        bool prime = true;
        for (long d = 2; d * d <= candidate; d++) {
            if (candidate % d == 0) {
                prime = false;
                break;
            }
        }
        count += prime;
    }
    return count;
}

/* ----------------------------------------------------------------------- */
/* Tickers: tasks that show whether the loop is free                       */
/* ----------------------------------------------------------------------- */

static aw_event stop;        /* set when the section's work is done       */
static double longest_gap;   /* the longest time between two ticks, so far */

/*
 * async def ticker():
 *     last = loop.time()
 *     while not stop.is_set():
 *         await asyncio.sleep(tick)
 *         longest_gap = max(longest_gap, loop.time() - last)
 *         last = loop.time()
 *         a_little_work()
 */
static int ticker(void *arg, intptr_t *result)
{
    (void)arg;
    double last = aw_now();
    while (!aw_event_is_set(&stop)) {
        int status = aw_sleep(tick);
        if (status != AW_OK)
            return status;
        if (aw_now() - last > longest_gap)
            longest_gap = aw_now() - last;
        last = aw_now();
        a_little_work();
    }
    *result = 0;
    return AW_OK;
}

/*
 * async def with_tickers(work, count):
 *     tickers = [asyncio.create_task(ticker()) for i in range(n)]
 *     workers = [asyncio.create_task(work(i)) for i in range(count)]
 *     await asyncio.gather(*workers)
 *     stop.set()
 *     await asyncio.gather(*tickers)
 *
 * Runs `count` tasks of `work` (named name-0, name-1... or just `name` for
 * one) beside the tickers, and reports how late the tickers' ticks came.
 */
static int with_tickers(aw_fn work, long count, const char *name)
{
    aw_task *tickers[20], *workers[16];
    aw_event_init(&stop, "stop");
    longest_gap = 0;
    for (long i = 0; i < n; i++)
        tickers[i] = aw_spawn(ticker, NULL, "ticker-%ld", i);
    for (long i = 0; i < count; i++)
        workers[i] = count == 1 ? aw_spawn(work, (void *)(intptr_t)i, "%s", name)
                                : aw_spawn(work, (void *)(intptr_t)i, "%s-%ld", name, i);
    int status = aw_gather(workers, (size_t)count, 0);
    aw_event_set(&stop);
    int tickers_status = aw_gather(tickers, (size_t)n, 0);
    if (status == AW_OK)
        status = tickers_status;
    lab_value_double("tick_s", tick);
    lab_value_double("longest_gap_s", longest_gap);
    lab_say("the tickers asked for a tick every %.3f s; the longest gap was %.3f s", tick,
            longest_gap);
    return status;
}

/*
 * The steps that held the loop too long since trace event `first`: debug
 * mode records each one (a "slow" event) besides warning on stderr.
 * Reports how many, and the worst one's task and time.
 */
static void report_slow_steps(size_t first)
{
    size_t count;
    const aw_trace_event *e = aw_trace_events(&count);
    long slow = 0;
    const aw_trace_event *worst = NULL;
    for (size_t i = first; i < count; i++) {
        if (e[i].kind != AW_EV_SLOW)
            continue;
        slow++;
        if (!worst || e[i].value > worst->value)
            worst = &e[i];
    }
    lab_value_int("slow_steps", slow);
    if (!worst) {
        lab_say("debug mode: no step held the loop for 0.1 s or more");
        return;
    }
    const char *culprit = "?";
    for (size_t i = 0; i < count; i++)
        if (e[i].kind == AW_EV_SPAWN && e[i].task == worst->task)
            culprit = e[i].text;
    lab_value_str("culprit", "%s", culprit);
    lab_value_double("held_s", (double)worst->value / 1e9);
    lab_say("debug mode: task '%s' held the loop for %.3f s", culprit,
            (double)worst->value / 1e9);
}

/* ----------------------------------------------------------------------- */
/* blocking, to_thread                                                       */
/* ----------------------------------------------------------------------- */

/*
 * async def report_blocking(i):
 *     return write_report()          # the mistake: no await, no thread
 */
static int report_blocking(void *arg, intptr_t *result)
{
    (void)arg;
    *result = write_report(NULL);
    return AW_OK;
}

/*
 * async def report_on_thread(i):
 *     return await asyncio.to_thread(write_report)
 */
static int report_on_thread(void *arg, intptr_t *result)
{
    (void)arg;
    return aw_to_thread(write_report, NULL, result);
}

/* ----------------------------------------------------------------------- */
/* subprocess                                                                */
/* ----------------------------------------------------------------------- */

static char self_path[PATH_MAX]; /* this program, to start it again as a job */
static long primes_found;

/*
 * async def crunch(i):
 *     child = await asyncio.create_subprocess_exec(
 *         sys.executable, __file__, "--count-primes", str(primes), stdout=PIPE)
 *     out, _ = await child.communicate()
 *     if child.returncode != 0:
 *         raise RuntimeError(...)
 *     return int(out)
 */
static int crunch(void *arg, intptr_t *result)
{
    (void)arg;
    char below[32];
    snprintf(below, sizeof below, "%ld", primes);
    const char *argv[] = {self_path, COUNT_PRIMES_FLAG, below, NULL};
    aw_process_options options = {.argv = argv, .stderr_mode = AW_STDIO_INHERIT};
    aw_process_result child;
    int status = aw_process_run(&options, &child);
    if (status == AW_OK && child.returncode != 0)
        status = aw_raise(AW_EAPP, "the prime counter exited with status %d", child.returncode);
    if (status == AW_OK) {
        *result = strtol(child.out, NULL, 10);
        primes_found = (long)*result;
    }
    aw_process_result_free(&child);
    return status;
}

/* ----------------------------------------------------------------------- */
/* cancel                                                                    */
/* ----------------------------------------------------------------------- */

/*
 * Two threading.Events: set on one thread, waited for on another.  The
 * blocking functions below run on worker threads, so they talk through a
 * mutex and a condition variable, never through the runtime.
 */
static struct {
    pthread_mutex_t mutex;
    pthread_cond_t changed;
    bool began;   /* write_file_slowly() is running on its thread */
    bool written; /* ... and has finished                          */
} saved = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, false, false};

/* event.set() */
static void set_flag(bool *flag)
{
    pthread_mutex_lock(&saved.mutex);
    *flag = true;
    pthread_cond_broadcast(&saved.changed);
    pthread_mutex_unlock(&saved.mutex);
}

/* event.wait(): blocks the calling thread until the flag is set. */
static void wait_for_flag(const bool *flag)
{
    pthread_mutex_lock(&saved.mutex);
    while (!*flag)
        pthread_cond_wait(&saved.changed, &saved.mutex);
    pthread_mutex_unlock(&saved.mutex);
}

/*
 * def write_file_slowly():
 *     began.set()        # on a thread now: nothing will stop it
 *     time.sleep(block)
 *     saved.set()        # the work is done, whoever still waits for it
 *     return 1
 */
static intptr_t write_file_slowly(void *arg)
{
    (void)arg;
    set_flag(&saved.began);
    sleep_blocking(block);
    set_flag(&saved.written);
    return 1;
}

/* began.wait() */
static intptr_t wait_until_began(void *arg)
{
    (void)arg;
    wait_for_flag(&saved.began);
    return 1;
}

/* saved.wait() */
static intptr_t wait_until_saved(void *arg)
{
    (void)arg;
    wait_for_flag(&saved.written);
    return 1;
}

/* async def save(): return await asyncio.to_thread(write_file_slowly) */
static int save(void *arg, intptr_t *result)
{
    (void)arg;
    return aw_to_thread(write_file_slowly, NULL, result);
}

/* async def watch(): await asyncio.to_thread(saved.wait) */
static int watch(void *arg, intptr_t *result)
{
    (void)arg;
    return aw_to_thread(wait_until_saved, NULL, result);
}

/*
 * saver = asyncio.create_task(save())
 * await asyncio.sleep(0)                          # save queues its thread job
 * await asyncio.to_thread(began.wait)             # ... and the thread took it
 * watcher = asyncio.create_task(watch())
 * try:
 *     await asyncio.wait_for(saver, cancel_after)   # cancels saver on expiry
 * except TimeoutError:
 *     cancelled_at = loop.time()
 * await watcher                                     # the thread is still at it
 *
 * The clock for cancel_after starts once the thread is at work.  A job
 * cancelled while it still waits in the pool's queue is dropped and never
 * runs (asyncio's executor does the same), so with --cancel-after 0 nobody
 * would ever set `saved`, and the watcher would wait for ever.
 */
static int cancel_a_thread(void)
{
    saved.began = saved.written = false;
    double started = aw_now();
    aw_task *saver = aw_spawn(save, NULL, "save");
    int status = aw_sleep(0);
    if (status == AW_OK)
        status = aw_to_thread(wait_until_began, NULL, NULL);
    if (status != AW_OK)
        return status;
    aw_task *watcher = aw_spawn(watch, NULL, "watch");
    status = aw_wait_for(saver, cancel_after);
    double cancelled_at = aw_now() - started;
    if (status != AW_ETIMEDOUT && status != AW_OK)
        return status;
    bool cancelled = aw_task_state_of(saver) == AW_TASK_CANCELLED;
    status = aw_await(watcher);
    if (status != AW_OK)
        return status;
    double written_at = aw_now() - started;
    lab_value_bool("task_cancelled", cancelled);
    lab_value_bool("thread_finished", saved.written);
    lab_value_double("cancelled_at_s", cancelled_at);
    lab_value_double("thread_finished_at_s", written_at);
    if (!cancelled) {
        lab_say("%.3f s: task 'save' finished before its deadline", cancelled_at);
        return AW_OK;
    }
    lab_say("%.3f s: task 'save' was cancelled; its thread was not", cancelled_at);
    lab_say("%.3f s: the thread finished writing anyway, %.3f s after the cancellation",
            written_at, written_at - cancelled_at);
    return AW_OK;
}

/* ----------------------------------------------------------------------- */
/* The chapter                                                               */
/* ----------------------------------------------------------------------- */

static int chapter_main(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    size_t first;
    /* Real work does not jump with the virtual clock: say what that hides. */
    if (aw_clock_in_use() == AW_CLOCK_VIRTUAL)
        fprintf(stderr, "note: --clock virtual stands still while a step blocks or real work "
                        "runs, so the freeze this chapter shows takes no time here and the "
                        "times below count only sleeps; run it with --clock real.\n");

    lab_section("blocking", "a task calls a blocking function: every task waits");
    aw_trace_events(&first);
    int status = with_tickers(report_blocking, 1, "report");
    report_slow_steps(first);
    lab_section_end();
    if (status != AW_OK)
        return status;

    lab_section("to_thread", "the same call through to_thread: the tickers keep ticking");
    aw_trace_events(&first);
    status = with_tickers(report_on_thread, 1, "report");
    report_slow_steps(first);
    lab_section_end();
    if (status != AW_OK)
        return status;

    lab_section("subprocess", "CPU-heavy work in child processes, beside the tickers");
    status = with_tickers(crunch, jobs, "crunch");
    lab_value_int("primes_found", primes_found);
    lab_say("each child counted %ld primes below %ld", primes_found, primes);
    lab_section_end();
    if (status != AW_OK)
        return status;

    lab_section("cancel", "cancelling a task that waits on a thread does not stop the thread");
    status = cancel_a_thread();
    lab_section_end();
    return status;
}

static const lab_chapter chapter = {
    .number = "10",
    .slug = "offloading",
    .title = "Offloading blocking work",
    .summary = "a blocking call freezes every task; to_thread, subprocesses for CPU work, "
               "and threads that outlive cancellation",
    .params = params,
    .main_knob = "block",
    .main = chapter_main,
    .debug = true,
};

/*
 * `10_offloading --count-primes N` is not a chapter run: it is one CPU job,
 * started by crunch() as a child process.  It prints the count and exits.
 */
int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], COUNT_PRIMES_FLAG) == 0) {
        printf("%ld\n", count_primes(strtol(argv[2], NULL, 10)));
        return 0;
    }
    ssize_t len = readlink("/proc/self/exe", self_path, sizeof self_path - 1);
    if (len <= 0) {
        fprintf(stderr, "awaitlab: chapter 10: cannot find this program's own path\n");
        return 1;
    }
    self_path[len] = '\0';
    return lab_main(&chapter, argc, argv);
}
