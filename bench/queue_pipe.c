/*
 * queue_pipe -- a million items through a bounded queue.
 *
 * One producer puts the integers 0 .. n-1 into a Queue(maxsize=100); one
 * consumer gets them, adds them up and marks each done; then join().  The
 * C twin of
 *
 *     async def producer(queue, n):
 *         for i in range(n):
 *             await queue.put(i)
 *
 *     async def consumer(queue, n):
 *         total = 0
 *         for _ in range(n):
 *             total += await queue.get()
 *             queue.task_done()
 *         return total
 *
 * The bound makes the two take turns: the producer waits whenever the queue
 * is full, the consumer whenever it is empty.
 *
 * usage: queue_pipe [count]      (default 1000000)
 * prints: time_s=... n=... maxsize=100 sum=... ns_per_item=... clock=real
 */
#include "awaitlab.h"
#include "bench.h"

enum { MAXSIZE = 100 };

static aw_queue queue;
static long count;

static int producer(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    for (long i = 0; i < count; i++) {
        int rc = aw_queue_put(&queue, i);
        if (rc != AW_OK)
            return rc;
    }
    return AW_OK;
}

static int consumer(void *arg, intptr_t *result)
{
    (void)arg;
    intptr_t total = 0;
    for (long i = 0; i < count; i++) {
        intptr_t item;
        int rc = aw_queue_get(&queue, &item);
        if (rc != AW_OK)
            return rc;
        total += item;
        aw_queue_task_done(&queue);
    }
    *result = total;
    return AW_OK;
}

static int pipe_items(void *arg, intptr_t *result)
{
    count = *(const long *)arg;
    int rc = aw_queue_init(&queue, MAXSIZE, "pipe");
    if (rc != AW_OK)
        return rc;
    aw_task *tasks[2] = {aw_spawn(producer, NULL, "producer"),
                         aw_spawn(consumer, NULL, "consumer")};
    if (!tasks[0] || !tasks[1])
        rc = aw_raise(AW_ENOMEM, "could not spawn the producer and the consumer");
    if (rc == AW_OK)
        rc = aw_gather(tasks, 2, 0);
    if (rc == AW_OK)
        rc = aw_queue_join(&queue);
    intptr_t total = rc == AW_OK ? aw_task_value(tasks[1]) : 0;
    aw_queue_dispose(&queue);
    if (rc != AW_OK)
        return rc;
    if (total != (intptr_t)count * (count - 1) / 2)
        return aw_raise(AW_EAPP, "sum %ld, expected %ld", (long)total,
                        (long)((intptr_t)count * (count - 1) / 2));
    *result = total;
    return AW_OK;
}

int main(int argc, char **argv)
{
    long n = bench_size_arg(argc, argv, 1000000);
    intptr_t total = 0;
    bench_rounds rounds;

    int rc = bench_run_rounds(pipe_items, &n, &total, &rounds);
    double elapsed = bench_best(&rounds);

    if (rc != AW_OK) {
        fprintf(stderr, "queue_pipe: %s\n", aw_strerror(rc));
        return 1;
    }
    printf("time_s=%.6f first_s=%.6f n=%ld maxsize=%d sum=%ld ns_per_item=%.1f clock=real\n",
           elapsed, rounds.seconds[0], n, MAXSIZE, (long)total, elapsed * 1e9 / (double)n);
    return 0;
}
