/*
 * queue_join -- join() waits until every item put has been marked done with
 * task_done(); on a queue with nothing unfinished it returns at once; one
 * task_done() too many is a ValueError.
 *
 * The worker takes three items and spends 0.1 s on each, so join() returns
 * at 0.3, right after the third task_done().
 */
#include "scenario.h"

static aw_queue queue;

static int worker(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    for (int i = 0; i < 3; i++) {
        intptr_t item;
        int status = aw_queue_get(&queue, &item);
        if (status != AW_OK)
            return status;
        aw_sleep(0.1);
        say("worker done with item %ld", (long)item);
        aw_queue_task_done(&queue);
    }
    return AW_OK;
}

static int joiner(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    say("joiner runs");
    return AW_OK;
}

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_queue_init(&queue, 0, "queue");
    aw_task *other = aw_spawn(joiner, NULL, "joiner");
    aw_queue_join(&queue);
    say("join on a fresh queue returned (before joiner ran)");
    aw_await(other);

    for (intptr_t i = 1; i <= 3; i++)
        aw_queue_put_nowait(&queue, i);
    aw_task *task = aw_spawn(worker, NULL, "worker");
    aw_queue_join(&queue);
    say("join returned");
    say("one task_done too many: %s", exception_name(aw_queue_task_done(&queue)));
    aw_await(task);
    aw_queue_dispose(&queue);
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
