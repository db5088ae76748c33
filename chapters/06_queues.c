/*
 * Chapter 06 -- queues: producers, consumers and backpressure.
 *
 * A producer makes n items, `produce` seconds each; consumers take them off
 * a queue and spend `consume` seconds on each.  Five sections:
 *
 *   backpressure     one producer, one slower consumer, a queue of at most
 *                    `maxsize` items: when it is full, put() waits, and the
 *                    producer is held back to the consumer's pace.
 *   worker_pool      n jobs on a queue, `workers` workers taking them;
 *                    join() says when every job is done, then the workers,
 *                    which loop forever, are cancelled.
 *   sentinel_pitfall the tutorial pattern: the producer ends with a None
 *                    sentinel, and the consumer calls task_done() for every
 *                    item but not for the sentinel.  join() never returns;
 *                    a timeout catches it.
 *   sentinel_fixed   the same with task_done() for the sentinel too: join()
 *                    returns.
 *   shutdown         Python 3.13's way: no sentinel; the producer shuts the
 *                    queue down, and each worker stops when get() says so.
 *
 * Items are numbers 0 .. n-1 (an aw_queue holds intptr_t); the sentinel,
 * None in Python, is STOP here.  The Python twin is 06_queues.py; the lesson
 * is the .md.
 */
#include "awaitlab.h"
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>

enum { STOP = -1 }; /* the sentinel: "no more items" */

static long n = 8;
static long maxsize = 2;
static long workers = 3;
static double produce = 0.1;
static double consume = 0.3;
static double timeout = 1.0;

static const lab_param params[] = {
    LAB_INT("n", &n, 1, 100000, "how many items the producer makes"),
    LAB_INT("maxsize", &maxsize, 0, 100000, "most items the queue holds (0: no limit)"),
    LAB_INT("workers", &workers, 1, 1000, "how many workers share the jobs"),
    LAB_SECONDS("produce", &produce, 0, 3600, "seconds to make one item"),
    LAB_SECONDS("consume", &consume, 0, 3600, "seconds to process one item"),
    LAB_SECONDS("timeout", &timeout, 0.001, 3600, "seconds to wait for join() in the pitfall"),
    LAB_END,
};

static aw_queue queue;
static double section_start;

static double since_start(void)
{
    return aw_now() - section_start;
}

/* ----------------------------------------------------------------------- */
/* backpressure                                                              */
/* ----------------------------------------------------------------------- */

static long items_put;     /* put() calls that succeeded, sentinel too */
static long blocked_puts;  /* puts that found the queue full         */
static long max_backlog;   /* most items waiting when the consumer   */
                           /* came back for more                     */
static double producer_done_at;

/*
 * async def producer():
 *     global blocked_puts, items_put, producer_done_at
 *     for i in range(n):
 *         await asyncio.sleep(produce)       # make the item
 *         blocked_puts += queue.full()
 *         await queue.put(i)                 # waits while the queue is full
 *         items_put += 1
 *     producer_done_at = since_start()
 *     await queue.put(None)                  # the sentinel: no more items
 *     items_put += 1
 */
static int producer(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    for (long i = 0; i < n; i++) {
        int status = aw_sleep(produce);
        if (status != AW_OK)
            return status;
        blocked_puts += aw_queue_full(&queue);
        status = aw_queue_put(&queue, i);
        if (status != AW_OK)
            return status;
        items_put++;
    }
    producer_done_at = since_start();
    int status = aw_queue_put(&queue, STOP);
    if (status != AW_OK)
        return status;
    items_put++;
    return AW_OK;
}

/*
 * async def consumer():
 *     global max_backlog
 *     while True:
 *         max_backlog = max(max_backlog, queue.qsize())
 *         item = await queue.get()
 *         if item is None:
 *             return
 *         await asyncio.sleep(consume)       # process the item
 */
static int consumer(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    for (;;) {
        if ((long)aw_queue_size(&queue) > max_backlog)
            max_backlog = (long)aw_queue_size(&queue);
        intptr_t item;
        int status = aw_queue_get(&queue, &item);
        if (status != AW_OK)
            return status;
        if (item == STOP)
            return AW_OK;
        status = aw_sleep(consume);
        if (status != AW_OK)
            return status;
    }
}

static int backpressure(void)
{
    items_put = blocked_puts = max_backlog = 0;
    aw_task *tasks[2] = {aw_spawn(producer, NULL, "producer"),
                         aw_spawn(consumer, NULL, "consumer")};
    int status = aw_gather(tasks, 2, 0);
    if (status != AW_OK)
        return status;

    lab_value_int("blocked_puts", blocked_puts);
    lab_value_int("max_backlog", max_backlog);
    lab_value_double("producer_alone_s", (double)n * produce);
    lab_value_double("producer_done_s", producer_done_at);
    lab_value_double("consumer_done_s", since_start());
    lab_say("the producer alone needs %.3f s; it put its last item at %.3f s", (double)n * produce,
            producer_done_at);
    lab_say("%ld of its %ld puts waited for room; at most %ld items were waiting", blocked_puts,
            n, max_backlog);
    return AW_OK;
}

