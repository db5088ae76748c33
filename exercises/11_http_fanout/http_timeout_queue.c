/*
 * Exercise http_timeout_queue -- chapter 11, predict the output.
 *
 * Six GETs, at most two in flight, each inside its own timeout of 0.7 s.
 * The service answers every request in 0.3 s, well within the timeout.
 * What does each request print, and when?  Write the seven lines in
 * http_timeout_queue.txt, one per line, exactly as printed; then run the
 * program to see.
 *
 * Lesson:   chapters/11_http_fanout.md#common-mistakes
 * Check it: awaitlab check http_timeout_queue
 */
#include "awaitlab.h"

#include <stdio.h>

static const double TIMEOUT = 0.7; /* seconds each request may take       */
static const double ANSWER = 0.3;  /* seconds the service takes to answer */

static aw_semaphore in_flight; /* asyncio.Semaphore(2) */

/* A pretend GET (no network): the service answers 200 after 0.3 s. */
static int http_get(int *status)
{
    int result = aw_sleep(ANSWER);
    if (result != AW_OK)
        return result;
    *status = 200;
    return AW_OK;
}

/*
 * async def get(name):
 *     try:
 *         async with asyncio.timeout(0.7):
 *             async with in_flight:
 *                 status = await http_get()
 *         print(f"{now:.3f} {name} {status}")
 *     except TimeoutError:
 *         print(f"{now:.3f} {name} timed out")
 */
static int get(void *arg, intptr_t *result)
{
    (void)arg;
    const char *name = aw_task_name(aw_current());
    int code = 0;
    aw_timeout scope;
    aw_timeout_begin(&scope, TIMEOUT);
    int status = aw_sem_acquire(&in_flight);
    if (status == AW_OK) {
        status = http_get(&code);
        aw_sem_release(&in_flight);
    }
    status = aw_timeout_end(&scope, status);
    if (status == AW_OK)
        printf("%.3f %s %d\n", aw_now(), name, code);
    else
        printf("%.3f %s %s\n", aw_now(), name, aw_strerror(status));
    *result = code;
    return status;
}

static int main_task(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_sem_init(&in_flight, 2, "in_flight");
    aw_task *tasks[6];
    for (int i = 0; i < 6; i++)
        tasks[i] = aw_spawn(get, NULL, "get-%d", i);
    aw_gather(tasks, 6, AW_RETURN_EXCEPTIONS);
    printf("%.3f main: done\n", aw_now());
    return AW_OK;
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    return aw_run(main_task, NULL, &(aw_config){.clock = AW_CLOCK_VIRTUAL}, NULL) == AW_OK ? 0 : 1;
}
