/*
 * Chapter 02 -- return_exceptions: keep going when some fail.
 *
 * n fetches, some of which fail.  Fetch i takes delay * (n - i) / n seconds,
 * so later items answer sooner and the first failure *in time* is not the
 * first in argument order.  Three sections:
 *
 *   fail_fast          gather() without return_exceptions: the first error
 *                      reaches us at once -- and the other fetches keep
 *                      running.  They are not cancelled; we watch them finish.
 *   return_exceptions  gather(..., return_exceptions=True): every outcome
 *                      comes back, errors as values, in argument order.
 *   cancel_on_error    what many tutorials say gather does by default,
 *                      done by hand: on the first error, cancel the rest.
 *
 * The Python twin is 02_return_exceptions.py; the lesson is the .md.
 */
#include "awaitlab.h"
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>

enum { FETCH_FAILED = AW_EAPP }; /* our ConnectionError */

static long n = 10;
static double delay = 0.5;
static long fail_every = 3;
static double fail_rate = 0;

static const lab_param params[] = {
    LAB_INT("n", &n, 1, 100000, "how many fetches"),
    LAB_SECONDS("delay", &delay, 0, 3600, "seconds the slowest fetch takes"),
    LAB_INT("fail-every", &fail_every, 0, 100000, "every k-th fetch fails (0: none)"),
    LAB_RATE("fail-rate", &fail_rate, "fail at random with this probability instead (uses --seed)"),
    LAB_END,
};

static bool *will_fail; /* decided up front, so every section sees the same */

static void choose_failures(void)
{
    for (long i = 0; i < n; i++) {
        if (fail_rate > 0)
            will_fail[i] = lab_random() < fail_rate;
        else
            will_fail[i] = fail_every > 0 && (i + 1) % fail_every == 0;
    }
}

/*
 * async def fetch(i):
 *     await asyncio.sleep(delay * (n - i) / n)
 *     if will_fail[i]:
 *         raise ConnectionError(f"item-{i}: connection refused")
 *     return i
 */
static int fetch(void *arg, intptr_t *result)
{
    intptr_t i = (intptr_t)arg;
    int status = aw_sleep(delay * (double)(n - i) / (double)n);
    if (status != AW_OK)
        return status;
    if (will_fail[i])
        return aw_raise(FETCH_FAILED, "item-%ld: connection refused", (long)i);
    *result = i;
    return AW_OK;
}

static void spawn_all(aw_task **tasks)
{
    for (long i = 0; i < n; i++)
        tasks[i] = aw_spawn(fetch, (void *)(intptr_t)i, "fetch-%ld", i);
}

static long count_unfinished(aw_task **tasks)
{
    long unfinished = 0;
    for (long i = 0; i < n; i++)
        unfinished += !aw_task_done(tasks[i]);
    return unfinished;
}

/*
 * try:
 *     results = await asyncio.gather(*tasks)
 * except ConnectionError as e:
 *     print("first error:", e)        # the others are still running!
 * await asyncio.gather(*tasks, return_exceptions=True)   # watch them finish
 */
static int fail_fast(aw_task **tasks)
{
    spawn_all(tasks);
    int status = aw_gather(tasks, (size_t)n, 0);
    if (status == AW_ECANCELLED && aw_cancelled())
        return status;
    if (status != AW_OK) {
        const aw_error *e = aw_last_error();
        long running = count_unfinished(tasks);
        lab_value_str("first_error", "%s", e->message);
        lab_value_double("error_at_s", aw_now());
        lab_value_int("still_running_at_error", running);
        lab_say("first error at %.3f s: %s (from %s)", aw_now(), e->message, e->origin);
        lab_say("%ld fetches were still running -- gather did not cancel them", running);
    }
    status = aw_gather(tasks, (size_t)n, AW_RETURN_EXCEPTIONS);
    if (status != AW_OK)
        return status;
    lab_value_int("finished_ok_anyway", lab_count_in_state(tasks, n, AW_TASK_OK));
    lab_say("all %ld ended by %.3f s: %ld ok, %ld failed, %ld cancelled", n, aw_now(),
            lab_count_in_state(tasks, n, AW_TASK_OK),
            lab_count_in_state(tasks, n, AW_TASK_FAILED),
            lab_count_in_state(tasks, n, AW_TASK_CANCELLED));
    return AW_OK;
}

