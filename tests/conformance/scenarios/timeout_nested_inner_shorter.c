/*
 * timeout_nested_inner_shorter -- when the inner deadline comes first,
 * only the inner scope times out; the outer block carries on.
 */
#include "scenario.h"

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_timeout outer, inner;
    aw_timeout_begin(&outer, 1.0);

    aw_timeout_begin(&inner, 0.3);
    int status = aw_sleep(2.0);
    status = aw_timeout_end(&inner, status);
    if (status == AW_ETIMEDOUT) {
        say("inner: timed out");
        status = AW_OK;
    } else if (status == AW_OK) {
        say("inner: finished in time");
    }
    if (status == AW_OK)
        status = aw_sleep(0.2);
    if (status == AW_OK)
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
