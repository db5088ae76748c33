/*
 * Exercise await_in_order -- chapter 01, predict the output.
 *
 * Main spawns three fetches that take 0.3 s, 0.1 s and 0.2 s, then awaits
 * them one after another, in a plain for loop.  "Awaiting in a loop is
 * sequential", says the lesson -- so is this 0.6 s of fetching?  When does
 * each fetch start and finish, and when does main get each result?  Write
 * the ten lines the program prints in await_in_order.txt, one per line,
 * exactly as printed; then run the program to see.
 *
 * Lesson:   chapters/01_sequential_vs_gather.md#common-mistakes
 * Check it: awaitlab check await_in_order
 */
#include "awaitlab.h"

#include <stdio.h>

static const double delays[] = {0.3, 0.1, 0.2};

/*
 * async def fetch(i):
 *     print(f"{now():.3f} fetch-{i} starts")
 *     await asyncio.sleep(delays[i])
 *     print(f"{now():.3f} fetch-{i} done")
 *     return i
 */
static int fetch(void *arg, intptr_t *result)
{
    intptr_t i = (intptr_t)arg;
    printf("%.3f fetch-%ld starts\n", aw_now(), (long)i);
    int status = aw_sleep(delays[i]);
    if (status != AW_OK)
        return status;
    printf("%.3f fetch-%ld done\n", aw_now(), (long)i);
    *result = i;
    return AW_OK;
}

/*
 * tasks = [asyncio.create_task(fetch(i), name=f"fetch-{i}") for i in range(3)]
 * print(f"{now():.3f} main spawned 3")
 * for i, task in enumerate(tasks):
 *     await task
 *     print(f"{now():.3f} main got fetch-{i}")
 */
static int main_task(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *tasks[3];
    for (long i = 0; i < 3; i++)
        tasks[i] = aw_spawn(fetch, (void *)(intptr_t)i, "fetch-%ld", i);
    printf("%.3f main spawned 3\n", aw_now());
    for (long i = 0; i < 3; i++) {
        int status = aw_await(tasks[i]);
        if (status != AW_OK)
            return status;
        printf("%.3f main got fetch-%ld\n", aw_now(), i);
    }
    return AW_OK;
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    return aw_run(main_task, NULL, &(aw_config){.clock = AW_CLOCK_VIRTUAL}, NULL) == AW_OK ? 0 : 1;
}
