/*
 * Exercise http_fanout_limit -- chapter 11, complete the code.
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
    /* TODO: take a permit from in_flight, call http_get(), and give the
     *       permit back on every path -- when http_get() fails, too. */

    /* TODO: no answer: return http_get()'s status.  An answer of 400 or
     *       more: return aw_raise(AW_EHTTP, "%d: %s", code, url).
     *       Otherwise the status is the result. */
    (void)in_flight;
    (void)url;
    (void)result;
    return AW_OK;
}

/* The body of one request's task; arg is its URL. */
static int get_task(void *arg, intptr_t *result)
{
    return get(arg, result);
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

    /* TODO: give in_flight `limit` permits (aw_sem_init; name it "in_flight"). */

    /* TODO: spawn one get_task per URL, named "get-<i>"; the URL is its
     *       argument: (void *)urls[i]. */

    /* TODO: gather them all, keeping failures as values. */
    int status = AW_OK;

    /* TODO: outcomes[i]: the task's value if it succeeded
     *       (aw_task_state_of, aw_task_value), else its error's code
     *       (aw_task_error(tasks[i])->code). */
    (void)get_task;
    (void)urls;
    (void)limit;
    (void)outcomes;

    free(tasks);
    return status;
}
