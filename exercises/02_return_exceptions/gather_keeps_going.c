/*
 * Exercise gather_keeps_going -- chapter 02, predict the output.
 *
 * Four fetches are gathered without return_exceptions; two of them fail.
 * A tutorial says "if one task raises, gather cancels the others".  Main
 * catches the first error, then sleeps a second without looking at the
 * fetches, and finally prints how each one ended.  Which error does main
 * catch, and when?  Do the other fetches still finish?  Write the six
 * lines the program prints in gather_keeps_going.txt, one per line,
 * exactly as printed; then run the program to see.
 *
 * Lesson:   chapters/02_return_exceptions.md#common-mistakes
 * Check it: awaitlab check gather_keeps_going
 */
#include "awaitlab.h"

#include <stdbool.h>
#include <stdio.h>

enum { FETCHES = 4, FETCH_FAILED = AW_EAPP }; /* FETCH_FAILED: our ConnectionError */

static const double delays[FETCHES] = {0.3, 0.2, 0.1, 0.4};
static const bool fails[FETCHES] = {false, true, true, false};

/*
 * async def fetch(i):
 *     await asyncio.sleep(delays[i])
 *     if fails[i]:
 *         print(f"{now():.3f} fetch-{i} fails")
 *         raise ConnectionError(f"item-{i}: connection refused")
 *     print(f"{now():.3f} fetch-{i} done")
 *     return i
 */
static int fetch(void *arg, intptr_t *result)
{
    intptr_t i = (intptr_t)arg;
    int status = aw_sleep(delays[i]);
    if (status != AW_OK)
        return status;
    if (fails[i]) {
        printf("%.3f fetch-%ld fails\n", aw_now(), (long)i);
        return aw_raise(FETCH_FAILED, "item-%ld: connection refused", (long)i);
    }
    printf("%.3f fetch-%ld done\n", aw_now(), (long)i);
    *result = i;
    return AW_OK;
}

static const char *outcome(const aw_task *task)
{
    switch (aw_task_state_of(task)) {
    case AW_TASK_OK:
        return "ok";
    case AW_TASK_FAILED:
        return "failed";
    case AW_TASK_CANCELLED:
        return "cancelled";
    default:
        return "still running";
    }
}

/*
 * tasks = [asyncio.create_task(fetch(i), name=f"fetch-{i}") for i in range(4)]
 * try:
 *     await asyncio.gather(*tasks)
 * except ConnectionError as e:
 *     print(f"{now():.3f} main caught {e}")
 * await asyncio.sleep(1.0)
 * print(f"{now():.3f} main:", ", ".join(f"fetch-{i} {outcome(t)}" ...))
 */
static int main_task(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *tasks[FETCHES];
    for (long i = 0; i < FETCHES; i++)
        tasks[i] = aw_spawn(fetch, (void *)(intptr_t)i, "fetch-%ld", i);

    int status = aw_gather(tasks, FETCHES, 0);
    if (status == FETCH_FAILED)
        printf("%.3f main caught %s\n", aw_now(), aw_last_error()->message);
    else if (status != AW_OK)
        return status;

    status = aw_sleep(1.0);
    if (status != AW_OK)
        return status;
    printf("%.3f main: fetch-0 %s, fetch-1 %s, fetch-2 %s, fetch-3 %s\n", aw_now(),
           outcome(tasks[0]), outcome(tasks[1]), outcome(tasks[2]), outcome(tasks[3]));
    return AW_OK;
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    return aw_run(main_task, NULL, &(aw_config){.clock = AW_CLOCK_VIRTUAL}, NULL) == AW_OK ? 0 : 1;
}
