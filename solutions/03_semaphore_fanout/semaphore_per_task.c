/*
 * Exercise semaphore_per_task -- chapter 03, fix the bug.  A solution.
 *
 * send_all() sends n requests to a server that serves `limit` requests at
 * a time and answers "429 Too Many Requests" to any more.  It is meant to
 * be polite: every request goes through a Semaphore(limit).  Yet most
 * requests come back 429, exactly as if there were no semaphore at all,
 * and the whole batch takes one round trip.  Make every request get a 200.
 *
 * Lesson:   chapters/03_semaphore_fanout.md#common-mistakes
 * Check it: awaitlab check semaphore_per_task
 */
#include "awaitlab.h"

#include <stdlib.h>

/*
 * Given -- the check provides it: sends request i and waits for the answer
 * (the check decides how long the round trip takes).  Sets *http_status to
 * 200, or to 429 if the server was already serving as many as it can.  In
 * Python: `status = await send_request(i)`.
 */
int send_request(long i, intptr_t *http_status);

/*
 * One semaphore for all the requests, made once by send_all() before any
 * request starts.  The bug was a semaphore made inside each task: every
 * request had `limit` free permits of its own, so none ever waited.  A
 * limit only limits what shares it.
 */
static aw_semaphore requests;

/*
 * async def send_politely(i):
 *     async with requests:
 *         return await send_request(i)
 */
static int polite_task(void *arg, intptr_t *result)
{
    int status = aw_sem_acquire(&requests);
    if (status != AW_OK)
        return status; /* cancelled while queued: we hold no permit */
    status = send_request((long)(intptr_t)arg, result);
    aw_sem_release(&requests);
    return status;
}

/*
 * requests = asyncio.Semaphore(limit)
 * codes = await asyncio.gather(*(send_politely(i) for i in range(n)))
 *
 * Leaves request i's HTTP status in codes[i].  Returns AW_OK, or the
 * status of the first request that failed to get any answer.
 */
int send_all(long n, long limit, int *codes)
{
    int status = aw_sem_init(&requests, limit, "requests");
    if (status != AW_OK)
        return status;
    aw_task **tasks = calloc((size_t)n, sizeof *tasks);
    if (!tasks)
        return AW_ENOMEM;
    for (long i = 0; i < n; i++)
        tasks[i] = aw_spawn(polite_task, (void *)(intptr_t)i, "request-%ld", i);
    status = aw_gather(tasks, (size_t)n, 0);
    if (status == AW_OK)
        for (long i = 0; i < n; i++)
            codes[i] = (int)aw_task_value(tasks[i]);
    free(tasks);
    return status;
}
