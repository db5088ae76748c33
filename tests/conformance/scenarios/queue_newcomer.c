/*
 * queue_newcomer -- asyncio's Queue wakes a waiting getter or putter and
 * lets it retry when it runs; until then the item (or the free slot) is
 * up for grabs, and a task that asks in the same step gets it.
 *
 * Part one: the getter waits on an empty queue; at 0.2 main puts 1 and
 * at once calls get_nowait(): main gets 1, the getter goes back to waiting
 * and gets 2, put at 0.4.  Part two: a queue of maxsize 1 holds a; the
 * putter waits to put b; at 0.6 main takes a and at once calls
 * put_nowait(c): c goes in, and the putter waits until main takes c at 0.8.
 */
#include "scenario.h"

static aw_queue queue;

static int getter(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    intptr_t item;
    int status = aw_queue_get(&queue, &item);
    if (status != AW_OK)
        return status;
    say("getter got %ld", (long)item);
    return AW_OK;
}

static int putter(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    int status = aw_queue_put(&queue, 'b');
    if (status != AW_OK)
        return status;
    say("putter put b");
    return AW_OK;
}

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_queue_init(&queue, 0, "queue");
    aw_task *task = aw_spawn(getter, NULL, "getter");
    aw_sleep(0.2);
    aw_queue_put_nowait(&queue, 1);
    intptr_t item = 0;
    int status = aw_queue_get_nowait(&queue, &item);
    say("main put 1, then get_nowait: %s %ld", exception_name(status), (long)item);
    aw_sleep(0.2);
    aw_queue_put_nowait(&queue, 2);
    aw_await(task);
    aw_queue_dispose(&queue);

    aw_queue_init(&queue, 1, "queue");
    aw_queue_put_nowait(&queue, 'a');
    task = aw_spawn(putter, NULL, "putter");
    aw_sleep(0.2);
    aw_queue_get_nowait(&queue, &item);
    status = aw_queue_put_nowait(&queue, 'c');
    say("main took %c, then put_nowait c: %s", (char)item, exception_name(status));
    aw_sleep(0.2);
    status = aw_queue_get_nowait(&queue, &item);
    say("main get_nowait: %s %c", exception_name(status), status == AW_OK ? (char)item : '-');
    aw_await(task);
    status = aw_queue_get_nowait(&queue, &item);
    say("main get_nowait: %s %c", exception_name(status), status == AW_OK ? (char)item : '-');
    aw_queue_dispose(&queue);
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
