/*
 * Chapter 04 -- timeouts: deadlines for one task, for a gather, nested.
 *
 * n fetches; fetch i takes delay * (i + 1) / n seconds, so with the
 * defaults they take 0.2, 0.4, 0.6, 0.8 and 1.0 s against a timeout of
 * 0.5 s.  Five sections:
 *
 *   wait_for        each fetch under its own deadline, wait_for(task,
 *                   timeout): the quick ones answer, the slow ones are
 *                   cancelled at the deadline.
 *   gather_timeout  one deadline around a whole gather: at the deadline
 *                   the unfinished fetches are cancelled; the finished ones
 *                   keep their results; the caller gets the timeout.
 *   inner_shorter   two nested timeout scopes, the inner one shorter: only
 *                   the inner times out, and the outer block carries on.
 *   outer_shorter   the outer one shorter: the inner scope sees a plain
 *                   cancellation, and only the outer reports the timeout.
 *   cleanup         a fetch that, cancelled, must still wait to say goodbye
 *                   (`cleanup` seconds): in C that wait sits in a shield.
 *                   The caller gets the timeout after the goodbye.
 *
 * The Python twin is 04_timeouts.py; the lesson is the .md.
 */
#include "awaitlab.h"
#include "harness.h"

#include <stdlib.h>

static long n = 5;
static double delay = 1.0;
static double timeout = 0.5;
static double cleanup = 0.2;

static const lab_param params[] = {
    LAB_INT("n", &n, 1, 100000, "how many fetches"),
    LAB_SECONDS("delay", &delay, 0, 3600, "seconds the slowest fetch takes"),
    LAB_SECONDS("timeout", &timeout, 0, 3600, "the deadline, in seconds"),
    LAB_SECONDS("cleanup", &cleanup, 0, 3600, "seconds a cancelled fetch needs to say goodbye"),
    LAB_END,
};

/* How long fetch i takes: the last one takes `delay`. */
static double duration(long i)
{
    return delay * (double)(i + 1) / (double)n;
}

/*
 * async def fetch(i):
 *     await asyncio.sleep(duration(i))
 *     return i
 */
static int fetch(void *arg, intptr_t *result)
{
    long i = (long)(intptr_t)arg;
    int status = aw_sleep(duration(i));
    if (status != AW_OK)
        return status;
    *result = i;
    return AW_OK;
}

static aw_task *spawn_fetch(long i)
{
    return aw_spawn(fetch, (void *)(intptr_t)i, "fetch-%ld", i);
}

/* ----------------------------------------------------------------------- */
/* wait_for: a deadline per task                                            */
/* ----------------------------------------------------------------------- */

/*
 * async def fetch_with_deadline(i):
 *     task = asyncio.create_task(fetch(i))
 *     try:
 *         return await asyncio.wait_for(task, timeout)
 *     except TimeoutError:
 *         return None              # the fetch was cancelled
 */
static int fetch_with_deadline(void *arg, intptr_t *result)
{
    aw_task *task = spawn_fetch((long)(intptr_t)arg);
    if (!task)
        return AW_ENOMEM;
    int status = aw_wait_for(task, timeout);
    if (status == AW_ETIMEDOUT) {
        *result = -1; /* None */
        return AW_OK;
    }
    *result = aw_task_value(task);
    return status;
}

static int each_with_a_deadline(void)
{
    aw_task **guards = calloc((size_t)n, sizeof *guards);
    if (!guards)
        return AW_ENOMEM;
    for (long i = 0; i < n; i++)
        guards[i] = aw_spawn(fetch_with_deadline, (void *)(intptr_t)i, "deadline-%ld", i);
    int status = aw_gather(guards, (size_t)n, 0);
    long in_time = 0;
    for (long i = 0; status == AW_OK && i < n; i++)
        in_time += aw_task_value(guards[i]) >= 0;
    free(guards);
    if (status != AW_OK)
        return status;
    lab_value_int("in_time", in_time);
    lab_value_int("timed_out", n - in_time);
    lab_say("%ld fetches answered in time; %ld timed out, and wait_for cancelled them",
            in_time, n - in_time);
    return AW_OK;
}

