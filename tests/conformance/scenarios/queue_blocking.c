/*
 * queue_blocking -- put() waits while the queue is full, get() while it is
 * empty, and waiting getters are served in the order they came.
 *
 * A queue of maxsize 2: the producer puts a and b at once, and waits with c
 * until main takes a at 0.2.  Then main drains it; getters g0, g1 and g2
 * start waiting at 0.5, 0.6 and 0.7 on the empty queue, and the items x, y,
 * z put at 0.9 go to them in that order.
 */
#include "scenario.h"

static aw_queue queue;

static int producer(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    const char *items[] = {"a", "b", "c"};
    for (int i = 0; i < 3; i++) {
        say("producer puts %s (size %zu)", items[i], aw_queue_size(&queue));
        int status = aw_queue_put(&queue, (intptr_t)items[i]);
        if (status != AW_OK)
            return status;
        say("producer put %s", items[i]);
    }
    return AW_OK;
}

static int getter(void *arg, intptr_t *result)
{
    long i = (long)(intptr_t)arg;
    (void)result;
    aw_sleep(0.3 + 0.1 * (double)i);
    say("g%ld waits", i);
    intptr_t item;
    int status = aw_queue_get(&queue, &item);
    if (status != AW_OK)
        return status;
    say("g%ld got %s", i, (const char *)item);
    return AW_OK;
}

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_queue_init(&queue, 2, "queue");
    aw_task *prod = aw_spawn(producer, NULL, "producer");
    aw_sleep(0.2);
    intptr_t item;
    aw_queue_get(&queue, &item);
    say("main got %s", (const char *)item);
    aw_await(prod);
    aw_queue_get(&queue, &item);
    aw_queue_get(&queue, &item);
    say("main drained it; size %zu", aw_queue_size(&queue));

    aw_task *getters[3];
    for (long i = 0; i < 3; i++)
        getters[i] = aw_spawn(getter, (void *)(intptr_t)i, "g%ld", i);
    aw_sleep(0.7);
    say("main puts x, y, z");
    aw_queue_put(&queue, (intptr_t) "x");
    aw_queue_put(&queue, (intptr_t) "y");
    aw_queue_put(&queue, (intptr_t) "z");
    aw_gather(getters, 3, 0);
    aw_queue_dispose(&queue);
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
