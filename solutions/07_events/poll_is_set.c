/*
 * Exercise poll_is_set -- chapter 07, fix the bug.  A solution.
 *
 * run_service() opens a connection and starts the workers, which must not
 * serve before the connection is up.  They never do -- but every one of
 * them starts late: up to a tenth of a second after the connection is
 * ready -- how late depends on how long connecting took -- and the timeline
 * shows the workers sleeping while they wait.  Make them start the moment
 * the connection is up.
 *
 * Lesson:   chapters/07_events.md#the-c-version-line-by-line
 * Check it: awaitlab check poll_is_set
 */
#include "awaitlab.h"

#include <stdlib.h>

/*
 * Given -- the check provides them.  open_connection() connects to the
 * server (it takes as long as the check decides); serve(i) is worker i's
 * work over that connection.  In Python: `await open_connection()`,
 * `await serve(i)`.
 */
int open_connection(void);
int serve(long worker);

static aw_event connected; /* set once the connection is up */

/*
 * async def connector():
 *     await open_connection()
 *     connected.set()
 */
static int connector(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    int status = open_connection();
    if (status != AW_OK)
        return status;
    aw_event_set(&connected);
    return AW_OK;
}

/*
 * async def worker(i):
 *     await connected.wait()
 *     await serve(i)
 *
 * wait() suspends the worker until set() wakes it, in the same instant;
 * looking at is_set() every so often would make it wake up late (and
 * often for nothing).
 */
static int worker(void *arg, intptr_t *result)
{
    (void)result;
    int status = aw_event_wait(&connected);
    if (status != AW_OK)
        return status;
    return serve((long)(intptr_t)arg);
}

/*
 * tasks = [asyncio.create_task(connector(), name="connector")]
 * tasks += [asyncio.create_task(worker(i), name=f"worker-{i}") for i in range(n)]
 * await asyncio.gather(*tasks)
 */
int run_service(long workers)
{
    aw_event_init(&connected, "connected");
    aw_task **tasks = calloc((size_t)workers + 1, sizeof *tasks);
    if (!tasks)
        return AW_ENOMEM;
    tasks[0] = aw_spawn(connector, NULL, "connector");
    for (long i = 0; i < workers; i++)
        tasks[i + 1] = aw_spawn(worker, (void *)(intptr_t)i, "worker-%ld", i);
    int status = aw_gather(tasks, (size_t)workers + 1, 0);
    free(tasks);
    return status;
}