/* ----------------------------------------------------------------------- */
/* A timeout around gather                                                   */
/* ----------------------------------------------------------------------- */

/*
 * tasks = [asyncio.create_task(fetch(i)) for i in range(n)]
 * try:
 *     async with asyncio.timeout(timeout):
 *         await asyncio.gather(*tasks)
 * except TimeoutError:
 *     ...                          # the unfinished ones were cancelled
 */
static int gather_with_timeout(void)
{
    aw_task **tasks = calloc((size_t)n, sizeof *tasks);
    if (!tasks)
        return AW_ENOMEM;
    for (long i = 0; i < n; i++)
        tasks[i] = spawn_fetch(i);

    aw_timeout scope;
    aw_timeout_begin(&scope, timeout);
    int status = aw_gather(tasks, (size_t)n, 0);
    status = aw_timeout_end(&scope, status);

    if (status == AW_OK || status == AW_ETIMEDOUT) {
        long kept = lab_count_in_state(tasks, n, AW_TASK_OK);
        long cancelled = lab_count_in_state(tasks, n, AW_TASK_CANCELLED);
        lab_value_bool("timed_out", status == AW_ETIMEDOUT);
        lab_value_int("kept_results", kept);
        lab_value_int("cancelled", cancelled);
        if (status == AW_ETIMEDOUT)
            lab_say("timed out: %ld fetches had finished and keep their results, "
                    "%ld were cancelled", kept, cancelled);
        else
            lab_say("every fetch finished in time");
        status = AW_OK;
    }
    free(tasks);
    return status;
}

/* ----------------------------------------------------------------------- */
/* Nested timeouts                                                           */
/* ----------------------------------------------------------------------- */

/*
 * The slowest fetch, under an inner deadline of `timeout` inside an outer
 * one of twice that.  The inner expires first: only it times out, and the
 * outer block goes on to fetch from a faster mirror (fetch 0).
 *
 * try:
 *     async with asyncio.timeout(2 * timeout):          # outer
 *         try:
 *             async with asyncio.timeout(timeout):      # inner, shorter
 *                 await asyncio.create_task(fetch(n - 1))
 *         except TimeoutError:
 *             await asyncio.create_task(fetch(0))       # the fast mirror
 * except TimeoutError:
 *     ...                                               # the outer, too
 */
static int inner_shorter(void)
{
    double started = aw_now();
    aw_timeout outer, inner;
    aw_timeout_begin(&outer, 2 * timeout);

    aw_timeout_begin(&inner, timeout);
    int status = aw_await(spawn_fetch(n - 1));
    status = aw_timeout_end(&inner, status);
    lab_value_bool("inner_timed_out", status == AW_ETIMEDOUT);
    if (status == AW_ETIMEDOUT) {
        lab_say("inner deadline passed at %.3f s: try the fast mirror", aw_now() - started);
        status = aw_await(spawn_fetch(0));
    }

    status = aw_timeout_end(&outer, status);
    lab_value_bool("outer_timed_out", status == AW_ETIMEDOUT);
    if (status == AW_ETIMEDOUT)
        lab_say("the outer deadline passed too, at %.3f s", aw_now() - started);
    else if (status == AW_OK)
        lab_say("the outer block finished in time, at %.3f s", aw_now() - started);
    return status == AW_ETIMEDOUT ? AW_OK : status;
}

/*
 * The same, with the deadlines the other way round: the outer one expires
 * first, so the inner scope sees a plain cancellation -- it is not its own
 * deadline -- and passes it on; the outer scope reports the timeout.
 *
 * try:
 *     async with asyncio.timeout(timeout):              # outer, shorter
 *         try:
 *             async with asyncio.timeout(2 * timeout):  # inner
 *                 await asyncio.create_task(fetch(n - 1))
 *         except asyncio.CancelledError:
 *             raise                                     # not ours: pass it on
 * except TimeoutError:
 *     ...
 */
