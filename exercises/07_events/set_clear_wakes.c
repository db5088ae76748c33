/*
 * Exercise set_clear_wakes -- chapter 07, predict the output.
 *
 * Two waiters wait on the bell.  Half a second later main rings it with
 * set() and lowers it again with clear() in the very same step, then a
 * third waiter arrives; half a second after that main rings the bell once
 * more.  Who wakes when, and does each waiter see the bell set or clear
 * when it wakes?  Write the nine lines the program prints in
 * set_clear_wakes.txt, one per line, exactly as printed; then run the
 * program to see.
 *
 * Lesson:   chapters/07_events.md#the-answer
 * Check it: awaitlab check set_clear_wakes
 */
#include "awaitlab.h"

#include <stdio.h>

static aw_event bell;

/*
 * async def waiter(name):
 *     print(f"{now():.3f} {name} waits")
 *     await bell.wait()
 *     print(f"{now():.3f} {name} wakes, bell {'set' if bell.is_set() else 'clear'}")
 */
static int waiter(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    const char *name = aw_task_name(aw_current());
    printf("%.3f %s waits\n", aw_now(), name);
    int status = aw_event_wait(&bell);
    if (status != AW_OK)
        return status;
    printf("%.3f %s wakes, bell %s\n", aw_now(), name, aw_event_is_set(&bell) ? "set" : "clear");
    return AW_OK;
}

static int main_task(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_event_init(&bell, "bell");
    aw_task *tasks[3] = {aw_spawn(waiter, NULL, "waiter-a"), aw_spawn(waiter, NULL, "waiter-b")};
    int status = aw_sleep(0.5);
    if (status != AW_OK)
        return status;

    aw_event_set(&bell);
    aw_event_clear(&bell);
    printf("%.3f main: set() then clear()\n", aw_now());
    tasks[2] = aw_spawn(waiter, NULL, "waiter-c");
    status = aw_sleep(0.5);
    if (status != AW_OK)
        return status;

    aw_event_set(&bell);
    printf("%.3f main: set() again\n", aw_now());
    status = aw_gather(tasks, 3, 0);
    printf("%.3f main: done\n", aw_now());
    return status;
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    return aw_run(main_task, NULL, &(aw_config){.clock = AW_CLOCK_VIRTUAL}, NULL) == AW_OK ? 0 : 1;
}
