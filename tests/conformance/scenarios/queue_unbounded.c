/*
 * queue_unbounded -- a queue whose maxsize is 0 or negative has no limit:
 * put_nowait() never fails and full() is never true.
 */
#include "scenario.h"

static void fill(long maxsize)
{
    aw_queue queue;
    aw_queue_init(&queue, maxsize, "queue");
    int failures = 0;
    for (intptr_t i = 0; i < 1000; i++)
        failures += aw_queue_put_nowait(&queue, i) != AW_OK;
    intptr_t first;
    aw_queue_get_nowait(&queue, &first);
    say("maxsize %ld: 1000 put_nowait, %d failed; size %zu after one get (it was %ld); "
        "full: %s", maxsize, failures, aw_queue_size(&queue), (long)first,
        aw_queue_full(&queue) ? "True" : "False");
    aw_queue_dispose(&queue);
}

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    fill(0);
    fill(-1);
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
