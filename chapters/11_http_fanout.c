/*
 * Chapter 11 -- HTTP fan-out: many GETs through one session, bounded.
 *
 * Real requests, to the lab server: one the program starts inside itself on
 * 127.0.0.1 (a free port), or the one --base-url names.  Three sections:
 *
 *   fanout    n GETs of /delay/<delay> through one session, at most `limit`
 *             at once (a Semaphore).  The server counts, from its side, the
 *             most requests it held open at once: it must be `limit`.
 *   failures  n GETs of /flaky, which answers 500 with probability
 *             `fail-rate`; errors are collected as values (gather with
 *             return_exceptions) and counted.  The server's coin is
 *             reproducible, so the count of failures is known in advance;
 *             which requests get them depends on the order they arrive in.
 *   timeouts  five GETs that take 0.1, 0.3, 0.5, 0.7 and 0.9 s, each
 *             inside its own `timeout` scope: the slow ones fail alone.
 *
 * Real I/O runs on the real clock (the virtual one stands still while a
 * request is out), so times vary a little from run to run; the counts do
 * not.
 *
 * The Python twin is 11_http_fanout.py; the lesson is the .md.
 */
#include "awaitlab.h"
#include "harness.h"
#include "lab_server.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { LADDER = 5 };                /* requests in the timeouts section */

static long n = 100;
static long limit = 10;
static double delay = 0.2;
static double fail_rate = 0.3;
static double timeout = 0.6;
static double request_timeout = 10;
static const char *base_url = NULL;
static const char *server;       /* --base-url, or our own server's URL */

static const lab_param params[] = {
    LAB_INT("n", &n, 1, 1000, "GET requests in the fanout and failures sections"),
    LAB_INT("limit", &limit, 1, 1000, "requests in flight at most (the semaphore's permits)"),
    LAB_SECONDS("delay", &delay, 0, 2, "seconds the server takes to answer /delay"),
    LAB_RATE("fail-rate", &fail_rate, "the probability that /flaky answers 500 (uses --seed)"),
    LAB_SECONDS("timeout", &timeout, 0.01, 60, "seconds each request may take in the "
                                                "timeouts section"),
    LAB_SECONDS("request-timeout", &request_timeout, 1, 300, "seconds any request may take "
                "before it fails, so a silent server fails the run in seconds"),
    LAB_STRING("base-url", &base_url, "the lab server to use, e.g. http://127.0.0.1:8080 "
                                      "(by default the program starts its own)"),
    LAB_END,
};

static aw_http_session *session; /* async with ClientSession() as session */
static aw_semaphore in_flight;   /* asyncio.Semaphore(limit)              */

/* ----------------------------------------------------------------------- */
/* One request                                                               */
/* ----------------------------------------------------------------------- */

/*
 * async def get(path):
 *     async with in_flight:
 *         async with session.get(server + path) as response:
 *             response.raise_for_status()
 *             return response.status
 *
 * A status of 400 or more is an answer, not a failure, until
 * raise_for_status() makes it one: aw_http_get() returns AW_OK for a 500.
 */
static int get(const char *path, intptr_t *result)
{
    char url[512];
    snprintf(url, sizeof url, "%s%s", server, path);
    int status = aw_sem_acquire(&in_flight);
    if (status != AW_OK)
        return status;
    aw_http_response response;
    status = aw_http_get(session, url, &response);
    aw_sem_release(&in_flight);
    if (status != AW_OK)
        return status;
    status = aw_http_raise_for_status(&response);
    *result = response.status;
    aw_http_response_free(&response);
    return status;
}

/* async def fetch_delayed(i): return await get(f"/delay/{delay}") */
static int fetch_delayed(void *arg, intptr_t *result)
{
    (void)arg;
    char path[64];
    snprintf(path, sizeof path, "/delay/%g", delay);
    return get(path, result);
}

/* async def fetch_flaky(i): return await get(f"/flaky?fail={fail_rate}&seed={seed}") */
static int fetch_flaky(void *arg, intptr_t *result)
{
    (void)arg;
    char path[96];
    snprintf(path, sizeof path, "/flaky?fail=%g&seed=%llu", fail_rate, lab_seed());
    return get(path, result);
}

