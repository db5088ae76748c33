/*
 * Exercise profiles_one_by_one -- chapter 01, fix the bug.  A solution.
 *
 * load_profiles() loads the profiles of users 0 .. n-1 from a slow profile
 * service, each into its own slot.  Every profile arrives, in the right
 * slot -- but ten profiles take ten times as long as one, and the timeline
 * is a staircase: never more than one request out at a time.  Make the n
 * requests wait at the same time, so that the batch takes as long as the
 * slowest profile.
 *
 * Lesson:   chapters/01_sequential_vs_gather.md#common-mistakes
 * Check it: awaitlab check profiles_one_by_one
 */
#include "awaitlab.h"

#include <stdlib.h>

/*
 * Given -- the check provides it: asks the profile service for one user's
 * profile.  It sleeps as long as the service takes (the check decides how
 * long) and sets *profile.  In Python: `profile = await fetch_profile(user)`.
 */
int fetch_profile(long user, intptr_t *profile);

/* The body of one request's task; arg is the user number. */
static int profile_task(void *arg, intptr_t *result)
{
    return fetch_profile((long)(intptr_t)arg, result);
}

/*
 * profiles = await asyncio.gather(*(fetch_profile(u) for u in range(n)))
 *
 * Leaves user u's profile in profiles[u].  Returns AW_OK, or the status of
 * the first request that failed.
 *
 * The bug was the aw_await() inside the loop: it waited for each request
 * before the next one was even spawned.  Now every request is spawned
 * first; they all start waiting the moment this task suspends in
 * aw_gather(), which still returns the first failure as soon as it happens.
 */
int load_profiles(long n, intptr_t *profiles)
{
    aw_task **tasks = calloc((size_t)n, sizeof *tasks);
    if (!tasks)
        return AW_ENOMEM;
    for (long user = 0; user < n; user++)
        tasks[user] = aw_spawn(profile_task, (void *)(intptr_t)user, "profile-%ld", user);

    int status = aw_gather(tasks, (size_t)n, 0);
    if (status == AW_OK)
        for (long user = 0; user < n; user++)
            profiles[user] = aw_task_value(tasks[user]);

    free(tasks);
    return status;
}
