/*
 * thread.c -- aw_to_thread(): blocking work on libuv's thread pool
 * (asyncio.to_thread).
 *
 * A task that must call something blocking -- a synchronous library, a long
 * computation -- would freeze every other task if it called it directly.
 * Instead it hands the call to a worker thread with uv_queue_work() and
 * parks.  The worker runs the function; libuv then calls job_done() back on
 * the loop's own thread (inside uv_run(), on the scheduler's stack), which
 * wakes the task with the result.  Tasks never run on the workers, and the
 * workers never touch the runtime: the job struct is the only thing both
 * sides see, and libuv's queue hands it over under a mutex.
 *
 * The job lives on the heap, not on the task's stack, because it can outlive
 * the task: a cancelled task stops waiting at once and may finish long
 * before the thread returns, yet the thread still needs somewhere to write
 * its result.  So the job is freed in exactly one place, job_done(), which
 * always runs -- for a finished job and for one cancelled while queued.
 *
 * real_work counts jobs in flight, so the loop keeps polling libuv while
 * one runs, the virtual clock stands still meanwhile, and aw_run() does not
 * return before the last thread is done.
 */
#include "internal.h"

#include <stdlib.h>

/* libuv accepts up to 1024 workers (MAX_THREADPOOL_SIZE in threadpool.c). */
enum { MAX_POOL_SIZE = 1024 };

typedef struct thread_wait thread_wait;

/* One call of fn(arg) on a worker; see the top of the file for its life. */
typedef struct thread_job {
    uv_work_t req;
    aw_thread_fn fn;
    void *arg;
    intptr_t result;   /* written by the worker, read after job_done() */
    thread_wait *wait; /* the awaiting task's side; NULL once it left   */
} thread_job;

/* What the awaiting task keeps on its own stack while it waits. */
struct thread_wait {
    aw_task *task;
    thread_job *job;   /* NULL once the job is no longer ours to touch */
    intptr_t result;
};

/* The pool, for the whole process: libuv starts it once and keeps it. */
static unsigned pool_size_fixed; /* 0 until the first job ever */
static unsigned jobs_in_flight;  /* queued or running          */

/* ----------------------------------------------------------------------- */
/* The pool's size                                                           */
/* ----------------------------------------------------------------------- */

/* asyncio's default: min(32, os.cpu_count() + 4). */
static unsigned default_pool_size(void)
{
    unsigned cpus = uv_available_parallelism();
    return cpus + 4 < 32 ? cpus + 4 : 32;
}

static unsigned pool_size_from_env(void)
{
    const char *v = getenv("AWAITLAB_THREADS");
    if (!v || !*v)
        return 0;
    char *end;
    unsigned long n = strtoul(v, &end, 10);
    if (*end == '\0' && n >= 1 && n <= MAX_POOL_SIZE)
        return (unsigned)n;
    fprintf(stderr, "awaitlab: AWAITLAB_THREADS=%s is not a number of threads "
            "(1 to %d); using the default\n", v, MAX_POOL_SIZE);
    return 0;
}

/* The size this run asks for: its config, else the environment, else asyncio's. */
static unsigned wanted_pool_size(void)
{
    unsigned configured = aw__the_loop ? aw__the_loop->thread_pool_size : 0;
    if (configured)
        return configured < MAX_POOL_SIZE ? configured : MAX_POOL_SIZE;
    unsigned from_env = pool_size_from_env();
    return from_env ? from_env : default_pool_size();
}

/*
 * libuv sizes its pool from UV_THREADPOOL_SIZE, read once, when the first
 * work request of the process is queued.  So we set that variable just
 * before our first job, and from then on the size is fixed for the life of
 * the process -- a later run asking for another size can only be told so.
 * (setenv() happens on the loop's thread before any worker exists.)
 */