/*
 * tasks = [asyncio.create_task(fetch(i)) for i in range(n)]
 * results = await asyncio.gather(*tasks, return_exceptions=True)
 *
 * Every request runs to its end whatever the others do; their outcomes are
 * counted into *ok and *failed.
 */
static int fan_out(aw_fn fetch, long *ok, long *failed)
{
    aw_task **tasks = calloc((size_t)n, sizeof *tasks);
    if (!tasks)
        return AW_ENOMEM;
    for (long i = 0; i < n; i++)
        tasks[i] = aw_spawn(fetch, (void *)(intptr_t)i, "request-%ld", i);
    int status = aw_gather(tasks, (size_t)n, AW_RETURN_EXCEPTIONS);
    *ok = *failed = 0;
    for (long i = 0; i < n; i++) {
        *ok += aw_task_state_of(tasks[i]) == AW_TASK_OK;
        *failed += aw_task_state_of(tasks[i]) == AW_TASK_FAILED;
    }
    free(tasks);
    return status;
}

/* ----------------------------------------------------------------------- */
/* What the server saw                                                       */
/* ----------------------------------------------------------------------- */

typedef struct server_stats {
    long requests;   /* requests received since the last reset   */
    long peak_open;  /* the most it held open at once            */
} server_stats;

/*
 * stats = await (await session.get(server + path)).json()
 *
 * GET /stats (or /stats/reset, which zeroes the counters and restarts every
 * /flaky sequence first).  The server never counts these two requests.
 */
static int ask_server(const char *path, server_stats *stats)
{
    char url[512];
    snprintf(url, sizeof url, "%s%s", server, path);
    aw_http_response response;
    int status = aw_http_get(session, url, &response);
    if (status != AW_OK)
        return status;
    status = aw_http_raise_for_status(&response);
    json_t *body = status == AW_OK ? json_loadb(response.body, response.body_size, 0, NULL) : NULL;
    json_int_t requests = 0, peak = 0;
    if (status == AW_OK &&
        json_unpack(body, "{s:I, s:I}", "requests", &requests, "peak_open", &peak) != 0)
        status = aw_raise(AW_EAPP, "%s: not the lab server's statistics", url);
    stats->requests = (long)requests;
    stats->peak_open = (long)peak;
    json_decref(body);
    aw_http_response_free(&response);
    return status;
}

/* ----------------------------------------------------------------------- */
/* Sections                                                                  */
/* ----------------------------------------------------------------------- */

static int fanout_section(void)
{
    server_stats seen;
    aw_http_session_stats pool_before, pool;
    aw_http_session_stats_get(session, &pool_before);
    long ok, failed;
    int status = ask_server("/stats/reset", &seen);
    if (status == AW_OK)
        status = fan_out(fetch_delayed, &ok, &failed);
    if (status == AW_OK)
        status = ask_server("/stats", &seen);
    if (status != AW_OK)
        return status;
    aw_http_session_stats_get(session, &pool);
    long opened = (long)(pool.connections_opened - pool_before.connections_opened);
    lab_value_int("server_requests", seen.requests);
    lab_value_int("server_peak_open", seen.peak_open);
    lab_value_int("connections_opened", opened);
    lab_value_double("expected_s", (double)((n + limit - 1) / limit) * delay);
    lab_say("%ld ok, %ld failed; the server got %ld requests and held at most %ld open "
            "at once", ok, failed, seen.requests, seen.peak_open);
    lab_say("the session opened %ld connections and reused them for the other %ld requests",
            opened, n - opened);
    return AW_OK;
}

static int failures_section(void)
{
    server_stats seen;
    long ok, failed, expected = 0;
    for (long i = 0; i < n; i++)
        expected += labserver_flaky_fails(lab_seed(), (uint64_t)i, fail_rate);
    int status = ask_server("/stats/reset", &seen);
    if (status == AW_OK)
        status = fan_out(fetch_flaky, &ok, &failed);
    if (status != AW_OK)
        return status;
    lab_value_int("ok", ok);
    lab_value_int("failed", failed);
    lab_value_int("expected_failed", expected);
    lab_say("%ld ok, %ld failed with a 500 (the server's coin, seed %llu, promised %ld)", ok,
            failed, lab_seed(), expected);
    return AW_OK;
}

