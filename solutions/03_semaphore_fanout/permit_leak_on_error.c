/*
 * Exercise permit_leak_on_error -- chapter 03, fix the bug.  A solution.
 *
 * upload_all() uploads n files, at most `limit` at a time, and counts the
 * uploads that failed: the storage service refuses a few files now and
 * then, and that is expected.  When every upload succeeds, all is well.
 * When a few fail, the uploads after them go slower and slower, and with
 * enough failures the batch never finishes at all.  Make a failed upload
 * cost nothing but its own failure.
 *
 * Lesson:   chapters/03_semaphore_fanout.md#the-c-version-line-by-line
 * Check it: awaitlab check permit_leak_on_error
 */
#include "awaitlab.h"

#include <stdlib.h>

/*
 * Given -- the check provides it: uploads file i.  It sleeps as long as the
 * transfer takes, then returns AW_OK, or an error if the service refused
 * the file (the check decides which files, and how long each takes).  In
 * Python: `await upload(i)`, which may raise.
 */
int upload(long i);

static aw_semaphore uploads; /* at most `limit` uploads at a time */

/*
 * async def limited_upload(i):
 *     async with uploads:
 *         await upload(i)
 *
 * `async with` gives the permit back however the block ends, an exception
 * included.  The bug was an early return on the error path, between the
 * acquire and the release: every refused file kept its permit for ever, so
 * each failure took one permit out of circulation -- fewer uploads at a
 * time after each one, and none at all once `limit` had failed.  Now the
 * release comes right after the upload, whatever it returned, and only
 * then is the status passed on.
 */
static int upload_task(void *arg, intptr_t *result)
{
    (void)result;
    int status = aw_sem_acquire(&uploads);
    if (status != AW_OK)
        return status; /* cancelled while queued: we hold no permit */
    status = upload((long)(intptr_t)arg);
    aw_sem_release(&uploads);
    return status;     /* a refusal goes on to the gather as an error */
}

/*
 * uploads = asyncio.Semaphore(limit)
 * results = await asyncio.gather(*(limited_upload(i) for i in range(n)),
 *                                return_exceptions=True)
 * failed = sum(isinstance(r, Exception) for r in results)
 *
 * Leaves in *failed the number of uploads that failed.  Returns AW_OK
 * once every upload has finished, whatever their outcomes.
 */
int upload_all(long n, long limit, long *failed)
{
    int status = aw_sem_init(&uploads, limit, "uploads");
    if (status != AW_OK)
        return status;
    aw_task **tasks = calloc((size_t)n, sizeof *tasks);
    if (!tasks)
        return AW_ENOMEM;
    for (long i = 0; i < n; i++)
        tasks[i] = aw_spawn(upload_task, (void *)(intptr_t)i, "upload-%ld", i);
    status = aw_gather(tasks, (size_t)n, AW_RETURN_EXCEPTIONS);
    *failed = 0;
    for (long i = 0; status == AW_OK && i < n; i++)
        *failed += aw_task_state_of(tasks[i]) == AW_TASK_FAILED;
    free(tasks);
    return status;
}
