/*
 * Exercise http_one_session -- chapter 11, fix the bug.
 *
 * fetch_all() GETs n URLs from one host, `limit` at a time, and every
 * answer comes back -- but every request takes a handshake longer than the
 * service needs to answer it, and the service counts a new connection (a
 * TLS handshake) for each request: 20 handshakes for 20 requests made 4 at
 * a time, where 4 connections would have done.  Make the requests reuse
 * their connections.
 *
 * Lesson:   chapters/11_http_fanout.md#common-mistakes
 * Check it: awaitlab check http_one_session
 */
#include "awaitlab.h"

#include <stdlib.h>

/*
 * Given -- the check provides them: an HTTP client session (simulated: no
 * network), aiohttp's ClientSession.  A session keeps a pool of
 * connections: a request takes an idle one, or opens a new one (a
 * handshake, which takes time), and gives it back to the pool when its
 * answer is in.
 *
 * http_session_new()                  session = aiohttp.ClientSession()
 * http_session_free(session)          await session.close() (NULL: nothing)
 * http_session_get(session, url, &s)  response = await session.get(url):
 *                                     AW_OK with the status in *s, or a
 *                                     negative code when no answer came
 */
typedef struct http_session http_session;
http_session *http_session_new(void);
void http_session_free(http_session *session);
int http_session_get(http_session *session, const char *url, int *status);

static aw_semaphore in_flight; /* asyncio.Semaphore(limit) */

/*
 * async def get(url):
 *     async with in_flight:
 *         async with aiohttp.ClientSession() as session:
 *             response = await session.get(url)
 *     response.raise_for_status()
 *     return response.status
 */
static int get(const char *url, intptr_t *result)
{
    int status = aw_sem_acquire(&in_flight);
    if (status != AW_OK)
        return status;
    http_session *session = http_session_new();
    int code = 0;
    status = session ? http_session_get(session, url, &code) : AW_ENOMEM;
    http_session_free(session);
    aw_sem_release(&in_flight);
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
 * or its error code.  Returns AW_OK once every request has finished.
 */
int fetch_all(const char *const *urls, long n, long limit, int *outcomes)
{
    aw_task **tasks = calloc((size_t)n, sizeof *tasks);
    if (!tasks)
        return AW_ENOMEM;
    aw_sem_init(&in_flight, limit, "in_flight");
    for (long i = 0; i < n; i++)
        tasks[i] = aw_spawn(get_task, (void *)urls[i], "get-%ld", i);
    int status = aw_gather(tasks, (size_t)n, AW_RETURN_EXCEPTIONS);
    for (long i = 0; i < n; i++)
        outcomes[i] = outcome_of(tasks[i]);
    free(tasks);
    return status;
}
