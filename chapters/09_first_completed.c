/*
 * Chapter 09 -- first completed: hedged requests, as_completed, wait.
 *
 * The same request goes to three servers, a, b and c, which answer after
 * their own latency (0.5, 0.2 and 0.8 s by default); server number `down`
 * answers with an error instead.  Three sections:
 *
 *   first_completed  a hedged request: ask all three, take the first good
 *                    answer (wait with FIRST_COMPLETED), cancel the others.
 *                    A failure also counts as "completed", so the loop
 *                    waits again until an answer is good.
 *   as_completed     take every answer, in the order they arrive.
 *   wait_timeout     wait for all of them, but only `timeout` seconds:
 *                    wait returns what is done and what is pending and
 *                    cancels nothing -- cancelling the rest is our job.
 *
 * The Python twin is 09_first_completed.py; the lesson is the .md.
 */
#include "awaitlab.h"
#include "harness.h"

#include <stdio.h>

enum { SERVERS = 3, UNAVAILABLE = AW_EAPP }; /* UNAVAILABLE: our ConnectionError */

static double latency_a = 0.5;
static double latency_b = 0.2;
static double latency_c = 0.8;
static long down = 3;
static double timeout = 0.6;

static const lab_param params[] = {
    LAB_SECONDS("latency-a", &latency_a, 0, 3600, "seconds server a takes to answer"),
    LAB_SECONDS("latency-b", &latency_b, 0, 3600, "seconds server b takes to answer"),
    LAB_SECONDS("latency-c", &latency_c, 0, 3600, "seconds server c takes to answer"),
    LAB_INT("down", &down, 0, 3, "which server answers with an error: 0 a, 1 b, 2 c, 3 none"),
    LAB_SECONDS("timeout", &timeout, 0, 3600, "how long wait() waits in wait_timeout"),
    LAB_END,
};

static const char *const names[SERVERS] = {"a", "b", "c"};
static const double *const latencies[SERVERS] = {&latency_a, &latency_b, &latency_c};

/*
 * async def ask(i):
 *     await asyncio.sleep(latencies[i])
 *     if i == down:
 *         raise ConnectionError(f"server-{names[i]}: 503 Service Unavailable")
 *     return i
 */
static int ask(void *arg, intptr_t *result)
{
    long i = (long)(intptr_t)arg;
    int status = aw_sleep(*latencies[i]);
    if (status != AW_OK)
        return status;
    if (i == down)
        return aw_raise(UNAVAILABLE, "server-%s: 503 Service Unavailable", names[i]);
    *result = i;
    return AW_OK;
}

/* tasks = [asyncio.create_task(ask(i)) for i in range(3)] */
static void ask_everyone(aw_task **tasks)
{
    for (long i = 0; i < SERVERS; i++)
        tasks[i] = aw_spawn(ask, (void *)(intptr_t)i, "server-%s", names[i]);
}

/*
 * for t in tasks:
 *     if not t.done():
 *         t.cancel()
 * await asyncio.gather(*tasks, return_exceptions=True)
 *
 * wait() cancels nothing, so the losers are cancelled here -- and awaited,
 * so that none of them is still running when we move on.
 */
static int cancel_the_rest(aw_task **tasks)
{
    long cancelled = 0;
    for (long i = 0; i < SERVERS; i++)
        cancelled += aw_cancel(tasks[i]);
    lab_value_int("cancelled", cancelled);
    return aw_gather(tasks, SERVERS, AW_RETURN_EXCEPTIONS);
}

/* ----------------------------------------------------------------------- */
/* The hedged request                                                        */
/* ----------------------------------------------------------------------- */

/*
 * pending = set(tasks)
 * answer = None
 * while pending and answer is None:
 *     done, pending = await asyncio.wait(pending, return_when=FIRST_COMPLETED)
 *     for t in tasks:                       # argument order, for ties
 *         if t not in done:
 *             continue
 *         if t.exception():
 *             ...                           # a failure: wait for the next
 *         elif answer is None:
 *             answer = t.result()
 * await cancel_the_rest(tasks)
 */
