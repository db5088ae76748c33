/*
 * Chapter 03 -- semaphore fan-out: n jobs, at most `limit` at once.
 *
 * Four sections:
 *
 *   unbounded  n jobs started together: they all run at once and the
 *              batch takes `delay`.
 *   semaphore  the same jobs, each inside `async with Semaphore(limit)`:
 *              at most `limit` run at once, the batch takes
 *              ceil(n / limit) * delay (2.0 s with the defaults).
 *   flood      `requests` requests fired at once at a server that serves
 *              `capacity` at a time and answers the rest "429 Too Many
 *              Requests": almost all of them fail.
 *   polite     the same requests through a Semaphore(limit): with a limit
 *              the server can take, every one of them succeeds.
 *
 * Every job and request is a sleep standing in for a network call, so the
 * numbers are exact in virtual time (--clock virtual).
 *
 * The Python twin is 03_semaphore_fanout.py; the lesson is the .md.
 */
#include "awaitlab.h"
#include "harness.h"

#include <stdlib.h>

enum { TOO_MANY_REQUESTS = AW_EAPP }; /* HTTP 429, as an error code */

static long n = 20;
static long limit = 5;
static double delay = 0.5;
static long requests = 10000;
static long capacity = 5;
static double service = 0.001;

static const lab_param params[] = {
    LAB_INT("n", &n, 1, 100000, "how many jobs"),
    LAB_INT("limit", &limit, 1, 100000, "the semaphore's permits: at most this many at once"),
    LAB_SECONDS("delay", &delay, 0, 3600, "seconds each job takes"),
    LAB_INT("requests", &requests, 1, 10000, "requests sent to the rate-limited server"),
    LAB_INT("capacity", &capacity, 1, 100000, "requests the server serves at once; it answers "
                                              "the others 429"),
    LAB_SECONDS("service", &service, 0, 60, "seconds the server takes to answer a request"),
    LAB_END,
};

/* ----------------------------------------------------------------------- */
/* Jobs                                                                      */
/* ----------------------------------------------------------------------- */

static aw_semaphore jobs_sem;
static long holding, most_holding; /* jobs holding a permit: now, at most */

/*
 * async def job(i):
 *     await asyncio.sleep(delay)   # stands in for the real work
 *     return i
 */
static int job(long i, intptr_t *result)
{
    int status = aw_sleep(delay);
    if (status != AW_OK)
        return status;
    *result = i;
    return AW_OK;
}

/* async def unlimited(i): return await job(i) */
static int unlimited(void *arg, intptr_t *result)
{
    return job((long)(intptr_t)arg, result);
}

/*
 * async def limited(i):
 *     async with jobs_sem:
 *         return await job(i)
 *
 * `async with` releases the permit however the block ends; in C the release
 * is written out, after the job, whatever its status.
 */
static int limited(void *arg, intptr_t *result)
{
    int status = aw_sem_acquire(&jobs_sem);
    if (status != AW_OK)
        return status; /* cancelled while queued: we hold no permit */
    holding++;
    if (holding > most_holding)
        most_holding = holding;
    status = job((long)(intptr_t)arg, result);
    holding--;
    aw_sem_release(&jobs_sem);
    return status;
}

/* Spawns n tasks running `fn`, gathers them, frees the array. */
static int run_jobs(aw_fn fn)
{
    aw_task **tasks = calloc((size_t)n, sizeof *tasks);
    if (!tasks)
        return AW_ENOMEM;
    for (long i = 0; i < n; i++)
        tasks[i] = aw_spawn(fn, (void *)(intptr_t)i, "job-%ld", i);
    int status = aw_gather(tasks, (size_t)n, 0);
    free(tasks);
    return status;
}

/* ----------------------------------------------------------------------- */
/* The rate-limited server                                                   */
/* ----------------------------------------------------------------------- */

/*
 * A server that serves `capacity` requests at a time.  It decides when a
 * request arrives: with a free slot it serves it; without one it answers
 * 429 Too Many Requests.  Either answer takes `service` seconds to come
 * back.  `most_busy` is what the server saw: the most it ever served at once.
 */
static struct {
    long busy, most_busy;
} server;