/*
 * async def fetch_in_time(seconds):
 *     try:
 *         async with asyncio.timeout(timeout):
 *             return await get(f"/delay/{seconds}")
 *     except TimeoutError:
 *         raise TimeoutError(f"GET /delay/{seconds}: no answer within {timeout} s")
 */
static int fetch_in_time(void *arg, intptr_t *result)
{
    double seconds = 0.1 * (double)(2 * (long)(intptr_t)arg + 1);
    char path[64];
    snprintf(path, sizeof path, "/delay/%g", seconds);
    aw_timeout scope;
    aw_timeout_begin(&scope, timeout);
    int status = get(path, result);
    status = aw_timeout_end(&scope, status);
    if (status == AW_ETIMEDOUT)
        return aw_raise(AW_ETIMEDOUT, "GET %s: no answer within %g s", path, timeout);
    return status;
}

/*
 * tasks = [asyncio.create_task(fetch_in_time(0.1 * (2 * i + 1))) for i in range(5)]
 * results = await asyncio.gather(*tasks, return_exceptions=True)
 */
static int timeouts_section(void)
{
    aw_task *tasks[LADDER];
    for (long i = 0; i < LADDER; i++)
        tasks[i] = aw_spawn(fetch_in_time, (void *)(intptr_t)i, "delay-%g",
                            0.1 * (double)(2 * i + 1));
    int status = aw_gather(tasks, LADDER, AW_RETURN_EXCEPTIONS);
    if (status != AW_OK)
        return status;
    long ok = 0, timed_out = 0;
    for (long i = 0; i < LADDER; i++) {
        const aw_error *e = aw_task_error(tasks[i]);
        ok += aw_task_state_of(tasks[i]) == AW_TASK_OK;
        timed_out += e && e->code == AW_ETIMEDOUT;
    }
    lab_value_int("ok", ok);
    lab_value_int("timed_out", timed_out);
    if (timed_out == 0)
        lab_say("%ld answered within %g s, none timed out", ok, timeout);
    else
        lab_say("%ld answered within %g s, %ld timed out; each failed alone", ok, timeout,
                timed_out);
    return AW_OK;
}

/* ----------------------------------------------------------------------- */
/* The chapter                                                               */
/* ----------------------------------------------------------------------- */

static int run_sections(void)
{
    lab_section("fanout", "n GETs through one session, at most limit at once");
    lab_peak_excludes_waiting_on("in_flight");
    int status = fanout_section();
    lab_section_end();
    if (status != AW_OK)
        return status;

    lab_section("failures", "GETs of a flaky route; errors collected as values");
    lab_peak_excludes_waiting_on("in_flight");
    status = failures_section();
    lab_section_end();
    if (status != AW_OK)
        return status;

    lab_section("timeouts", "a timeout per request: the slow ones fail alone");
    status = timeouts_section();
    lab_section_end();
    return status;
}

static int chapter_main(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    labserver *own;
    /* Requests take real time, which the virtual clock does not count. */
    if (aw_clock_in_use() == AW_CLOCK_VIRTUAL)
        fprintf(stderr, "note: --clock virtual stands still while a request is out, so the "
                        "times below are near 0 and the timeouts never fire; the counts of "
                        "answers and failures still hold. Run it with --clock real.\n");
    if (!(server = lab_find_server("11", base_url, &own)))
        return AW_EINVAL;
    lab_say("lab server: %s%s", server, own ? " (started by this program)" : "");
    aw_sem_init(&in_flight, limit, "in_flight");
    session = aw_http_session_new(&(aw_http_session_options){.timeout_s = request_timeout});
    int status = session ? run_sections() : AW_ENOMEM;
    aw_http_session_free(session);
    labserver_stop(own);
    return status;
}

static const lab_chapter chapter = {
    .number = "11",
    .slug = "http_fanout",
    .title = "HTTP fan-out",
    .summary = "many GETs through one session, bounded by a semaphore; failures as values, "
               "a timeout per request",
    .params = params,
    .main_knob = "limit",
    .main = chapter_main,
};

int main(int argc, char **argv)
{
    return lab_main(&chapter, argc, argv);
}
