/*
 * queue_shutdown -- Queue.shutdown(), new in Python 3.13.
 *
 * shutdown(): every put fails with QueueShutDown from then on, one that was
 * blocked on the full queue too; gets still take the items left, and fail
 * once the queue is empty; a get blocked on the empty queue fails at once.
 *
 * shutdown(immediate=True): the items left are dropped and counted as done,
 * so join() returns as soon as the items already taken are done; gets fail
 * at once.
 *
 * The Python side needs 3.13 for Queue.shutdown; on 3.11 and 3.12 it uses
 * a small subclass with the same behaviour (see queue_shutdown.py).
 */
#include "scenario.h"

static int putter(void *arg, intptr_t *result)
{
    aw_queue *queue = arg;
    (void)result;
    say("putter puts c on the full queue");
    int status = aw_queue_put(queue, 'c');
    say("putter: put c: %s", exception_name(status));
    return AW_OK;
}

/* Takes items every 0.1 s until the queue says it is shut down. */
static int drainer(void *arg, intptr_t *result)
{
    aw_queue *queue = arg;
    (void)result;
    for (;;) {
        intptr_t item;
        int status = aw_queue_get(queue, &item);
        if (status != AW_OK) {
            say("drainer: get: %s", exception_name(status));
            return AW_OK;
        }
        say("drainer got %c", (char)item);
        aw_sleep(0.1);
    }
}

/* Works 0.2 s on one item, then asks for another. */
static int worker(void *arg, intptr_t *result)
{
    aw_queue *queue = arg;
    (void)result;
    intptr_t item;
    aw_queue_get(queue, &item);
    say("worker got %ld", (long)item);
    aw_sleep(0.2);
    aw_queue_task_done(queue);
    say("worker done with %ld; get: %s", (long)item, exception_name(aw_queue_get(queue, &item)));
    return AW_OK;
}

static int joiner(void *arg, intptr_t *result)
{
    aw_queue *queue = arg;
    (void)result;
    int status = aw_queue_join(queue);
    say("join returned: %s", exception_name(status));
    return AW_OK;
}

static int getter(void *arg, intptr_t *result)
{
    aw_queue *queue = arg;
    (void)result;
    intptr_t item;
    say("getter waits on the empty queue");
    say("getter: get: %s", exception_name(aw_queue_get(queue, &item)));
    return AW_OK;
}

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_queue queue;
    aw_queue_init(&queue, 2, "queue");
    aw_queue_put_nowait(&queue, 'a');
    aw_queue_put_nowait(&queue, 'b');
    aw_task *tasks[3] = {aw_spawn(putter, &queue, "putter")};
    aw_sleep(0.2);
    say("shutdown()");
    aw_queue_shutdown(&queue, false);
    say("put_nowait d: %s", exception_name(aw_queue_put_nowait(&queue, 'd')));
    aw_sleep(0.2);
    tasks[1] = aw_spawn(drainer, &queue, "drainer");
    aw_gather(tasks, 2, 0);
    aw_queue_dispose(&queue);

    aw_sleep(0.2);
    aw_queue_init(&queue, 0, "queue");
    for (intptr_t i = 1; i <= 3; i++)
        aw_queue_put_nowait(&queue, i);
    tasks[0] = aw_spawn(worker, &queue, "worker");
    tasks[1] = aw_spawn(joiner, &queue, "joiner");
    aw_sleep(0.1);
    say("shutdown(immediate=True) with %zu items left", aw_queue_size(&queue));
    aw_queue_shutdown(&queue, true);
    intptr_t item;
    say("size %zu; get_nowait: %s", aw_queue_size(&queue),
        exception_name(aw_queue_get_nowait(&queue, &item)));
    aw_gather(tasks, 2, 0);
    aw_queue_dispose(&queue);

    aw_sleep(0.2);
    aw_queue_init(&queue, 0, "queue");
    tasks[0] = aw_spawn(getter, &queue, "getter");
    aw_sleep(0.2);
    say("shutdown()");
    aw_queue_shutdown(&queue, false);
    aw_await(tasks[0]);
    aw_queue_dispose(&queue);
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