/*
 * async def request(i):
 *     accepted = server.busy < capacity
 *     if accepted:
 *         server.busy += 1
 *         server.most_busy = max(server.most_busy, server.busy)
 *     try:
 *         await asyncio.sleep(service)     # the round trip
 *     finally:
 *         if accepted:
 *             server.busy -= 1
 *     if not accepted:
 *         raise TooManyRequests(f"request-{i}: 429 Too Many Requests")
 *     return 200
 */
static int request(long i, intptr_t *result)
{
    bool accepted = server.busy < capacity;
    if (accepted) {
        server.busy++;
        if (server.busy > server.most_busy)
            server.most_busy = server.busy;
    }
    int status = aw_sleep(service);
    if (accepted)
        server.busy--;
    if (status != AW_OK)
        return status;
    if (!accepted)
        return aw_raise(TOO_MANY_REQUESTS, "request-%ld: 429 Too Many Requests", i);
    *result = 200;
    return AW_OK;
}

static aw_semaphore requests_sem;

/* async def send(i): return await request(i) */
static int send(void *arg, intptr_t *result)
{
    return request((long)(intptr_t)arg, result);
}

/*
 * async def send_politely(i):
 *     async with requests_sem:
 *         return await request(i)
 */
static int send_politely(void *arg, intptr_t *result)
{
    int status = aw_sem_acquire(&requests_sem);
    if (status != AW_OK)
        return status;
    status = request((long)(intptr_t)arg, result);
    aw_sem_release(&requests_sem);
    return status;
}

/*
 * results = await asyncio.gather(*(fn(i) for i in range(requests)),
 *                                return_exceptions=True)
 * and counts the answers: 200, 429.
 */
static int send_all(aw_fn fn)
{
    aw_task **tasks = calloc((size_t)requests, sizeof *tasks);
    if (!tasks)
        return AW_ENOMEM;
    server.busy = server.most_busy = 0;
    for (long i = 0; i < requests; i++)
        tasks[i] = aw_spawn(fn, (void *)(intptr_t)i, "request-%ld", i);
    int status = aw_gather(tasks, (size_t)requests, AW_RETURN_EXCEPTIONS);
    long ok = 0, refused = 0;
    for (long i = 0; status == AW_OK && i < requests; i++) {
        const aw_error *e = aw_task_error(tasks[i]);
        ok += aw_task_state_of(tasks[i]) == AW_TASK_OK;
        refused += e && e->code == TOO_MANY_REQUESTS;
    }
    free(tasks);
    if (status != AW_OK)
        return status;
    lab_value_int("answered_200", ok);
    lab_value_int("answered_429", refused);
    lab_value_int("server_most_at_once", server.most_busy);
    lab_say("%ld answered 200, %ld answered 429; the server never served more than %ld at once",
            ok, refused, server.most_busy);
    return AW_OK;
}

/* ----------------------------------------------------------------------- */
/* The chapter                                                               */
/* ----------------------------------------------------------------------- */

static int chapter_main(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;

    lab_section("unbounded", "every job at once, no limit");
    int status = run_jobs(unlimited);
    lab_value_double("expected_s", delay);
    lab_section_end();
    if (status != AW_OK)
        return status;

    lab_section("semaphore", "each job inside async with Semaphore(limit)");
    lab_peak_excludes_waiting_on("jobs");
    status = aw_sem_init(&jobs_sem, limit, "jobs");
    if (status == AW_OK)
        status = run_jobs(limited);
    lab_value_double("expected_s", (double)((n + limit - 1) / limit) * delay);
    lab_value_int("most_holding_a_permit", most_holding);
    lab_say("most permits held at once: %ld", most_holding);
    lab_section_end();
    if (status != AW_OK)
        return status;

    lab_section("flood", "every request at once, at a server that serves capacity at a time");
    status = send_all(send);
    lab_section_end();
    if (status != AW_OK)
        return status;

    lab_section("polite", "the same requests through a Semaphore(limit)");
    lab_peak_excludes_waiting_on("requests");
    status = aw_sem_init(&requests_sem, limit, "requests");
    if (status == AW_OK)
        status = send_all(send_politely);
    lab_section_end();
    return status;
}

static const lab_chapter chapter = {
    .number = "03",
    .slug = "semaphore_fanout",
    .title = "Semaphore fan-out",
    .summary = "bound a fan-out with a semaphore; what a flood does to a rate-limited server",
    .params = params,
    .main_knob = "limit",
    .main = chapter_main,
};

int main(int argc, char **argv)
{
    return lab_main(&chapter, argc, argv);
}