static int hedged(aw_task **tasks)
{
    double started = aw_now();
    ask_everyone(tasks);
    aw_task *pending[SERVERS];
    size_t pending_count = SERVERS;
    long answer = -1;
    for (long i = 0; i < SERVERS; i++)
        pending[i] = tasks[i];
    while (pending_count > 0 && answer < 0) {
        int status = aw_wait(pending, pending_count, AW_FIRST_COMPLETED, AW_NEVER, NULL);
        if (status != AW_OK)
            return status;
        size_t still = 0;
        for (size_t i = 0; i < pending_count; i++) {
            aw_task *t = pending[i];
            if (!aw_task_done(t))
                pending[still++] = t; /* pending: keep it for the next wait */
            else if (aw_task_state_of(t) == AW_TASK_FAILED)
                lab_say("%.3f s: %s -- wait for the next", aw_now() - started,
                        aw_task_error(t)->message);
            else if (aw_task_state_of(t) == AW_TASK_OK && answer < 0)
                answer = (long)aw_task_value(t);
        }
        pending_count = still;
    }
    double answered_after = aw_now() - started;
    int status = cancel_the_rest(tasks);
    if (status != AW_OK)
        return status;
    if (answer < 0) {
        lab_value_str("winner", "none");
        lab_say("no server gave a good answer");
        return AW_OK;
    }
    lab_value_str("winner", "server-%s", names[answer]);
    lab_value_double("answered_after_s", answered_after);
    lab_say("%.3f s: the answer of server-%s; the others were cancelled", answered_after,
            names[answer]);
    return AW_OK;
}

/* ----------------------------------------------------------------------- */
/* Every answer, as it arrives                                               */
/* ----------------------------------------------------------------------- */

/*
 * for next_answer in asyncio.as_completed(tasks):
 *     try:
 *         i = await next_answer
 *         ...                               # use it now
 *     except ConnectionError as e:
 *         ...
 */
static int in_arrival_order(aw_task **tasks)
{
    double started = aw_now();
    ask_everyone(tasks);
    aw_as_completed it;
    aw_as_completed_begin(&it, tasks, SERVERS, AW_NEVER);
    char order[64] = "";
    size_t used = 0;
    aw_task *next;
    int status;
    while ((status = aw_as_completed_next(&it, &next)) == AW_OK && next) {
        if (aw_task_state_of(next) == AW_TASK_OK)
            lab_say("%.3f s: the answer of server-%s", aw_now() - started,
                    names[aw_task_value(next)]);
        else
            lab_say("%.3f s: %s", aw_now() - started, aw_task_error(next)->message);
        used += (size_t)snprintf(order + used, sizeof order - used, "%s%s", used ? ", " : "",
                                 aw_task_name(next));
    }
    aw_as_completed_end(&it);
    lab_value_str("arrival_order", "%s", order);
    return status;
}

/* ----------------------------------------------------------------------- */
/* wait, with a timeout                                                      */
/* ----------------------------------------------------------------------- */

/*
 * done, pending = await asyncio.wait(tasks, timeout=timeout)
 * answers = [t.result() for t in done if not t.exception()]
 * errors = [t.exception() for t in done if t.exception()]
 * await cancel_the_rest(tasks)              # pending: still running
 */
static int wait_with_timeout(aw_task **tasks)
{
    double started = aw_now();
    ask_everyone(tasks);
    size_t done = 0;
    int status = aw_wait(tasks, SERVERS, AW_ALL_COMPLETED, timeout, &done);
    if (status != AW_OK)
        return status;
    long answers = 0, errors = 0;
    for (long i = 0; i < SERVERS; i++) {
        answers += aw_task_state_of(tasks[i]) == AW_TASK_OK;
        errors += aw_task_state_of(tasks[i]) == AW_TASK_FAILED;
    }
    long pending = SERVERS - (long)done;
    lab_value_int("done", (long)done);
    lab_value_int("answers", answers);
    lab_value_int("errors", errors);
    lab_value_int("pending", pending);
    lab_say("wait returned after %.3f s: %zu done (answers: %ld, errors: %ld); "
            "%ld still pending, cancelled now", aw_now() - started, done, answers, errors,
            pending);
    return cancel_the_rest(tasks);
}

/* ----------------------------------------------------------------------- */
/* The chapter                                                               */
/* ----------------------------------------------------------------------- */

static int chapter_main(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *tasks[SERVERS];

    lab_section("first_completed", "ask three servers, keep the first good answer");
    int status = hedged(tasks);
    lab_section_end();
    if (status != AW_OK)
        return status;

    lab_section("as_completed", "every answer, in the order they arrive");
    status = in_arrival_order(tasks);
    lab_section_end();
    if (status != AW_OK)
        return status;

    lab_section("wait_timeout", "wait for all, but only for timeout seconds");
    status = wait_with_timeout(tasks);
    lab_section_end();
    return status;
}

static const lab_chapter chapter = {
    .number = "09",
    .slug = "first_completed",
    .title = "First completed",
    .summary = "hedged requests with wait(FIRST_COMPLETED), as_completed, wait with a timeout",
    .params = params,
    .main_knob = "timeout",
    .main = chapter_main,
};

int main(int argc, char **argv)
{
    return lab_main(&chapter, argc, argv);
}
