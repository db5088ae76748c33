/*
 * A cheat for bound_fanout: a correct shared semaphore, but with the
 * lesson's default of 5 permits instead of `limit`.  Right whenever the
 * hidden limit is 5 or n is at most 5; the check's cases with a limit of
 * 3, 4 and 1 see more downloads in flight than the mirror allows.
 */
#include "awaitlab.h"

#include <stdlib.h>

int download(long i, intptr_t *bytes);

static aw_semaphore downloads;

static int download_task(void *arg, intptr_t *result)
{
    int status = aw_sem_acquire(&downloads);
    if (status != AW_OK)
        return status;
    status = download((long)(intptr_t)arg, result);
    aw_sem_release(&downloads);
    return status;
}

int download_all(long n, long limit, intptr_t *sizes)
{
    (void)limit;
    int status = aw_sem_init(&downloads, 5, "downloads");
    if (status != AW_OK)
        return status;

    aw_task **tasks = calloc((size_t)n, sizeof *tasks);
    if (!tasks)
        return AW_ENOMEM;
    for (long i = 0; i < n; i++)
        tasks[i] = aw_spawn(download_task, (void *)(intptr_t)i, "download-%ld", i);
    status = aw_gather(tasks, (size_t)n, 0);
    if (status == AW_OK)
        for (long i = 0; i < n; i++)
            sizes[i] = aw_task_value(tasks[i]);
    free(tasks);
    return status;
}
