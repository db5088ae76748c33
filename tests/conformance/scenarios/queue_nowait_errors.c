/*
 * queue_nowait_errors -- put_nowait() on a full queue fails with QueueFull
 * and get_nowait() on an empty one with QueueEmpty; neither waits, and a
 * failed call changes nothing.
 */
#include "scenario.h"

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_queue queue;
    aw_queue_init(&queue, 1, "queue");
    intptr_t item = 0;
    say("get_nowait on empty: %s", exception_name(aw_queue_get_nowait(&queue, &item)));
    say("put_nowait 1: %s", exception_name(aw_queue_put_nowait(&queue, 1)));
    say("put_nowait 2: %s; size %zu", exception_name(aw_queue_put_nowait(&queue, 2)),
        aw_queue_size(&queue));
    int status = aw_queue_get_nowait(&queue, &item);
    say("get_nowait: %s, item %ld", exception_name(status), (long)item);
    say("get_nowait again: %s", exception_name(aw_queue_get_nowait(&queue, &item)));
    aw_queue_dispose(&queue);
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
