/*
 * tie_timeout_sleep -- a timeout and a sleep that fall due in the same
 * instant fire in the order they were armed, and each takes the same number
 * of steps to reach its task: the timeout, armed first, is seen first.
 */
#include "scenario.h"

typedef struct sleep_spec {
    const char *name;
    long tenths;
} sleep_spec;

static int sleeper(void *arg, intptr_t *result)
{
    (void)result;
    const sleep_spec *spec = arg;
    int status = aw_sleep((double)spec->tenths / 10);
    if (status == AW_OK)
        say("%s wakes", spec->name);
    return status;
}

static const sleep_spec s1 = {"s1", 3}, s2 = {"s2", 2};

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_timeout scope;
    aw_timeout_begin(&scope, 0.3);
    aw_spawn(sleeper, (void *)&s1, "s1");
    int status = aw_sleep(0.1);
    if (status == AW_OK) {
        aw_spawn(sleeper, (void *)&s2, "s2");
        status = aw_sleep(1);
    }
    if (aw_timeout_end(&scope, status) == AW_ETIMEDOUT)
        say("main timed out");
    aw_sleep(0.1);
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
