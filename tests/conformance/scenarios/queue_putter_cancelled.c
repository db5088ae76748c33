/*
 * queue_putter_cancelled -- a putter woken for a free slot and cancelled
 * before it runs does not put its item: its put() raises CancelledError
 * and the slot stays free.
 *
 * A queue of maxsize 1 holds a; the putter waits to put b.  At 0.2 main
 * takes a and cancels the putter in the same step; the queue is left
 * empty.
 */
#include "scenario.h"

static aw_queue queue;

static int putter(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    int status = aw_queue_put(&queue, 'b');
    if (status == AW_ECANCELLED) {
        say("putter cancelled");
        return status;
    }
    say("putter put b");
    return AW_OK;
}

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_queue_init(&queue, 1, "queue");
    aw_queue_put_nowait(&queue, 'a');
    aw_task *task = aw_spawn(putter, NULL, "putter");
    aw_sleep(0.2);
    intptr_t item;
    aw_queue_get_nowait(&queue, &item);
    aw_cancel(task);
    say("main took %c and cancelled the putter", (char)item);
    aw_gather(&task, 1, AW_RETURN_EXCEPTIONS);
    say("size %zu", aw_queue_size(&queue));
    aw_queue_dispose(&queue);
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
