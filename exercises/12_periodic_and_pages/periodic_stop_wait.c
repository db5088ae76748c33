/*
 * Exercise periodic_stop_wait -- chapter 12, fix the bug.
 *
 * start_heartbeat() starts a task that tells the server "still here" every
 * `interval` seconds and, once cancelled, says goodbye as its last act.
 * The program calls stop_heartbeat() when it shuts down, and closes its
 * connection to the server as soon as that returns.  The server complains,
 * every time: the goodbye arrives after the connection was closed.  Make
 * stop_heartbeat() return AW_OK once the heartbeat has really stopped --
 * goodbye sent -- and not a moment later.
 *
 * Lesson:   chapters/12_periodic_and_pages.md#common-mistakes
 * Check it: awaitlab check periodic_stop_wait
 */
#include "awaitlab.h"

/*
 * Given -- the check provides them: two messages to the server, each takes
 * a moment.  AW_OK, an error, or AW_ECANCELLED if the task is cancelled
 * meanwhile.  In Python: `await send_heartbeat()`, `await send_goodbye()`.
 */
int send_heartbeat(void);
int send_goodbye(void);

static double heartbeat_interval; /* seconds between two heartbeats */

/*
 * async def heartbeat():
 *     start = loop.time()
 *     try:
 *         for k in itertools.count():
 *             await asyncio.sleep(start + k * heartbeat_interval - loop.time())
 *             try:
 *                 await send_heartbeat()
 *             except Exception:
 *                 pass                  # the next one may get through
 *     finally:
 *         await send_goodbye()
 */
static int heartbeat(void *arg, intptr_t *result)
{
    (void)arg;
    double start = aw_now();
    long sent = 0;
    int status = AW_OK;
    for (long k = 0; status != AW_ECANCELLED; k++) {
        status = aw_sleep(start + (double)k * heartbeat_interval - aw_now());
        if (status == AW_OK && (status = send_heartbeat()) == AW_OK)
            sent++;
    }
    /* The finally.  The task is cancelled, and awaitlab's cancellation is
     * level-triggered: outside a shield, this await would return
     * AW_ECANCELLED at once and the goodbye would never be sent. */
    aw_shield_begin();
    send_goodbye();
    aw_shield_end();
    *result = sent;
    return AW_ECANCELLED;
}

/* asyncio.create_task(heartbeat(), name="heartbeat") */
aw_task *start_heartbeat(double interval)
{
    heartbeat_interval = interval;
    return aw_spawn(heartbeat, NULL, "heartbeat");
}

/*
 * Stops the heartbeat started by start_heartbeat().  Returns AW_OK once it
 * has stopped, or an error of its own.
 */
int stop_heartbeat(aw_task *task)
{
    aw_cancel(task);
    return AW_OK;
}
