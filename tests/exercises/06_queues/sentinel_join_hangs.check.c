/*
 * Check of sentinel_join_hangs: the pipeline returns the moment the last
 * item has been processed.
 *
 * The world makes items and processes them at the check's pace (through a
 * queue of the check's size), and notes which items were processed, in
 * what order, and when the last one was done.  The run must process every
 * item once, in order, and return at that moment with no task left
 * running.  A run whose join() waits for the sentinel's task_done() never
 * ends: the check names it.
 */
#include "check.h"

#include <stdio.h>

int run_pipeline(long n, long maxsize);

enum { MAX_ITEMS = 32 };

/* The world of one case. */
static struct {
    long n, maxsize;
    double make_s, process_s;
    int processed;                 /* process() calls that ran to the end */
    intptr_t order[MAX_ITEMS];     /* the items, in the order processed   */
    double last_done;
} world;

static intptr_t item_of(long i)
{
    return 40 + (intptr_t)i;
}

int make_item(long i, intptr_t *item)
{
    int status = aw_sleep(world.make_s);
    if (status == AW_OK)
        *item = item_of(i);
    return status;
}

int process(intptr_t item)
{
    int status = aw_sleep(world.process_s);
    if (status != AW_OK)
        return status;
    if (world.processed < MAX_ITEMS)
        world.order[world.processed] = item;
    world.processed++;
    world.last_done = aw_now();
    return AW_OK;
}

static int drive(void *arg)
{
    (void)arg;
    return run_pipeline(world.n, world.maxsize);
}

/* After a run that never ended: was it join(), waiting for the sentinel? */
static void explain_hang(void)
{
    check_task_info consumer = check_task("consumer");
    if (world.processed != world.n || consumer.outcome != CHECK_OK)
        return;
    check_fail("all %ld items had been processed by %s and the consumer had returned, yet "
               "run_pipeline() was still waiting in join() when the check gave up. join() "
               "returns once every put has been matched by a task_done(): %ld items and the "
               "STOP sentinel, %ld puts in all. The consumer marked the items done -- and "
               "the sentinel?",
               world.n, check_seconds(world.last_done), world.n, world.n + 1);
}

static void judge(int status)
{
    if (world.processed != world.n) {
        check_fail("%ld items were made, and %d processed: every item should be processed "
                   "once", world.n, world.processed);
        return;
    }
    for (long i = 0; i < world.n && i < MAX_ITEMS; i++)
        if (world.order[i] != item_of(i)) {
            check_fail("the item processed %ld%s was %ld, not %ld: a queue is first in, "
                       "first out", i + 1, i == 0 ? "st" : i == 1 ? "nd" : i == 2 ? "rd" : "th",
                       (long)world.order[i], (long)item_of(i));
            return;
        }
    if (status != AW_OK) {
        check_fail("run_pipeline() returned %d (%s); every item is made and processed here, "
                   "so it should return AW_OK", status, aw_strerror(status));
        return;
    }
    char names[200];
    if (check_left_running(names, sizeof names) > 0) {
        check_fail("run_pipeline() returned with tasks still running (%s): wait for the "
                   "consumer too", names);
        return;
    }
    if (!check_near(check_elapsed(), world.last_done))
        check_fail("the last item was processed at %s, so run_pipeline() should return then; "
                   "yours returned at %s", check_seconds(world.last_done),
                   check_seconds(check_elapsed()));
}

static void run_case(long n, long maxsize, double make_s, double process_s)
{
    world.n = n;
    world.maxsize = maxsize;
    world.make_s = make_s;
    world.process_s = process_s;
    world.processed = 0;
    world.last_done = 0;
    if (maxsize > 0)
        check_case("%ld items through a queue of %ld, made in %s, processed in %s", n, maxsize,
                   check_seconds(make_s), check_seconds(process_s));
    else
        check_case("%ld items through an unbounded queue, made in %s, processed in %s", n,
                   check_seconds(make_s), check_seconds(process_s));
    double limit = (double)n * (make_s + process_s) + 1;
    int status = check_run(drive, NULL, limit);
    if (check_failed())
        explain_hang();
    else
        judge(status);
    check_case_end();
}

void exercise_check(void)
{
    run_case(6, 2, 0.1, 0.25);
    run_case(4, 0, 0.3, 0.1);
    run_case(2, 1, 0.05, 0.2);
}
