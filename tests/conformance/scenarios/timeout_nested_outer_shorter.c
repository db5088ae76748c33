/*
 * timeout_nested_outer_shorter -- when the outer deadline comes first,
 * the inner scope sees a plain cancellation (not its own timeout), and only
 * the outer scope reports the timeout.
 */
#include "scenario.h"

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_timeout outer, inner;
    aw_timeout_begin(&outer, 0.3);

    aw_timeout_begin(&inner, 1.0);
    int status = aw_sleep(2.0);
    status = aw_timeout_end(&inner, status);
    if (status == AW_ETIMEDOUT)
        say("inner: timed out");
    else if (status == AW_ECANCELLED)
        say("inner: cancelled");
    else if (status == AW_OK)
        say("inner: finished in time");
    if (status == AW_OK || status == AW_ETIMEDOUT)
        say("outer: still running");

    status = aw_timeout_end(&outer, status);
    if (status == AW_ETIMEDOUT)
        say("outer: timed out");
    else if (status == AW_OK)
        say("outer: finished in time");
    else
        return status;
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
