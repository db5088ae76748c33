/*
 * timeout_reschedule -- a timeout's deadline can be moved while the scope
 * runs: later, or away entirely (AW_NEVER, asyncio's None).
 */
#include "scenario.h"

static const char *yes_no(bool b)
{
    return b ? "True" : "False";
}

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_timeout scope;
    aw_timeout_begin(&scope, 0.3);
    int status = aw_sleep(0.2);
    if (status == AW_OK) {
        say("deadline moved to 0.4 s from now");
        aw_timeout_reschedule(&scope, 0.4);
        status = aw_sleep(1.0);
    }
    status = aw_timeout_end(&scope, status);
    if (status == AW_ETIMEDOUT)
        say("first scope: timed out, expired: %s", yes_no(aw_timeout_expired(&scope)));
    else if (status == AW_OK)
        say("first scope: finished in time");
    else
        return status;

    aw_timeout_begin(&scope, 0.2);
    aw_timeout_reschedule(&scope, AW_NEVER);
    say("deadline removed");
    status = aw_sleep(0.4);
    status = aw_timeout_end(&scope, status);
    if (status == AW_OK)
        say("second scope: finished in time, expired: %s", yes_no(aw_timeout_expired(&scope)));
    else if (status == AW_ETIMEDOUT)
        say("second scope: timed out");
    else
        return status;
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