static void fix_pool_size(void)
{
    static bool warned;
    unsigned wanted = wanted_pool_size();
    if (pool_size_fixed == 0) {
        char text[16];
        snprintf(text, sizeof text, "%u", wanted);
        setenv("UV_THREADPOOL_SIZE", text, 1);
        pool_size_fixed = wanted;
    } else if (wanted != pool_size_fixed && !warned) {
        warned = true;
        fprintf(stderr, "awaitlab: the thread pool already has %u threads; libuv "
                "cannot resize it, so the %u asked for now are ignored\n",
                pool_size_fixed, wanted);
    }
}

unsigned aw_thread_pool_size(void)
{
    return pool_size_fixed ? pool_size_fixed : wanted_pool_size();
}

/* Jobs in flight against workers, for a timeline of the pool's load. */
static void trace_pool(void)
{
    long busy = (long)jobs_in_flight;
    long queued = busy > (long)pool_size_fixed ? busy - (long)pool_size_fixed : 0;
    aw__trace_resource("threads", "pool", busy, (long)pool_size_fixed, queued, 0);
}

/* ----------------------------------------------------------------------- */
/* Running a job                                                             */
/* ----------------------------------------------------------------------- */

/* On a worker thread: the only code here that does not run on the loop's. */
static void job_run(uv_work_t *req)
{
    thread_job *job = aw__container_of(req, thread_job, req);
    job->result = job->fn(job->arg);
}

/*
 * Back on the loop's thread, inside uv_run(): hand the result to the task if
 * it still waits, and free the job.  `status` is UV_ECANCELED for a job that
 * was taken out of the queue before it started; its task had already left.
 */
static void job_done(uv_work_t *req, int status)
{
    (void)status;
    thread_job *job = aw__container_of(req, thread_job, req);
    aw__the_loop->real_work--;
    jobs_in_flight--;
    trace_pool();
    thread_wait *wait = job->wait;
    if (wait) {
        wait->job = NULL;
        wait->result = job->result;
        aw__wake(wait->task, AW_OK);
    }
    free(job);
}

/*
 * The task stops waiting for its job.  The thread cannot be stopped, but a
 * job still in the queue can be dropped before it starts (uv_cancel() fails
 * harmlessly for one that is running); either way job_done() still comes,
 * and frees it.
 */
static void abandon(thread_wait *wait)
{
    thread_job *job = wait->job;
    job->wait = NULL;
    wait->job = NULL;
    uv_cancel((uv_req_t *)&job->req);
}

static void thread_detach(aw_task *task)
{
    thread_wait *wait = task->wait->data;
    if (wait->job)
        abandon(wait);
}

static void thread_on_cancel(aw_task *task)
{
    thread_detach(task);
    aw__wake(task, AW_ECANCELLED);
}

int aw_to_thread_named(const char *label, aw_thread_fn fn, void *arg, intptr_t *result)
{
    aw_task *self = aw__current();
    if (!self)
        return AW_ESTATE;
    if (!fn)
        return aw_raise(AW_EINVAL, "aw_to_thread: no function to run");
    if (aw__cancel_pending(self))
        return AW_ECANCELLED; /* never start work nobody will wait for */

    thread_job *job = calloc(1, sizeof *job);
    if (!job)
        return aw_raise(AW_ENOMEM, "aw_to_thread: out of memory");
    job->fn = fn;
    job->arg = arg;
    fix_pool_size();
    int rc = uv_queue_work(&aw__the_loop->uv, &job->req, job_run, job_done);
    if (rc != 0) {
        free(job);
        return aw_raise(AW_EIO, "aw_to_thread(%s): %s", label ? label : "?", uv_strerror(rc));
    }
    aw__the_loop->real_work++;
    jobs_in_flight++;
    trace_pool();

    thread_wait wait = {.task = self, .job = job};
    job->wait = &wait;
    aw__wait how = {.on = "thread", .name = label, .on_cancel = thread_on_cancel,
                    .detach = thread_detach, .data = &wait};
    int status = aw__suspend(&how);
    if (wait.job) /* returned without being woken: nobody may write to us now */
        abandon(&wait);
    if (status == AW_OK && result)
        *result = wait.result;
    return status;
}
