/*
 * Exercise sentinel_join_hangs -- chapter 06, fix the bug.
 *
 * run_pipeline() has a producer make n items and put them on a bounded
 * queue, then the STOP sentinel; a consumer processes the items until it
 * gets STOP.  The main task waits with join() until everything put on the
 * queue has been processed.  Every item is processed and the consumer
 * ends -- but run_pipeline() never returns.  Make it return the moment the
 * last item has been processed.
 *
 * Lesson:   chapters/06_queues.md#common-mistakes
 * Check it: awaitlab check sentinel_join_hangs
 */
#include "awaitlab.h"

/*
 * Given -- the check provides them: make_item(i) makes item i, process()
 * processes one; each takes as long as the check decides.  In Python:
 * `item = await make_item(i)`, `await process(item)`.
 */
int make_item(long i, intptr_t *item);
int process(intptr_t item);

enum { STOP = -1 }; /* the sentinel, Python's None: no more items */

static aw_queue queue;

/*
 * async def producer(n):
 *     for i in range(n):
 *         await queue.put(await make_item(i))
 *     await queue.put(None)              # no more items
 */
static int producer(void *arg, intptr_t *result)
{
    (void)result;
    long n = (long)(intptr_t)arg;
    for (long i = 0; i < n; i++) {
        intptr_t item;
        int status = make_item(i, &item);
        if (status == AW_OK)
            status = aw_queue_put(&queue, item);
        if (status != AW_OK)
            return status;
    }
    return aw_queue_put(&queue, STOP);
}

/*
 * async def consumer():
 *     while True:
 *         item = await queue.get()
 *         if item is None:
 *             break                      # no more items
 *         await process(item)
 *         queue.task_done()
 */
static int consumer(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    for (;;) {
        intptr_t item;
        int status = aw_queue_get(&queue, &item);
        if (status != AW_OK)
            return status;
        if (item == STOP)
            break; /* no more items */
        status = process(item);
        if (status != AW_OK)
            return status;
        aw_queue_task_done(&queue);
    }
    return AW_OK;
}

/*
 * queue = asyncio.Queue(maxsize)
 * prod = asyncio.create_task(producer(n), name="producer")
 * cons = asyncio.create_task(consumer(), name="consumer")
 * await prod                             # everything is on the queue
 * await queue.join()                     # ... and has been processed
 * await cons
 */
int run_pipeline(long n, long maxsize)
{
    int status = aw_queue_init(&queue, maxsize, "items");
    if (status != AW_OK)
        return status;
    aw_task *prod = aw_spawn(producer, (void *)(intptr_t)n, "producer");
    aw_task *cons = aw_spawn(consumer, NULL, "consumer");
    status = aw_await(prod);
    if (status == AW_OK)
        status = aw_queue_join(&queue);
    if (status == AW_OK)
        status = aw_await(cons);
    aw_queue_dispose(&queue);
    return status;
}