static int outer_shorter(void)
{
    double started = aw_now();
    aw_timeout outer, inner;
    aw_timeout_begin(&outer, timeout);

    aw_timeout_begin(&inner, 2 * timeout);
    int status = aw_await(spawn_fetch(n - 1));
    status = aw_timeout_end(&inner, status);
    lab_value_str("inner_scope_saw", "%s", status == AW_ECANCELLED   ? "cancelled"
                                           : status == AW_ETIMEDOUT ? "timed out"
                                                                    : "nothing");
    if (status == AW_ECANCELLED)
        lab_say("inner scope at %.3f s: cancelled -- the outer deadline, not its own",
                aw_now() - started);

    status = aw_timeout_end(&outer, status);
    lab_value_bool("outer_timed_out", status == AW_ETIMEDOUT);
    if (status == AW_ETIMEDOUT)
        lab_say("outer scope at %.3f s: timed out", aw_now() - started);
    return status == AW_ETIMEDOUT ? AW_OK : status;
}

/* ----------------------------------------------------------------------- */
/* Cleanup that awaits                                                       */
/* ----------------------------------------------------------------------- */

/*
 * async def fetch_with_goodbye(i):
 *     try:
 *         await asyncio.sleep(duration(i))
 *         return i
 *     except asyncio.CancelledError:
 *         await asyncio.sleep(cleanup)   # tell the server goodbye
 *         raise
 *
 * asyncio delivers the cancellation once, so the cleanup's await works.
 * Here the task stays cancelled, and every await would fail at once --
 * unless it is shielded.
 */
static int fetch_with_goodbye(void *arg, intptr_t *result)
{
    long i = (long)(intptr_t)arg;
    int status = aw_sleep(duration(i));
    if (status == AW_ECANCELLED) {
        aw_shield_begin();
        aw_sleep(cleanup); /* tell the server goodbye */
        aw_shield_end();
        return status;
    }
    *result = i;
    return status;
}

/*
 * task = asyncio.create_task(fetch_with_goodbye(n - 1))
 * try:
 *     await asyncio.wait_for(task, timeout)
 * except TimeoutError:
 *     ...                          # only after the goodbye
 */
static int cleanup_under_shield(void)
{
    double started = aw_now();
    aw_task *task = aw_spawn(fetch_with_goodbye, (void *)(intptr_t)(n - 1), "fetch-%ld", n - 1);
    if (!task)
        return AW_ENOMEM;
    int status = aw_wait_for(task, timeout);
    lab_value_bool("timed_out", status == AW_ETIMEDOUT);
    lab_value_double("caller_resumed_after_s", aw_now() - started);
    if (status == AW_ETIMEDOUT)
        lab_say("the caller got the timeout %.3f s in: the deadline, then the goodbye",
                aw_now() - started);
    return status == AW_ETIMEDOUT ? AW_OK : status;
}

/* ----------------------------------------------------------------------- */
/* The chapter                                                               */
/* ----------------------------------------------------------------------- */

static int chapter_main(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;

    lab_section("wait_for", "each fetch under its own deadline");
    int status = each_with_a_deadline();
    lab_section_end();
    if (status != AW_OK)
        return status;

    lab_section("gather_timeout", "one deadline around a gather of every fetch");
    status = gather_with_timeout();
    lab_section_end();
    if (status != AW_OK)
        return status;

    lab_section("inner_shorter", "nested deadlines, the inner one shorter");
    status = inner_shorter();
    lab_section_end();
    if (status != AW_OK)
        return status;

    lab_section("outer_shorter", "nested deadlines, the outer one shorter");
    status = outer_shorter();
    lab_section_end();
    if (status != AW_OK)
        return status;

    lab_section("cleanup", "a cancelled fetch that must still wait to say goodbye");
    status = cleanup_under_shield();
    lab_section_end();
    return status;
}

static const lab_chapter chapter = {
    .number = "04",
    .slug = "timeouts",
    .title = "Timeouts",
    .summary = "deadlines per task, around a gather, nested; cleanup that must still wait",
    .params = params,
    .main_knob = "timeout",
    .main = chapter_main,
};

int main(int argc, char **argv)
{
    return lab_main(&chapter, argc, argv);
}
