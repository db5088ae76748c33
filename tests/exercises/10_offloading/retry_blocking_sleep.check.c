/*
 * Check of retry_blocking_sleep: the pauses between retries must not hold
 * the loop.
 *
 * The service answers "busy" a few times for some items (a different
 * pattern in each case), so their tasks pause between tries.  A heartbeat
 * task runs beside fetch_all() and notes the longest gap between its beats.
 * A pause that blocks the loop's thread (usleep, sleep, nanosleep: the check
 * turns them into steps that hold the loop on the virtual clock) shows as a
 * blocking step, a late heartbeat, and a batch that takes longer than its
 * slowest item.  A pause that does not wait at all shows as a batch that
 * is too quick.
 */
#include "check.h"

#include <stdio.h>

int fetch_all(long n, intptr_t *values);

enum { MAX_ITEMS = 32, MAX_TRIES = 5 };
static const double FIRST_PAUSE = 0.1; /* as in the exercise */
static const double BEAT = 0.05;       /* the heartbeat's period */

/* The world of one case. */
static struct {
    long n;
    double call_s;          /* how long one call to the service takes   */
    int busy[MAX_ITEMS];    /* "busy" answers before item i succeeds     */
    int calls[MAX_ITEMS];   /* calls made so far, per item              */
    intptr_t values[MAX_ITEMS];
    double longest_gap;     /* between two heartbeats                    */
} world;

static intptr_t value_of(long i)
{
    return 1000 + 3 * (intptr_t)i;
}

/* The service: busy for the first world.busy[i] calls of item i. */
int call_service(long i, intptr_t *value)
{
    if (i < 0 || i >= world.n)
        return aw_raise(AW_EINVAL, "call_service(%ld): there are only items 0 .. %ld", i,
                        world.n - 1);
    int status = aw_sleep(world.call_s);
    if (status != AW_OK)
        return status;
    if (++world.calls[i] <= world.busy[i])
        return aw_raise(AW_EAPP, "item %ld: service busy, try again later", i);
    *value = value_of(i);
    return AW_OK;
}

/* A task that should beat every BEAT seconds; it notes its longest gap. */
static int heartbeat(void *arg, intptr_t *result)
{
    (void)arg;
    *result = 0;
    double last = aw_now();
    for (;;) {
        int status = aw_sleep(BEAT);
        if (aw_now() - last > world.longest_gap)
            world.longest_gap = aw_now() - last;
        last = aw_now();
        if (status != AW_OK)
            return status;
    }
}

static int drive(void *arg)
{
    (void)arg;
    aw_task *beats = aw_spawn(heartbeat, NULL, "heartbeat");
    int status = fetch_all(world.n, world.values);
    aw_cancel(beats);
    aw_await(beats);
    return status;
}

/* How long item i takes: its calls, and the pauses between them. */
static double item_time(long i)
{
    double t = world.call_s * (world.busy[i] + 1), pause = FIRST_PAUSE;
    for (int k = 0; k < world.busy[i]; k++, pause *= 2)
        t += pause;
    return t;
}

static void run_case(long n, double call_s, const int *busy)
{
    world.n = n;
    world.call_s = call_s;
    world.longest_gap = 0;
    double slowest = 0;
    long retried = 0, slowest_item = 0;
    for (long i = 0; i < n; i++) {
        world.busy[i] = busy[i];
        world.calls[i] = 0;
        world.values[i] = 0;
        retried += busy[i] > 0;
        if (item_time(i) > slowest) {
            slowest = item_time(i);
            slowest_item = i;
        }
    }
    check_case("%ld items, %ld of them busy at first", n, retried);
    int status = check_run(drive, NULL, 60.0);
    if (check_failed())
        goto done;
    if (status != AW_OK) {
        check_fail("fetch_all returned %d (%s); every item succeeds within %d tries here, "
                   "so it should return AW_OK", status, aw_strerror(status), MAX_TRIES);
        goto done;
    }
    double held, took = check_elapsed();
    int blocking = check_blocking_steps(&held);
    if (blocking > 0) {
        check_fail("%d step%s held the loop, for %s in all: while a task holds the loop no "
                   "other task runs. The heartbeat, due every %s, once waited %s.",
                   blocking, blocking == 1 ? "" : "s", check_seconds(held), check_seconds(BEAT),
                   check_seconds(world.longest_gap));
        check_fail("The batch took %s where its slowest item needs %s. Something in the "
                   "retry waits without suspending its task: which call, and what is its "
                   "awaitlab twin?", check_seconds(took), check_seconds(slowest));
        goto done;
    }
    if (took < slowest - 1e-6)
        check_fail("the batch took %s, but item %ld needs %s: %d calls of %s and the pauses "
                   "between them. Do the retries still pause? (A pause handed to a worker "
                   "thread takes no time in the check: a pause is a wait, and aw_sleep() "
                   "waits without a thread.)", check_seconds(took),
                   slowest_item, check_seconds(slowest), world.busy[slowest_item] + 1,
                   check_seconds(call_s));
    else if (!check_near(took, slowest))
        check_fail("the batch took %s; the items run at the same time, so it should take as "
                   "long as the slowest one, item %ld: %s", check_seconds(took), slowest_item,
                   check_seconds(slowest));
    for (long i = 0; i < n && !check_failed(); i++)
        if (world.calls[i] != world.busy[i] + 1)
            check_fail("item %ld was called %d times; the service is busy %d times for it, "
                       "so it takes %d calls", i, world.calls[i], world.busy[i],
                       world.busy[i] + 1);
    for (long i = 0; i < n && !check_failed(); i++)
        if (world.values[i] != value_of(i))
            check_fail("values[%ld] holds %ld, but the service answered %ld for item %ld", i,
                       (long)world.values[i], (long)value_of(i), i);
done:
    check_case_end();
}

void exercise_check(void)
{
    static const int some_busy[] = {0, 2, 0, 1, 0, 0, 2, 0};
    run_case(8, 0.05, some_busy);

    int one_very_busy[12];
    for (int i = 0; i < 12; i++)
        one_very_busy[i] = i == 5 ? 4 : i % 3 == 0;
    run_case(12, 0.04, one_very_busy);

    int all_busy_once[20];
    for (int i = 0; i < 20; i++)
        all_busy_once[i] = 1;
    run_case(20, 0.03, all_busy_once);
}