/* ----------------------------------------------------------------------- */
/* worker_pool                                                               */
/* ----------------------------------------------------------------------- */

static long *jobs_done; /* per worker */

/*
 * async def worker(w):
 *     while True:                            # until cancelled
 *         await queue.get()                  # which job does not matter here
 *         await asyncio.sleep(consume)
 *         jobs_done[w] += 1
 *         queue.task_done()
 */
static int worker(void *arg, intptr_t *result)
{
    (void)result;
    long w = (long)(intptr_t)arg;
    for (;;) {
        intptr_t job;
        int status = aw_queue_get(&queue, &job);
        if (status != AW_OK)
            return status;
        status = aw_sleep(consume);
        if (status != AW_OK)
            return status;
        jobs_done[w]++;
        aw_queue_task_done(&queue);
    }
}

static void say_jobs_per_worker(void)
{
    char text[256] = "";
    size_t used = 0;
    for (long w = 0; w < workers && used < sizeof text - 24; w++)
        used += (size_t)snprintf(text + used, sizeof text - used, "%s%ld", w ? ", " : "",
                                 jobs_done[w]);
    lab_value_str("jobs_per_worker", "%s", text);
    lab_say("jobs per worker: %s", text);
}

/*
 * for job in range(n):
 *     queue.put_nowait(job)
 * tasks = [asyncio.create_task(worker(w)) for w in range(workers)]
 * await queue.join()                         # every job done
 * for t in tasks:
 *     t.cancel()                             # the workers never stop by themselves
 * await asyncio.gather(*tasks, return_exceptions=True)
 */
static int worker_pool(aw_task **tasks)
{
    for (long job = 0; job < n; job++) {
        int status = aw_queue_put_nowait(&queue, job);
        if (status != AW_OK)
            return status;
    }
    for (long w = 0; w < workers; w++) {
        jobs_done[w] = 0;
        tasks[w] = aw_spawn(worker, (void *)(intptr_t)w, "worker-%ld", w);
    }
    int status = aw_queue_join(&queue);
    if (status != AW_OK)
        return status;
    double joined_at = since_start();
    for (long w = 0; w < workers; w++)
        aw_cancel(tasks[w]);
    status = aw_gather(tasks, (size_t)workers, AW_RETURN_EXCEPTIONS);
    if (status != AW_OK)
        return status;

    lab_value_double("joined_at_s", joined_at);
    lab_say("join() returned at %.3f s, when the last of %ld jobs was done", joined_at, n);
    say_jobs_per_worker();
    return AW_OK;
}

/* ----------------------------------------------------------------------- */
/* sentinel_pitfall and sentinel_fixed                                       */
/* ----------------------------------------------------------------------- */

static long task_dones;

/*
 * async def forgetful_consumer():            # the tutorial version
 *     global task_dones
 *     while True:
 *         item = await queue.get()
 *         if item is None:
 *             break                          # no task_done() for the sentinel!
 *         await asyncio.sleep(consume)
 *         queue.task_done()
 *         task_dones += 1
 */
static int forgetful_consumer(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    for (;;) {
        intptr_t item;
        int status = aw_queue_get(&queue, &item);
        if (status != AW_OK)
            return status;
        if (item == STOP)
            break;
        status = aw_sleep(consume);
        if (status != AW_OK)
            return status;
        aw_queue_task_done(&queue);
        task_dones++;
    }
    return AW_OK;
}

/*
 * async def careful_consumer():
 *     global task_dones
 *     while True:
 *         item = await queue.get()
 *         try:
 *             if item is None:
 *                 break
 *             await asyncio.sleep(consume)
 *         finally:
 *             queue.task_done()              # for every get(), the sentinel too
 *             task_dones += 1
 */
static int careful_consumer(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    for (;;) {
        intptr_t item;
        int status = aw_queue_get(&queue, &item);
        if (status != AW_OK)
            return status;
        if (item != STOP)
            status = aw_sleep(consume);
        aw_queue_task_done(&queue);
        task_dones++;
        if (item == STOP || status != AW_OK)
            return status;
    }
}

/*
 * prod = asyncio.create_task(producer())
 * cons = asyncio.create_task(consumer())
 * await prod
 * await cons                                 # every item has been processed
 * try:
 *     async with asyncio.timeout(timeout):
 *         await queue.join()
 * except TimeoutError:
 *     ...                                    # without the timeout: forever
 */
static int sentinel(aw_fn consumer_fn)
{
    items_put = blocked_puts = task_dones = 0;
    aw_task *prod = aw_spawn(producer, NULL, "producer");
    aw_task *cons = aw_spawn(consumer_fn, NULL, "consumer");
    int status = aw_await(prod);
    if (status == AW_OK)
        status = aw_await(cons);
    if (status != AW_OK)
        return status;
    double consumer_done_at = since_start();

    aw_timeout scope;
    aw_timeout_begin(&scope, timeout);
    status = aw_queue_join(&queue);
    status = aw_timeout_end(&scope, status);
    if (status != AW_OK && status != AW_ETIMEDOUT)
        return status;

    lab_value_bool("join_timed_out", status == AW_ETIMEDOUT);
    lab_value_int("items_put", items_put);
    lab_value_int("task_dones", task_dones);
    lab_say("the consumer was done at %.3f s: %ld items put (the sentinel too), "
            "%ld task_done() calls", consumer_done_at, items_put, task_dones);
    if (status == AW_ETIMEDOUT)
        lab_say("join() was still waiting for the sentinel's task_done() when the %.3f s "
                "timeout ended it", timeout);
    else
        lab_say("join() returned at once");
    return AW_OK;
}

