/*
 * Exercise periodic_catch_up -- chapter 12, predict the output.
 *
 * A health check keeps its rate: the k-th check is due at start + k * 0.2 s,
 * and the task sleeps until then.  Every check takes 0.05 s, except check 1,
 * which takes 0.45 s -- longer than two periods.  When does each of the six
 * checks start?  Write the seven lines in periodic_catch_up.txt, one per
 * line, exactly as printed; then run the program to see.
 *
 * Lesson:   chapters/12_periodic_and_pages.md#the-c-version-line-by-line
 * Check it: awaitlab check periodic_catch_up
 */
#include "awaitlab.h"

#include <stdio.h>

static const double INTERVAL = 0.2;
static const double DURATION[6] = {0.05, 0.45, 0.05, 0.05, 0.05, 0.05};

/*
 * async def health():
 *     start = loop.time()
 *     for k in range(6):
 *         await asyncio.sleep(start + k * INTERVAL - loop.time())
 *         print(f"{loop.time():.3f} check {k} starts")
 *         await asyncio.sleep(DURATION[k])        # the check itself
 *     print(f"{loop.time():.3f} health: done")
 */
static int health(void *arg, intptr_t *result)
{
    (void)arg;
    double start = aw_now();
    for (int k = 0; k < 6; k++) {
        /* Until the k-th check is due; 0 or less is only a yield. */
        int status = aw_sleep(start + k * INTERVAL - aw_now());
        if (status != AW_OK)
            return status;
        printf("%.3f check %d starts\n", aw_now(), k);
        status = aw_sleep(DURATION[k]);
        if (status != AW_OK)
            return status;
    }
    printf("%.3f health: done\n", aw_now());
    *result = 6;
    return AW_OK;
}

static int main_task(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    return aw_await(aw_spawn(health, NULL, "health"));
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    return aw_run(main_task, NULL, &(aw_config){.clock = AW_CLOCK_VIRTUAL}, NULL) == AW_OK ? 0 : 1;
}
