/*
 * Exercise http_timeout_each -- chapter 11, fix the bug.  A solution.
 *
 * fetch_all() GETs n URLs, `limit` at a time; no request may take more
 * than `timeout` seconds once it is sent.  When one URL hangs, the whole
 * batch fails with "timed out" -- after 1 s, say, when the other URLs are
 * answered in 0.3 s each -- and the answers that did come in are lost.  Make
 * a slow request fail alone, with AW_ETIMEDOUT in its own outcome, while
 * every other request gets its answer.  (The wait for a permit is not the
 * service's fault, and does not count towards a request's timeout.)
 *
 * Lesson:   chapters/11_http_fanout.md#common-mistakes
 * Check it: awaitlab check http_timeout_each
 */
#include "awaitlab.h"

#include <stdlib.h>

/*
 * Given -- the check provides it: GET url from the (simulated) service.
 * Takes as long as the service takes -- for some URLs, for ever -- then
 * returns AW_OK with the answer's status in *status, or a negative code
 * when no answer came.  In Python: `response = await session.get(url)`.
 */
int http_get(const char *url, int *status);

static aw_semaphore in_flight;  /* asyncio.Semaphore(limit)         */
static double request_timeout;  /* seconds one request may take     */

/*
 * async def get(url):
 *     async with in_flight:
 *         try:
 *             async with asyncio.timeout(request_timeout):
 *                 response = await session.get(url)
 *         except TimeoutError:
 *             raise TimeoutError(f"GET {url}: no answer within {request_timeout} s")
 *     response.raise_for_status()
 *     return response.status
 *
 * The deadline is the request's own, and starts when the request is sent:
 * inside the permit, so that the time spent queueing for it does not count.
 */
static int get(const char *url, intptr_t *result)
{
    int status = aw_sem_acquire(&in_flight);
    if (status != AW_OK)
        return status;
    int code = 0;
    aw_timeout scope;
    aw_timeout_begin(&scope, request_timeout);
    status = http_get(url, &code);
    status = aw_timeout_end(&scope, status);
    aw_sem_release(&in_flight);
    if (status == AW_ETIMEDOUT)
        return aw_raise(AW_ETIMEDOUT, "GET %s: no answer within %g s", url, request_timeout);
    if (status != AW_OK)
        return status;
    if (code >= 400)
        return aw_raise(AW_EHTTP, "%d: %s", code, url);
    *result = code;
    return AW_OK;
}

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
 * Fetches every URL, at most `limit` at once; outcomes[i] is URL i's status,
 * or its error code (AW_ETIMEDOUT for a request that took too long).
 * Returns AW_OK once every request has finished.
 */
int fetch_all(const char *const *urls, long n, long limit, double timeout, int *outcomes)
{
    aw_task **tasks = calloc((size_t)n, sizeof *tasks);
    if (!tasks)
        return AW_ENOMEM;
    aw_sem_init(&in_flight, limit, "in_flight");
    request_timeout = timeout;
    for (long i = 0; i < n; i++)
        tasks[i] = aw_spawn(get_task, (void *)urls[i], "get-%ld", i);

    /* No deadline around the batch: each request has its own, in get(), so
     * a slow one fails alone and the others keep their answers. */
    int status = aw_gather(tasks, (size_t)n, AW_RETURN_EXCEPTIONS);
    for (long i = 0; i < n; i++)
        outcomes[i] = outcome_of(tasks[i]);
    free(tasks);
    return status;
}
