/*
 * timeout_expiry -- when a timeout scope expires, the work inside sees a
 * cancellation; its cleanup may still await (in C, inside a shield); the
 * caller gets the timeout only after the cleanup has finished.
 */
#include "scenario.h"

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_timeout scope;
    aw_timeout_begin(&scope, 0.3);
    say("work starts");
    int status = aw_sleep(1.0);
    if (status == AW_ECANCELLED) {
        say("work cancelled");
        aw_shield_begin(); /* cleanup that must wait */
        aw_sleep(0.2);
        aw_shield_end();
        say("cleanup done");
    } else {
        say("work done");
    }
    status = aw_timeout_end(&scope, status);
    if (status == AW_ETIMEDOUT)
        say("caller: timed out");
    else if (status == AW_OK)
        say("caller: finished in time");
    else
        return status;
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
