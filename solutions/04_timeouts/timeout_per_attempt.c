/*
 * Exercise timeout_per_attempt -- chapter 04, fix the bug.  A solution.
 *
 * ask() sends a request to a server that now and then never answers.  Each
 * attempt should get `per_try` seconds; an attempt that has not answered by
 * then is given up and the request sent again, up to `attempts` times.
 * When the server answers the first attempt, all is well.  But when the
 * first attempt hangs, ask() returns AW_ETIMEDOUT after `per_try` seconds
 * and the server never sees a second attempt.  Make the retries happen.
 *
 * Lesson:   chapters/04_timeouts.md#common-mistakes
 * Check it: awaitlab check timeout_per_attempt
 */
#include "awaitlab.h"

/*
 * Given -- the check provides it: sends attempt number `attempt` (from 0) of
 * the request and waits for the reply, which it stores in *reply.  Some
 * attempts never get one (the check decides which).  In Python:
 * `reply = await send_request(attempt)`.
 */
int send_request(long attempt, intptr_t *reply);

/*
 * async def ask(attempts, per_try):
 *     for attempt in range(attempts):
 *         try:
 *             async with asyncio.timeout(per_try):
 *                 return await send_request(attempt)
 *         except TimeoutError:
 *             pass                        # no answer in time: send it again
 *     raise TimeoutError
 *
 * Returns AW_OK with the reply in *reply, or AW_ETIMEDOUT once every attempt
 * went unanswered.
 *
 * The bug was where the scope sat: around the whole loop, it gave all the
 * attempts together `per_try` seconds.  Inside that scope its deadline
 * shows as AW_ECANCELLED, not AW_ETIMEDOUT, so the loop stopped at the
 * first expiry -- and had it gone on, every later attempt would have been
 * cancelled at once, since a scope whose deadline has passed stays
 * cancelled until it ends.  One scope per attempt gives each its own
 * deadline, and its end says AW_ETIMEDOUT where the loop can see it.
 */
int ask(long attempts, double per_try, intptr_t *reply)
{
    int status = AW_ETIMEDOUT;
    for (long attempt = 0; attempt < attempts; attempt++) {
        aw_timeout deadline;
        aw_timeout_begin(&deadline, per_try);
        status = send_request(attempt, reply);
        status = aw_timeout_end(&deadline, status);
        if (status != AW_ETIMEDOUT)
            break; /* an answer, or an error to pass on */
        /* no answer in time: send it again */
    }
    return status;
}