/*
 * results = await asyncio.gather(*tasks, return_exceptions=True)
 * ok = [r for r in results if not isinstance(r, Exception)]
 */
static int collect_errors(aw_task **tasks)
{
    spawn_all(tasks);
    int status = aw_gather(tasks, (size_t)n, AW_RETURN_EXCEPTIONS);
    if (status != AW_OK)
        return status;
    char first_errors[160] = "";
    size_t used = 0;
    for (long i = 0; i < n; i++) {
        const aw_error *e = aw_task_error(tasks[i]);
        if (e && used < sizeof first_errors - 40)
            used += (size_t)snprintf(first_errors + used, sizeof first_errors - used, "%s%s",
                                     used ? "; " : "", e->message);
    }
    lab_value_int("ok", lab_count_in_state(tasks, n, AW_TASK_OK));
    lab_value_int("errors", lab_count_in_state(tasks, n, AW_TASK_FAILED));
    lab_value_str("errors_in_argument_order", "%s", first_errors);
    lab_say("%ld results and %ld errors, in argument order: %s",
            lab_count_in_state(tasks, n, AW_TASK_OK),
            lab_count_in_state(tasks, n, AW_TASK_FAILED), used ? first_errors : "(no errors)");
    return AW_OK;
}

/*
 * try:
 *     await asyncio.gather(*tasks)
 * except ConnectionError:
 *     for t in tasks:
 *         t.cancel()
 *     await asyncio.gather(*tasks, return_exceptions=True)
 */
static int cancel_on_error(aw_task **tasks)
{
    spawn_all(tasks);
    int status = aw_gather(tasks, (size_t)n, 0);
    if (status == AW_ECANCELLED && aw_cancelled())
        return status;
    if (status != AW_OK) {
        for (long i = 0; i < n; i++)
            aw_cancel(tasks[i]);
    }
    status = aw_gather(tasks, (size_t)n, AW_RETURN_EXCEPTIONS);
    if (status != AW_OK)
        return status;
    lab_value_int("cancelled", lab_count_in_state(tasks, n, AW_TASK_CANCELLED));
    lab_say("stopped at %.3f s: %ld cancelled by hand -- chapter 05's task groups do this for you",
            aw_now(), lab_count_in_state(tasks, n, AW_TASK_CANCELLED));
    return AW_OK;
}

static int chapter_main(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task **tasks = calloc((size_t)n, sizeof *tasks);
    will_fail = calloc((size_t)n, sizeof *will_fail);
    int status = AW_ENOMEM;
    if (!tasks || !will_fail)
        goto out;
    choose_failures();

    lab_section("fail_fast", "gather: the first error comes back at once");
    status = fail_fast(tasks);
    lab_section_end();
    if (status != AW_OK)
        goto out;

    lab_section("return_exceptions", "gather(return_exceptions): errors become values");
    status = collect_errors(tasks);
    lab_section_end();
    if (status != AW_OK)
        goto out;

    lab_section("cancel_on_error", "on the first error, cancel the rest by hand");
    status = cancel_on_error(tasks);
    lab_section_end();
out:
    free(tasks);
    free(will_fail);
    return status;
}

static const lab_chapter chapter = {
    .number = "02",
    .slug = "return_exceptions",
    .title = "return_exceptions: keep going when some fail",
    .summary = "gather fails fast but never cancels; collect errors as values instead",
    .params = params,
    .main_knob = "fail-every",
    .main = chapter_main,
};

int main(int argc, char **argv)
{
    return lab_main(&chapter, argc, argv);
}
