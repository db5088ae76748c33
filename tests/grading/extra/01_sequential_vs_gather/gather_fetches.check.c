/*
 * An instructor's own check of gather_fetches, kept out of the students'
 * sight: many more fetches than any visible case, all of one delay.
 */
#include "check.h"

int fetch_all(long n, intptr_t *results);

int fetch(long i, intptr_t *value)
{
    int status = aw_sleep(0.25);
    *value = 3 * (intptr_t)i;
    return status;
}

static intptr_t results[40];

static int drive(void *arg)
{
    (void)arg;
    return fetch_all(40, results);
}

void exercise_check(void)
{
    check_case("40 fetches of 0.25 s");
    int status = check_run(drive, NULL, 30);
    if (!check_failed() && (status != AW_OK || !check_near(check_elapsed(), 0.25)))
        check_fail("40 fetches gathered should take 0.25 s; yours took %s (status %d)",
                   check_seconds(check_elapsed()), status);
    for (int i = 0; i < 40 && !check_failed(); i++)
        if (results[i] != 3 * i)
            check_fail("results[%d] is %ld, not %d", i, (long)results[i], 3 * i);
    check_case_end();
}
