/*
 * Exercise backpressure_order -- chapter 06, predict the output.
 *
 * A producer puts five items, as fast as it can, on a queue that holds at
 * most two; a consumer takes 0.3 s over each item and marks it done.  Main
 * waits for the producer, then for join().  When does each put get
 * through, and when does join() return?  Write the twelve lines the
 * program prints in backpressure_order.txt, one per line, exactly as
 * printed; then run the program to see.
 *
 * Lesson:   chapters/06_queues.md#the-answer
 * Check it: awaitlab check backpressure_order
 */
#include "awaitlab.h"

#include <stdio.h>

static aw_queue queue;

/*
 * async def producer():
 *     for i in range(5):
 *         await queue.put(i)
 *         print(f"{now():.3f} producer put {i}")
 *     print(f"{now():.3f} producer: all put")
 */
static int producer(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    for (long i = 0; i < 5; i++) {
        int status = aw_queue_put(&queue, i);
        if (status != AW_OK)
            return status;
        printf("%.3f producer put %ld\n", aw_now(), i);
    }
    printf("%.3f producer: all put\n", aw_now());
    return AW_OK;
}

/*
 * async def consumer():
 *     while True:
 *         item = await queue.get()
 *         await asyncio.sleep(0.3)           # process the item
 *         print(f"{now():.3f} consumer done {item}")
 *         queue.task_done()
 */
static int consumer(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    for (;;) {
        intptr_t item;
        int status = aw_queue_get(&queue, &item);
        if (status == AW_OK)
            status = aw_sleep(0.3);
        if (status != AW_OK)
            return status;
        printf("%.3f consumer done %ld\n", aw_now(), (long)item);
        aw_queue_task_done(&queue);
    }
}

/*
 * queue = asyncio.Queue(maxsize=2)
 * prod = asyncio.create_task(producer())
 * cons = asyncio.create_task(consumer())
 * await prod
 * await queue.join()
 * print(f"{now():.3f} main: join returned")
 * cons.cancel()
 * await asyncio.gather(cons, return_exceptions=True)
 */
static int main_task(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_queue_init(&queue, 2, "queue");
    aw_task *prod = aw_spawn(producer, NULL, "producer");
    aw_task *cons = aw_spawn(consumer, NULL, "consumer");
    int status = aw_await(prod);
    if (status == AW_OK)
        status = aw_queue_join(&queue);
    printf("%.3f main: join returned\n", aw_now());
    aw_cancel(cons);
    aw_await(cons);
    aw_queue_dispose(&queue);
    return status;
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    return aw_run(main_task, NULL, &(aw_config){.clock = AW_CLOCK_VIRTUAL}, NULL) == AW_OK ? 0 : 1;
}
