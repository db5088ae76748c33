/*
 * Check of permit_leak_on_error: a failed upload gives its permit back.
 *
 * The storage service refuses some files (other files in each case) after
 * the same time a transfer takes.  The world counts the uploads in flight
 * and the refusals.  The check judges: the batch finishes (with as many
 * failures as `limit`, a leaking version deadlocks), never more than
 * `limit` in flight, every permit of 'uploads' free again at the end, the
 * count of failures, and the time: the schedule of a FIFO
 * Semaphore(limit) whose every permit stays in use.
 */
#include "check.h"

#include <stdio.h>
#include <string.h>

int upload_all(long n, long limit, long *failed);

enum { MAX_FILES = 32, REFUSED = AW_EAPP - 13 };

static struct {
    long n, limit;
    double delay_s[MAX_FILES];
    bool refuse[MAX_FILES];
    long in_flight, most_in_flight;
    long refused;              /* refusals the service made so far */
    char refused_names[200];   /* "upload-1, upload-4"              */
    long failed;               /* what upload_all() reported        */
} world;

int upload(long i)
{
    if (i < 0 || i >= world.n)
        return aw_raise(AW_EINVAL, "upload(%ld): there are only files 0 .. %ld", i,
                        world.n - 1);
    if (++world.in_flight > world.most_in_flight)
        world.most_in_flight = world.in_flight;
    int status = aw_sleep(world.delay_s[i]);
    world.in_flight--;
    if (status != AW_OK)
        return status;
    if (world.refuse[i]) {
        size_t used = strlen(world.refused_names);
        snprintf(world.refused_names + used, sizeof world.refused_names - used, "%s%s",
                 world.refused ? ", " : "", aw_task_name(aw_current()));
        world.refused++;
        return aw_raise(REFUSED, "file-%ld: 507 Insufficient Storage", i);
    }
    return AW_OK;
}

static int drive(void *arg)
{
    (void)arg;
    return upload_all(world.n, world.limit, &world.failed);
}

/* Permits of semaphore 'uploads' in use at the last change it made, or -1
 * if it never appeared in the trace. */
static long uploads_in_use_at_end(void)
{
    size_t n;
    const aw_trace_event *e = aw_trace_events(&n);
    long level = -1;
    for (size_t i = 0; i < n; i++)
        if (e[i].kind == AW_EV_RESOURCE && e[i].text && strcmp(e[i].text, "semaphore") == 0 &&
            e[i].name && strcmp(e[i].name, "uploads") == 0)
            level = (long)e[i].value;
    return level;
}

/* How long the files take through a FIFO semaphore of `limit` permits that
 * every upload gives back, refused or not. */
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

/* After a stuck run: say where the permits went. */
static void explain_stuck(void)
{
    long in_use = uploads_in_use_at_end();
    if (in_use <= 0 || world.refused == 0)
        return;
    check_fail("All %ld permits of 'uploads' were taken, yet no upload was running. %ld "
               "upload%s had been refused (%s), and %s ended without giving its permit "
               "back.", in_use, world.refused, world.refused == 1 ? "" : "s",
               world.refused_names, world.refused == 1 ? "it" : "each");
}

static void judge(int status)
{
    long expected_failures = 0;
    for (long i = 0; i < world.n; i++)
        expected_failures += world.refuse[i];
    if (status != AW_OK) {
        check_fail("upload_all returned %d (%s); it should return AW_OK once every upload "
                   "has finished, whatever their outcomes", status, aw_strerror(status));
        return;
    }
    if (world.most_in_flight > world.limit) {
        check_fail("at most %ld uploads may run at a time; yours had %ld at once. Is a permit "
                   "given back twice?", world.limit, world.most_in_flight);
        return;
    }
    long in_use = uploads_in_use_at_end();
    double took = check_elapsed(), best = fifo_schedule();
    if (in_use > 0) {
        check_fail("Every upload had finished, yet %ld permit%s of 'uploads' %s still taken "
                   "when upload_all returned: %s (%s) never gave %s back. The batch took %s "
                   "instead of %s, because every refusal left one permit fewer for the "
                   "files after it.", in_use, in_use == 1 ? "" : "s",
                   in_use == 1 ? "was" : "were",
                   world.refused == 1 ? "the refused upload" : "the refused uploads",
                   world.refused_names, world.refused == 1 ? "its" : "theirs",
                   check_seconds(took), check_seconds(best));
        return;
    }
    if (world.failed != expected_failures) {
        check_fail("%ld uploads were refused, but upload_all reported %ld failed",
                   expected_failures, world.failed);
        return;
    }
    if (!check_near(took, best))
        check_fail("%ld files, %ld at a time, should take %s when every permit goes straight "
                   "back into use; yours took %s", world.n, world.limit, check_seconds(best),
                   check_seconds(took));
}

static void run_case(long n, long limit, const double *delay_s, const long *refused,
                     int refused_count)
{
    memset(&world, 0, sizeof world);
    world.n = n;
    world.limit = limit;
    for (long i = 0; i < n; i++)
        world.delay_s[i] = delay_s[i];
    for (int k = 0; k < refused_count; k++)
        world.refuse[refused[k]] = true;
    check_case("%ld files, limit %ld, %d refused", n, limit, refused_count);
    /* Room for a leaking version to finish slowly, not much more: a stuck
     * one should not fill the timeline with waiting. */
    int status = check_run(drive, NULL, 2 * fifo_schedule() + 0.5);
    if (check_failed())
        explain_stuck();
    else
        judge(status);
    check_case_end();
}

void exercise_check(void)
{
    double ten[10];
    for (int i = 0; i < 10; i++)
        ten[i] = 0.2;
    static const long ten_refused[] = {1};
    run_case(10, 3, ten, ten_refused, 1);

    static const double eight[] = {0.3, 0.4, 0.25, 0.2, 0.35, 0.3, 0.15, 0.4};
    static const long eight_refused[] = {0, 3};
    run_case(8, 2, eight, eight_refused, 2);

    static const double nine[] = {0.5, 0.2, 0.35, 0.6, 0.25, 0.4, 0.3, 0.45, 0.2};
    static const long nine_refused[] = {2, 4, 8};
    run_case(9, 4, nine, nine_refused, 3);
}
