/*
 * clock_waits_for_real_work -- on the virtual clock, time stands still
 * while real work is out: a blocking call on a thread, then a child
 * process, each 0.3 s of real time.  A ticker due every 0.1 s does not tick
 * during either; each is done at the instant it began, and what comes
 * after keeps its exact times.  (On the real clock the ticker would tick
 * during both.)
 */
#include "awaitlab_io.h"
#include "scenario.h"

#include <time.h>

static int ticker(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    for (;;) {
        int status = aw_sleep(0.1);
        if (status != AW_OK)
            return status;
        say("tick");
    }
}

/* time.sleep(0.3), on a worker thread. */
static intptr_t block(void *arg)
{
    (void)arg;
    struct timespec nap = {.tv_sec = 0, .tv_nsec = 300000000};
    while (nanosleep(&nap, &nap) != 0)
        ;
    return 0;
}

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *ticking = aw_spawn(ticker, NULL, "ticker");
    aw_sleep(0.05);
    say("a blocking call goes to a thread");
    intptr_t value;
    int status = aw_to_thread(block, NULL, &value);
    if (status != AW_OK)
        return status;
    say("the thread is done");
    aw_sleep(0.1);
    say("a child process starts");
    static const char *const argv[] = {"sleep", "0.3", NULL};
    aw_process_options options = {.argv = argv};
    aw_process_result child;
    status = aw_process_run(&options, &child);
    if (status != AW_OK)
        return status;
    say("the child is done: returncode %d", child.returncode);
    aw_process_result_free(&child);
    aw_sleep(0.2);
    aw_cancel(ticking);
    aw_await(ticking);
    say("main ends");
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
