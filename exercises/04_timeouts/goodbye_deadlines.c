/*
 * Exercise goodbye_deadlines -- chapter 04, predict the output.
 *
 * main asks two fetches in turn, each under an inner deadline, both inside
 * an outer deadline of 1.0 s.  fetch-a (0.5 s) gets an inner 0.3 s;
 * fetch-b (0.8 s) an inner 2.0 s.  A cancelled fetch says goodbye for
 * 0.1 s before it gives up.  When does each scope end, and does it say
 * "timed out" or "cancelled"?  Write the nine lines the program prints in
 * goodbye_deadlines.txt, one per line, exactly as printed; then run the
 * program to see.
 *
 * Lesson:   chapters/04_timeouts.md#cancellation-in-c-level-triggered-not-edge-triggered
 * Check it: awaitlab check goodbye_deadlines
 */
#include "awaitlab.h"

#include <stdio.h>

/*
 * async def fetch(seconds):
 *     name = asyncio.current_task().get_name()
 *     try:
 *         await asyncio.sleep(seconds)
 *         return 1
 *     except asyncio.CancelledError:
 *         print(f"{now():.3f} {name}: cancelled, saying goodbye")
 *         await asyncio.sleep(0.1)
 *         print(f"{now():.3f} {name}: goodbye done")
 *         raise
 */
static int fetch(void *arg, intptr_t *result)
{
    const char *name = aw_task_name(aw_current());
    int status = aw_sleep(*(double *)arg);
    if (status == AW_ECANCELLED) {
        printf("%.3f %s: cancelled, saying goodbye\n", aw_now(), name);
        aw_shield_begin(); /* so that the goodbye can wait */
        aw_sleep(0.1);
        aw_shield_end();
        printf("%.3f %s: goodbye done\n", aw_now(), name);
        return status;
    }
    *result = 1;
    return status;
}

/* "timed out", "cancelled" or "ok": what a scope's end said. */
static const char *said(int status)
{
    return status == AW_ETIMEDOUT ? "timed out" : status == AW_ECANCELLED ? "cancelled" : "ok";
}

/*
 * Under an inner deadline, awaits a fetch of `seconds`:
 *
 *     print(f"{now():.3f} main: asks {name}, inner deadline {inner:.1f} s")
 *     try:
 *         async with asyncio.timeout(inner):
 *             await asyncio.create_task(fetch(seconds), name=name)
 *     ...                                    # prints what the scope said
 */
static int ask(const char *name, double seconds, double inner)
{
    printf("%.3f main: asks %s, inner deadline %.1f s\n", aw_now(), name, inner);
    aw_timeout scope;
    aw_timeout_begin(&scope, inner);
    int status = aw_await(aw_spawn(fetch, &seconds, "%s", name));
    status = aw_timeout_end(&scope, status);
    printf("%.3f main: inner scope says %s\n", aw_now(), said(status));
    return status;
}

/*
 * try:
 *     async with asyncio.timeout(1.0):                 # outer
 *         try:
 *             await ask("fetch-a", 0.5, inner=0.3)
 *         except TimeoutError:                         # the inner one: go on
 *             await ask("fetch-b", 0.8, inner=2.0)
 * except TimeoutError:
 *     print(f"{now():.3f} main: outer scope says timed out")
 */
static int main_task(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_timeout outer;
    aw_timeout_begin(&outer, 1.0);
    int status = ask("fetch-a", 0.5, 0.3);
    if (status == AW_ETIMEDOUT) /* the inner deadline: go on */
        status = ask("fetch-b", 0.8, 2.0);
    status = aw_timeout_end(&outer, status);
    printf("%.3f main: outer scope says %s\n", aw_now(), said(status));
    return AW_OK;
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    return aw_run(main_task, NULL, &(aw_config){.clock = AW_CLOCK_VIRTUAL}, NULL) == AW_OK ? 0 : 1;
}
