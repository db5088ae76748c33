/*
 * Exercise http_fanout_limit -- chapter 11, complete the code.  A solution.
 *
 * fetch_all() GETs n URLs concurrently, never more than `limit` in flight
 * (the service allows no more), and keeps every outcome as a value:
 * outcomes[i] is the status of URL i's answer if it is below 400, else an
 * error code -- AW_EHTTP for a status of 400 or more (raise_for_status), or
 * the error http_get() returned when no answer came.  One failure must not
 * stop or fail the others: fetch_all() returns AW_OK once all are done.
 *
 * Lesson:   chapters/11_http_fanout.md#the-c-version-line-by-line
 * Check it: awaitlab check http_fanout_limit
 */
#include "awaitlab.h"

#include <stdlib.h>

/*
 * Given -- the check provides it: GET url from the service (a simulated
 * one: no network).  It takes as long as the service takes, then returns
 * AW_OK with the answer's status in *status -- 200, 404, 500: an answer is
 * an answer, whatever its status -- or a negative code when no answer came
 * (AW_ECONNECT: connection refused), with a message in aw_last_error().
 * In Python: `response = await session.get(url)`.
 */
int http_get(const char *url, int *status);

static aw_semaphore in_flight; /* asyncio.Semaphore(limit), shared by every request */

/*
 * async def get(url):
 *     async with in_flight:
 *         response = await session.get(url)
 *     response.raise_for_status()
 *     return response.status
 */
static int get(const char *url, intptr_t *result)
{
    int status = aw_sem_acquire(&in_flight);
    if (status != AW_OK)
        return status; /* cancelled while queued: no permit to give back */
    int code = 0;
    status = http_get(url, &code);
    /* The permit bounds requests in flight: it goes back as soon as the
     * answer is in (or none came), before anyone looks at it. */
    aw_sem_release(&in_flight);
    if (status != AW_OK)
        return status;
    if (code >= 400)
        return aw_raise(AW_EHTTP, "%d: %s", code, url); /* raise_for_status() */
    *result = code;
    return AW_OK;
}

/* The body of one request's task; arg is its URL. */
static int get_task(void *arg, intptr_t *result)
{
    return get(arg, result);
}

/* A finished request as a value: its status, or its error's code. */
static int outcome_of(const aw_task *task)
{
    switch (aw_task_state_of(task)) {
    case AW_TASK_OK:
        return (int)aw_task_value(task);
    case AW_TASK_FAILED:
        return aw_task_error(task)->code;
    default:
        return AW_ECANCELLED;
    }
}

/*
 * tasks = [asyncio.create_task(get(url), name=f"get-{i}") for i, url in enumerate(urls)]
 * results = await asyncio.gather(*tasks, return_exceptions=True)
 */
int fetch_all(const char *const *urls, long n, long limit, int *outcomes)
{
    aw_task **tasks = calloc((size_t)n, sizeof *tasks);
    if (!tasks)
        return AW_ENOMEM;

    aw_sem_init(&in_flight, limit, "in_flight");
    for (long i = 0; i < n; i++)
        tasks[i] = aw_spawn(get_task, (void *)urls[i], "get-%ld", i);

    /* AW_RETURN_EXCEPTIONS: wait for every request, whatever its outcome. */
    int status = aw_gather(tasks, (size_t)n, AW_RETURN_EXCEPTIONS);
    for (long i = 0; i < n; i++)
        outcomes[i] = outcome_of(tasks[i]);

    free(tasks);
    return status;
}
