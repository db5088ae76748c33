/*
 * Check of bound_fanout: never more than `limit` downloads in flight, and
 * never fewer while files wait.
 *
 * The mirror counts the downloads in flight itself, so the bound is judged
 * from what the mirror saw.  The time is judged against the schedule a
 * FIFO Semaphore(limit) gives when the files are started in order: each
 * file starts the moment the earliest permit comes free.  Longer means
 * permits were wasted (fewer at work than allowed, or files waiting for
 * whole waves); shorter is impossible without breaking the bound.  Limits
 * and times change between cases, including a limit of one and a limit
 * above n.
 */
#include "check.h"

#include <string.h>

int download_all(long n, long limit, intptr_t *sizes);

enum { MAX_FILES = 32 };

static struct {
    long n, limit;
    double delay_s[MAX_FILES];
    long in_flight, most_in_flight;
    intptr_t sizes[MAX_FILES];
} world;

static intptr_t size_of(long i)
{
    return 4096 + 1000 * (intptr_t)i;
}

/* The mirror: file i takes delay_s[i]; it counts what is in flight. */
int download(long i, intptr_t *bytes)
{
    if (i < 0 || i >= world.n)
        return aw_raise(AW_EINVAL, "download(%ld): there are only files 0 .. %ld", i,
                        world.n - 1);
    world.in_flight++;
    if (world.in_flight > world.most_in_flight)
        world.most_in_flight = world.in_flight;
    int status = aw_sleep(world.delay_s[i]);
    world.in_flight--;
    if (status != AW_OK)
        return status;
    *bytes = size_of(i);
    return AW_OK;
}

static int drive(void *arg)
{
    (void)arg;
    return download_all(world.n, world.limit, world.sizes);
}

/* How long n files take through a FIFO semaphore of `limit` permits: file
 * j starts when the earliest of the permits comes free. */
static double fifo_schedule(void)
{
    double free_at[MAX_FILES] = {0};
    long permits = world.limit < world.n ? world.limit : world.n;
    double end = 0;
    for (long j = 0; j < world.n; j++) {
        long k = 0;
        for (long p = 1; p < permits; p++)
            if (free_at[p] < free_at[k])
                k = p;
        free_at[k] += world.delay_s[j];
        end = free_at[k] > end ? free_at[k] : end;
    }
    return end;
}

static void judge(int status)
{
    if (status != AW_OK) {
        check_fail("download_all returned %d (%s); every download succeeds here, so it should "
                   "return AW_OK", status, aw_strerror(status));
        return;
    }
    long allowed = world.limit < world.n ? world.limit : world.n;
    if (world.most_in_flight > world.limit) {
        check_fail("the mirror allows %ld download%s at a time; yours had %ld in flight at "
                   "once%s", world.limit, world.limit == 1 ? "" : "s", world.most_in_flight,
                   world.most_in_flight == world.n
                       ? " -- all of them: nothing held them back. Does every download take "
                         "a permit before it starts?"
                       : ". Is the semaphore made with `limit` permits, and shared by all?");
        return;
    }
    double took = check_elapsed(), best = fifo_schedule();
    if (took > best + 1e-6) {
        check_fail("%ld files, %ld at a time, should take %s: each file starts as soon as a "
                   "permit comes free. Yours took %s, with at most %ld in flight%s",
                   world.n, world.limit, check_seconds(best), check_seconds(took),
                   world.most_in_flight,
                   world.most_in_flight < allowed
                       ? " -- fewer than the limit allows. Is a permit given back right "
                         "after its download?"
                       : ". Is each permit given back as soon as its download ends?");
        return;
    }
    if (took < best - 1e-6) {
        check_fail("%ld files, %ld at a time, cannot take less than %s; yours took %s: did "
                   "every file get downloaded?", world.n, world.limit, check_seconds(best),
                   check_seconds(took));
        return;
    }
    for (long i = 0; i < world.n; i++)
        if (world.sizes[i] != size_of(i)) {
            check_fail("sizes[%ld] holds %ld, but file %ld is %ld bytes", i,
                       (long)world.sizes[i], i, (long)size_of(i));
            return;
        }
}

static void run_case(long n, long limit, const double *delay_s)
{
    memset(&world, 0, sizeof world);
    world.n = n;
    world.limit = limit;
    double total = 0, fastest = delay_s[0], slowest = delay_s[0];
    for (long i = 0; i < n; i++) {
        world.delay_s[i] = delay_s[i];
        world.sizes[i] = -1;
        total += delay_s[i];
        fastest = delay_s[i] < fastest ? delay_s[i] : fastest;
        slowest = delay_s[i] > slowest ? delay_s[i] : slowest;
    }
    if (check_near(fastest, slowest))
        check_case("%ld files of %s, limit %ld", n, check_seconds(slowest), limit);
    else
        check_case("%ld files of %s to %s, limit %ld", n, check_seconds(fastest),
                   check_seconds(slowest), limit);
    int status = check_run(drive, NULL, 2 * total + 1);
    if (!check_failed())
        judge(status);
    check_case_end();
}

void exercise_check(void)
{
    double twelve[12];
    for (int i = 0; i < 12; i++)
        twelve[i] = 0.5;
    run_case(12, 3, twelve);

    static const double ten[] = {0.4, 0.9, 0.2, 0.3, 0.6, 0.25, 0.5, 0.35, 0.15, 0.45};
    run_case(10, 4, ten);

    static const double five[] = {0.3, 0.1, 0.25, 0.2, 0.15};
    run_case(5, 1, five);

    static const double three[] = {0.7, 0.2, 0.4};
    run_case(3, 8, three);
}