/* ----------------------------------------------------------------------- */
/* shutdown                                                                  */
/* ----------------------------------------------------------------------- */

/*
 * async def shutting_producer():
 *     for i in range(n):
 *         await asyncio.sleep(produce)
 *         await queue.put(i)
 *     queue.shutdown()                       # no more puts; gets drain the rest
 */
static int shutting_producer(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    for (long i = 0; i < n; i++) {
        int status = aw_sleep(produce);
        if (status == AW_OK)
            status = aw_queue_put(&queue, i);
        if (status != AW_OK)
            return status;
    }
    aw_queue_shutdown(&queue, false);
    return AW_OK;
}

/*
 * async def stopping_worker(w):
 *     while True:
 *         try:
 *             await queue.get()
 *         except QueueShutDown:              # shut down and empty: stop
 *             return
 *         await asyncio.sleep(consume)
 *         jobs_done[w] += 1
 *         queue.task_done()
 */
static int stopping_worker(void *arg, intptr_t *result)
{
    (void)result;
    long w = (long)(intptr_t)arg;
    for (;;) {
        intptr_t item;
        int status = aw_queue_get(&queue, &item);
        if (status == AW_ESHUTDOWN)
            return AW_OK;
        if (status != AW_OK)
            return status;
        status = aw_sleep(consume);
        if (status != AW_OK)
            return status;
        jobs_done[w]++;
        aw_queue_task_done(&queue);
    }
}

static int shutdown_pool(aw_task **tasks)
{
    tasks[0] = aw_spawn(shutting_producer, NULL, "producer");
    for (long w = 0; w < workers; w++) {
        jobs_done[w] = 0;
        tasks[w + 1] = aw_spawn(stopping_worker, (void *)(intptr_t)w, "worker-%ld", w);
    }
    int status = aw_gather(tasks, (size_t)workers + 1, 0);
    if (status == AW_OK)
        status = aw_queue_join(&queue); /* returns at once: all were done */
    if (status != AW_OK)
        return status;

    lab_value_double("all_stopped_at_s", since_start());
    lab_say("every worker stopped by itself at %.3f s, once the queue was shut down and "
            "empty", since_start());
    say_jobs_per_worker();
    return AW_OK;
}

/* ----------------------------------------------------------------------- */

/* Opens a section with a fresh queue of `size` (0: unbounded). */
static int begin_section(const char *name, const char *what, long size)
{
    lab_section(name, what);
    section_start = aw_now();
    return aw_queue_init(&queue, size, "queue");
}

static int end_section(int status)
{
    lab_section_end();
    aw_queue_dispose(&queue);
    return status;
}

static int chapter_main(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task **tasks = calloc((size_t)workers + 1, sizeof *tasks);
    jobs_done = calloc((size_t)workers, sizeof *jobs_done);
    int status = AW_ENOMEM;
    if (!tasks || !jobs_done)
        goto out;

    status = begin_section("backpressure", "a bounded queue holds the producer back", maxsize);
    if (status == AW_OK)
        status = backpressure();
    if ((status = end_section(status)) != AW_OK)
        goto out;

    status = begin_section("worker_pool", "workers share the jobs; join() waits for all", 0);
    if (status == AW_OK)
        status = worker_pool(tasks);
    if ((status = end_section(status)) != AW_OK)
        goto out;

    status = begin_section("sentinel_pitfall",
                           "no task_done() for the sentinel: join() never returns", maxsize);
    if (status == AW_OK)
        status = sentinel(forgetful_consumer);
    if ((status = end_section(status)) != AW_OK)
        goto out;

    status = begin_section("sentinel_fixed", "task_done() for every get(): join() returns",
                           maxsize);
    if (status == AW_OK)
        status = sentinel(careful_consumer);
    if ((status = end_section(status)) != AW_OK)
        goto out;

    status = begin_section("shutdown", "no sentinel: shut the queue down (Python 3.13)",
                           maxsize);
    if (status == AW_OK)
        status = shutdown_pool(tasks);
    status = end_section(status);
out:
    free(tasks);
    free(jobs_done);
    return status;
}

static const lab_chapter chapter = {
    .number = "06",
    .slug = "queues",
    .title = "Queues: producers, consumers, backpressure",
    .summary = "a bounded queue paces the producer; worker pools, join(), and the sentinel pitfall",
    .params = params,
    .main_knob = "maxsize",
    .main = chapter_main,
};

int main(int argc, char **argv)
{
    return lab_main(&chapter, argc, argv);
}
