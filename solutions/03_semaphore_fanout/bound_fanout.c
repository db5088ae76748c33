/*
 * Exercise bound_fanout -- chapter 03, complete the code.  A solution.
 *
 * download_all() downloads files 0 .. n-1 from a mirror that allows at
 * most `limit` downloads at a time.  It already starts them all at once
 * and gathers them.  Bound the fan-out with a semaphore: each download
 * waits for a permit of one shared Semaphore(limit) and gives it back when
 * done, so that never more than `limit` are in flight -- and never fewer
 * while files are waiting for their turn.
 *
 * Lesson:   chapters/03_semaphore_fanout.md#the-c-version-line-by-line
 * Check it: awaitlab check bound_fanout
 */
#include "awaitlab.h"

#include <stdlib.h>

/*
 * Given -- the check provides it: downloads file i from the mirror.  It
 * sleeps as long as the transfer takes (the check decides how long) and
 * sets *bytes to the file's size.  In Python: `size = await download(i)`.
 */
int download(long i, intptr_t *bytes);

static aw_semaphore downloads; /* one for all the downloads: it is shared */

/*
 * async def limited_download(i):
 *     async with downloads:
 *         return await download(i)
 *
 * `async with` releases however the block ends; in C the release is
 * written out, with no return between it and the acquire.
 */
static int download_task(void *arg, intptr_t *result)
{
    int status = aw_sem_acquire(&downloads);
    if (status != AW_OK)
        return status; /* cancelled while queued: we hold no permit */
    status = download((long)(intptr_t)arg, result);
    aw_sem_release(&downloads);
    return status;
}

/*
 * downloads = asyncio.Semaphore(limit)
 * sizes = await asyncio.gather(*(limited_download(i) for i in range(n)))
 *
 * Leaves file i's size in sizes[i].  Returns AW_OK, or the status of the
 * first download that failed.
 */
int download_all(long n, long limit, intptr_t *sizes)
{
    /* Before the first spawn: the tasks start using it as soon as we
     * suspend in aw_gather(). */
    int status = aw_sem_init(&downloads, limit, "downloads");
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
