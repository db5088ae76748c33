/*
 * Check of worker_pool_join: a pool of workers shares the jobs; join()
 * says when all are done; then the workers are stopped and awaited.
 *
 * Jobs have the check's durations, never in order.  Workers that share one
 * FIFO queue take the jobs in order, each the next one as soon as it is
 * free, so the run must take exactly the time of that schedule (worked out
 * below), run min(jobs, workers) jobs at once, process every job exactly
 * once and to the end, and leave no worker running when process_all()
 * returns.
 */
#include "check.h"

#include <stdio.h>

int process_all(long jobs, long workers);

enum { MAX_JOBS = 32 };

/* The world of one case. */
static struct {
    long jobs, workers;
    double duration[MAX_JOBS];
    int started[MAX_JOBS];   /* process(job) calls   */
    int finished[MAX_JOBS];  /* ... that ran to the end */
    double last_done;        /* when the last job finished */
} world;

int process(long job)
{
    if (job < 0 || job >= world.jobs)
        return aw_raise(AW_EINVAL, "process(%ld): there are only jobs 0 .. %ld", job,
                        world.jobs - 1);
    world.started[job]++;
    int status = aw_sleep(world.duration[job]);
    if (status == AW_OK) {
        world.finished[job]++;
        world.last_done = aw_now();
    }
    return status;
}

static int drive(void *arg)
{
    (void)arg;
    return process_all(world.jobs, world.workers);
}

/* Jobs in order, each to the worker that is free first: the pool's time. */
static double schedule(void)
{
    double free_at[MAX_JOBS] = {0};
    double end = 0;
    for (long job = 0; job < world.jobs; job++) {
        long first = 0;
        for (long w = 1; w < world.workers && w < MAX_JOBS; w++)
            if (free_at[w] < free_at[first] - 1e-12)
                first = w;
        free_at[first] += world.duration[job];
        end = free_at[first] > end ? free_at[first] : end;
    }
    return end;
}

static bool all_finished(void)
{
    for (long job = 0; job < world.jobs; job++)
        if (world.finished[job] != 1)
            return false;
    return true;
}

/* After a run that never ended: was it join() waiting for task_done()? */
static void explain_hang(void)
{
    if (world.jobs > 0 && all_finished())
        check_fail("every job had been processed by %s, yet process_all() never returned. "
                   "join() waits until every job put has been marked done: does each worker "
                   "call aw_queue_task_done() after each job?", check_seconds(world.last_done));
}

static bool judge_jobs(void)
{
    for (long job = 0; job < world.jobs; job++) {
        if (world.started[job] == 0) {
            check_fail("job %ld was never processed%s", job,
                       check_count("worker-", CHECK_ANY) == 0
                           ? ": no task named worker-<w> was started"
                           : " -- were the workers stopped before join() said all was done?");
            return false;
        }
        if (world.started[job] > 1) {
            check_fail("job %ld was processed %d times; each job should be taken by one "
                       "worker, once", job, world.started[job]);
            return false;
        }
        if (world.finished[job] == 0) {
            check_fail("job %ld (%s) was cut short: its worker was stopped while it was "
                       "processing it. Stop the workers only once join() has returned",
                       job, check_seconds(world.duration[job]));
            return false;
        }
    }
    return true;
}

static bool judge_workers(void)
{
    int started = check_count("worker-", CHECK_ANY);
    if (started != world.workers) {
        check_fail("%ld workers should give %ld tasks named worker-0 .. worker-%ld; your run "
                   "started %d", world.workers, world.workers, world.workers - 1, started);
        return false;
    }
    char names[200];
    int left = check_left_running(names, sizeof names);
    if (left > 0) {
        check_fail("%d worker%s still running when process_all() returned (%s): the "
                   "workers loop forever, so after join() cancel each one and wait for them "
                   "all (aw_gather) before you return", left, left == 1 ? " was" : "s were",
                   names);
        return false;
    }
    return true;
}

static void judge_time(void)
{
    double want = schedule();
    double took = check_elapsed();
    int at_once = check_peak_sleeping("worker-");
    long most = world.jobs < world.workers ? world.jobs : world.workers;
    if (world.jobs > 0 && at_once < most)
        check_fail("%ld workers should process %ld jobs at once; yours never had more than %d "
                   "at a time, and took %s instead of %s", world.workers, most, at_once,
                   check_seconds(took), check_seconds(want));
    else if (!check_near(took, want))
        check_fail("%ld jobs shared by %ld workers, each taking the next job as soon as it is "
                   "free, take %s; process_all() returned at %s%s", world.jobs, world.workers,
                   check_seconds(want), check_seconds(took),
                   took > want ? " -- return as soon as join() says all is done" : "");
}

static void run_case(long jobs, long workers, const double *duration)
{
    world.jobs = jobs;
    world.workers = workers;
    world.last_done = 0;
    double total = 0;
    for (long job = 0; job < jobs; job++) {
        world.duration[job] = duration[job];
        world.started[job] = world.finished[job] = 0;
        total += duration[job];
    }
    check_case("%ld jobs, %ld worker%s", jobs, workers, workers == 1 ? "" : "s");
    int status = check_run(drive, NULL, total + 1);
    if (check_failed()) {
        explain_hang();
        goto done;
    }
    if (judge_jobs() && judge_workers()) {
        if (status != AW_OK)
            check_fail("process_all() returned %d (%s); every job succeeds and the workers "
                       "ending cancelled is how they are meant to stop, so it should return "
                       "AW_OK", status, aw_strerror(status));
        else
            judge_time();
    }
done:
    check_case_end();
}

void exercise_check(void)
{
    static const double ten[] = {0.3, 0.1, 0.25, 0.2, 0.05, 0.4, 0.15, 0.1, 0.35, 0.2};
    run_case(10, 3, ten);

    static const double four[] = {0.2, 0.45, 0.1, 0.3};
    run_case(4, 6, four);

    static const double seven[] = {0.1, 0.2, 0.05, 0.15, 0.1, 0.25, 0.05};
    run_case(7, 1, seven);

    run_case(0, 2, NULL);
}
