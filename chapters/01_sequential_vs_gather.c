/*
 * Chapter 01 -- sequential vs gather.
 *
 * n fetches that each take `delay` seconds: awaited one after another they
 * take n * delay; started together and gathered they take delay.  The fetch
 * is a sleep standing in for a network call, so the numbers are exact in
 * virtual time (--clock virtual): 5.0 s against 0.5 s with the defaults.
 *
 * The Python twin is 01_sequential_vs_gather.py; the lesson is the .md.
 */
#include "awaitlab.h"
#include "harness.h"

#include <stdlib.h>

static long n = 10;
static double delay = 0.5;

static const lab_param params[] = {
    LAB_INT("n", &n, 1, 100000, "how many fetches"),
    LAB_SECONDS("delay", &delay, 0, 3600, "seconds each fetch takes"),
    LAB_END,
};

/*
 * async def fetch(i):
 *     await asyncio.sleep(delay)   # stands in for a network call
 *     return i
 */
static int fetch(void *arg, intptr_t *result)
{
    intptr_t i = (intptr_t)arg;
    int status = aw_sleep(delay);
    if (status != AW_OK)
        return status; /* cancelled: stop here and say so */
    *result = i;
    return AW_OK;
}

/*
 * for i in range(n):
 *     results.append(await fetch(i))
 *
 * Each fetch gets its own task, so the timeline has a row for it; awaiting
 * the task straight away is the same as awaiting the coroutine: nothing else
 * starts until it is done.
 */
static int sequential(void)
{
    for (long i = 0; i < n; i++) {
        aw_task *task = aw_spawn(fetch, (void *)(intptr_t)i, "fetch-%ld", i);
        if (!task)
            return AW_ENOMEM;
        int status = aw_await(task);
        if (status != AW_OK)
            return status;
    }
    return AW_OK;
}

/* Are the results in argument order?  gather promises they are. */
static bool in_order(aw_task **tasks)
{
    for (long i = 0; i < n; i++)
        if (aw_task_value(tasks[i]) != i)
            return false;
    return true;
}

/*
 * results = await asyncio.gather(*(fetch(i) for i in range(n)))
 */
static int together(void)
{
    aw_task **tasks = calloc((size_t)n, sizeof *tasks);
    if (!tasks)
        return AW_ENOMEM;
    for (long i = 0; i < n; i++)
        tasks[i] = aw_spawn(fetch, (void *)(intptr_t)i, "fetch-%ld", i);
    int status = aw_gather(tasks, (size_t)n, 0);
    if (status == AW_OK)
        lab_value_bool("results_in_order", in_order(tasks));
    free(tasks);
    return status;
}

static int chapter_main(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;

    lab_section("sequential", "await each fetch before starting the next");
    double started = aw_now();
    int status = sequential();
    double sequential_s = aw_now() - started;
    lab_value_double("expected_s", (double)n * delay);
    lab_section_end();
    if (status != AW_OK)
        return status;

    lab_section("gather", "start every fetch, then gather them");
    started = aw_now();
    status = together();
    double gather_s = aw_now() - started;
    lab_value_double("expected_s", delay);
    lab_section_end();
    if (status != AW_OK)
        return status;

    if (gather_s > 0)
        lab_say("gather finished %.1fx sooner: the fetches waited at the same time.",
                sequential_s / gather_s);
    return AW_OK;
}

static const lab_chapter chapter = {
    .number = "01",
    .slug = "sequential_vs_gather",
    .title = "Sequential vs gather",
    .summary = "n slow fetches one after another, then all at once with gather",
    .params = params,
    .main_knob = "delay",
    .main = chapter_main,
};

int main(int argc, char **argv)
{
    return lab_main(&chapter, argc, argv);
}
