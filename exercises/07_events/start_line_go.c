/*
 * Exercise start_line_go -- chapter 07, complete the code.
 *
 * race() lines up n runners that need different times to warm up.  Make
 * every runner wait at the start line once it is warm, and have the starter
 * fire `go` the moment the last runner is ready, so that all of them start
 * their race at the same instant -- however long the warm-ups take.
 *
 * Lesson:   chapters/07_events.md#the-answer
 * Check it: awaitlab check start_line_go
 */
#include "awaitlab.h"

#include <stdlib.h>

/*
 * Given -- the check provides them.  warm_up(i) is runner i getting ready
 * and run_race(i) its race; each takes as long as the check decides.  In
 * Python: `await warm_up(i)`, `await run_race(i)`.
 */
int warm_up(long i);
int run_race(long i);

static aw_event all_ready; /* set by the last runner to be ready         */
static aw_event go;        /* set by the starter: the start line opens   */
static long ready;         /* runners warmed up so far                   */
static long runners;       /* how many there are                         */

/*
 * async def runner(i):
 *     global ready
 *     await warm_up(i)
 *     ready += 1
 *     if ready == runners:
 *         all_ready.set()
 *     await go.wait()
 *     await run_race(i)
 */
static int runner(void *arg, intptr_t *result)
{
    (void)result;
    long i = (long)(intptr_t)arg;
    int status = warm_up(i);
    if (status != AW_OK)
        return status;

    /* TODO: count this runner in (ready); the last one to be ready sets
     *       all_ready.  Then wait at the start line until `go` is set
     *       (aw_event_wait), and give up if that does not return AW_OK. */

    return run_race(i);
}

/*
 * async def starter():
 *     await all_ready.wait()
 *     go.set()
 */
static int starter(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    /* TODO: wait until every runner is ready (all_ready), then open the
     *       start line (go). */
    return AW_OK;
}

/*
 * tasks = [asyncio.create_task(runner(i), name=f"runner-{i}") for i in range(n)]
 * tasks.append(asyncio.create_task(starter(), name="starter"))
 * await asyncio.gather(*tasks)
 */
int race(long n)
{
    aw_event_init(&all_ready, "all_ready");
    aw_event_init(&go, "go");
    ready = 0;
    runners = n;

    aw_task **tasks = calloc((size_t)n + 1, sizeof *tasks);
    if (!tasks)
        return AW_ENOMEM;
    for (long i = 0; i < n; i++)
        tasks[i] = aw_spawn(runner, (void *)(intptr_t)i, "runner-%ld", i);
    tasks[n] = aw_spawn(starter, NULL, "starter");
    int status = aw_gather(tasks, (size_t)n + 1, 0);
    free(tasks);
    return status;
}
