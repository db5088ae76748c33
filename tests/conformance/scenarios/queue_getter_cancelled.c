/*
 * queue_getter_cancelled -- a getter woken for an item and cancelled before
 * it runs does not lose the item: the next getter in line gets it.
 *
 * g1 and g2 wait on an empty queue; at 0.2 main puts x and cancels g1 in
 * the same step.  g1 ends cancelled and g2 gets x.
 */
#include "scenario.h"

static aw_queue queue;

static int getter(void *arg, intptr_t *result)
{
    const char *name = arg;
    (void)result;
    intptr_t item;
    int status = aw_queue_get(&queue, &item);
    if (status == AW_ECANCELLED) {
        say("%s cancelled", name);
        return status;
    }
    say("%s got %c", name, (char)item);
    return AW_OK;
}

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_queue_init(&queue, 0, "queue");
    aw_task *tasks[2] = {aw_spawn(getter, "g1", "g1"), aw_spawn(getter, "g2", "g2")};
    aw_sleep(0.2);
    aw_queue_put_nowait(&queue, 'x');
    aw_cancel(tasks[0]);
    say("main put x and cancelled g1");
    aw_gather(tasks, 2, AW_RETURN_EXCEPTIONS);
    say("size %zu", aw_queue_size(&queue));
    aw_queue_dispose(&queue);
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
