/*
 * Exercise hedged_request -- chapter 09, complete the code.  A solution.
 *
 * hedged_get() sends the same request to every replica at once and keeps
 * the first good answer.  A replica that fails counts as "completed" too,
 * so wait again until one succeeds; then cancel the replicas still
 * working, and wait until they have stopped, before returning.  If every
 * replica fails, return the error of the last one to fail.
 *
 * Lesson:   chapters/09_first_completed.md#the-answer
 * Check it: awaitlab check hedged_request
 */
#include "awaitlab.h"

#include <stdlib.h>

/*
 * Given -- the check provides it: asks replica r, which answers after its
 * own latency (the check decides), or fails.  In Python:
 * `answer = await ask_replica(r)`.
 */
int ask_replica(long r, intptr_t *answer);

/* The body of one replica's task; arg is the replica number. */
static int replica_task(void *arg, intptr_t *result)
{
    return ask_replica((long)(intptr_t)arg, result);
}

/*
 * for t in tasks: t.cancel()
 * await asyncio.gather(*tasks, return_exceptions=True)
 *
 * wait() never cancels anything: the losers are our job.  aw_cancel() on
 * a finished task does nothing, so it is safe on all of them; the gather
 * waits until the cancelled ones have really stopped.
 */
static int cancel_the_rest(aw_task **tasks, long n)
{
    for (long r = 0; r < n; r++)
        aw_cancel(tasks[r]);
    return aw_gather(tasks, (size_t)n, AW_RETURN_EXCEPTIONS);
}

/*
 * tasks = [asyncio.create_task(ask_replica(r), name=f"replica-{r}") for r in range(n)]
 * pending, answer, error = set(tasks), None, None
 * while pending and answer is None:
 *     done, pending = await asyncio.wait(pending, return_when=FIRST_COMPLETED)
 *     for t in tasks:                          # argument order, for ties
 *         if t in done:
 *             if t.exception(): error = t.exception()
 *             elif answer is None: answer = t.result()
 * await cancel_the_rest(tasks)
 * if answer is None: raise error
 * return answer
 */
int hedged_get(long n, intptr_t *answer)
{
    aw_task **tasks = calloc((size_t)n, sizeof *tasks);
    aw_task **pending = calloc((size_t)n, sizeof *pending);
    if (!tasks || !pending) {
        free(tasks);
        free(pending);
        return AW_ENOMEM;
    }
    for (long r = 0; r < n; r++)
        pending[r] = tasks[r] = aw_spawn(replica_task, (void *)(intptr_t)r, "replica-%ld", r);

    size_t pending_count = (size_t)n;
    bool answered = false;
    int status = AW_OK, last_error = AW_OK;
    while (pending_count > 0 && !answered) {
        status = aw_wait(pending, pending_count, AW_FIRST_COMPLETED, AW_NEVER, NULL);
        if (status != AW_OK)
            break; /* we were cancelled: stop the replicas too */
        size_t still = 0;
        for (size_t i = 0; i < pending_count; i++) {
            aw_task *t = pending[i];
            if (!aw_task_done(t))
                pending[still++] = t; /* keep it for the next wait */
            else if (aw_task_state_of(t) != AW_TASK_OK)
                last_error = aw_task_state_of(t) == AW_TASK_FAILED ? aw_task_error(t)->code
                                                                    : AW_ECANCELLED;
            else if (!answered) {
                *answer = aw_task_value(t);
                answered = true;
            }
        }
        pending_count = still;
    }

    int stopped = cancel_the_rest(tasks, n);
    if (status == AW_OK && stopped != AW_OK)
        status = stopped;    /* we were cancelled while they stopped */
    if (status == AW_OK && !answered)
        status = last_error; /* every replica failed */
    free(tasks);
    free(pending);
    return status;
}
