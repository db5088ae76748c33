/*
 * wait_empty -- wait() of no tasks at all is an error (asyncio: ValueError),
 * while gather() and as_completed() of nothing simply end at once.
 */
#include "scenario.h"

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    int status = aw_wait(NULL, 0, AW_ALL_COMPLETED, AW_NEVER, NULL);
    if (status == AW_EINVAL)
        say("wait of nothing: invalid argument");
    else if (status == AW_OK)
        say("wait of nothing: returned");
    else
        return status;

    status = aw_gather(NULL, 0, 0);
    if (status != AW_OK)
        return status;
    say("gather of nothing: 0 results");

    aw_as_completed it;
    aw_as_completed_begin(&it, NULL, 0, AW_NEVER);
    aw_task *next;
    int count = 0;
    while ((status = aw_as_completed_next(&it, &next)) == AW_OK && next)
        count++;
    aw_as_completed_end(&it);
    if (status != AW_OK)
        return status;
    say("as_completed of nothing: %d results", count);
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
