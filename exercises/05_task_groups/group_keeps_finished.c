/*
 * Exercise group_keeps_finished -- chapter 05, predict the output.
 *
 * Four fetches run in one task group while the body sleeps 2 s: fetch-a
 * (0.2 s), fetch-b (0.4 s), fetch-c (0.5 s, then fails) and fetch-d
 * (1.0 s).  "With a task group, either every task completes or they are
 * all cancelled" -- is that what happens?  After the group, main prints how
 * each fetch ended.  Write the nine lines the program prints in
 * group_keeps_finished.txt, one per line, exactly as printed; then run the
 * program to see.
 *
 * Lesson:   chapters/05_task_groups.md#common-mistakes
 * Check it: awaitlab check group_keeps_finished
 */
#include "awaitlab.h"

#include <stdio.h>

enum { REFUSED = AW_EAPP }; /* our ConnectionError */

typedef struct fetch_spec {
    const char *name;
    double seconds;
    bool fails;
    intptr_t value;
} fetch_spec;

static const fetch_spec specs[] = {
    {"fetch-a", 0.2, false, 10},
    {"fetch-b", 0.4, false, 20},
    {"fetch-c", 0.5, true, 30},
    {"fetch-d", 1.0, false, 40},
};
enum { N = sizeof specs / sizeof specs[0] };

/*
 * async def fetch(spec):
 *     await asyncio.sleep(spec.seconds)
 *     if spec.fails:
 *         print(f"{now():.3f} {spec.name} fails")
 *         raise ConnectionError(f"{spec.name}: connection refused")
 *     print(f"{now():.3f} {spec.name} done")
 *     return spec.value
 */
static int fetch(void *arg, intptr_t *result)
{
    const fetch_spec *spec = arg;
    int status = aw_sleep(spec->seconds);
    if (status != AW_OK)
        return status;
    if (spec->fails) {
        printf("%.3f %s fails\n", aw_now(), spec->name);
        return aw_raise(REFUSED, "%s: connection refused", spec->name);
    }
    printf("%.3f %s done\n", aw_now(), spec->name);
    *result = spec->value;
    return AW_OK;
}

/* How a task ended, as main prints it. */
static void print_outcome(const aw_task *task)
{
    switch (aw_task_state_of(task)) {
    case AW_TASK_OK:
        printf("%.3f %s: ok, %ld\n", aw_now(), aw_task_name(task), (long)aw_task_value(task));
        break;
    case AW_TASK_FAILED:
        printf("%.3f %s: failed\n", aw_now(), aw_task_name(task));
        break;
    case AW_TASK_CANCELLED:
        printf("%.3f %s: cancelled\n", aw_now(), aw_task_name(task));
        break;
    default:
        printf("%.3f %s: still running\n", aw_now(), aw_task_name(task));
    }
}

/*
 * try:
 *     async with asyncio.TaskGroup() as tg:
 *         tasks = [tg.create_task(fetch(s), name=s.name) for s in specs]
 *         try:
 *             await asyncio.sleep(2.0)       # the body's own work
 *         except asyncio.CancelledError:
 *             print(f"{now():.3f} body: its sleep was cancelled")
 *             raise
 * except* ConnectionError as group:
 *     print(f"{now():.3f} group: {len(group.exceptions)} error: {group.exceptions[0]}")
 * for t in tasks:
 *     print_outcome(t)
 */
static int main_task(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *tasks[N];
    aw_group group;
    aw_group_begin(&group);
    for (int i = 0; i < N; i++)
        tasks[i] = aw_group_spawn(&group, fetch, (void *)&specs[i], "%s", specs[i].name);
    int status = aw_sleep(2.0);
    if (status == AW_ECANCELLED)
        printf("%.3f body: its sleep was cancelled\n", aw_now());
    status = aw_group_end(&group, status);
    if (status == AW_EGROUP)
        printf("%.3f group: %zu error: %s\n", aw_now(), aw_group_error_count(&group),
               aw_group_error(&group, 0)->message);
    aw_group_dispose(&group);
    for (int i = 0; i < N; i++)
        print_outcome(tasks[i]);
    return AW_OK;
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    return aw_run(main_task, NULL, &(aw_config){.clock = AW_CLOCK_VIRTUAL}, NULL) == AW_OK ? 0 : 1;
}
