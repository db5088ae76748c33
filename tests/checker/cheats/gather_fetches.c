/*
 * A cheat for gather_fetches: no tasks at all, one sleep of the lesson's
 * delay, and the values the lesson's fetches return.  Right for the lesson's
 * defaults (10 fetches of 0.5 s returning i); the check's hidden n, delays
 * and values must catch it.
 */
#include "awaitlab.h"

int fetch_all(long n, intptr_t *results)
{
    int status = aw_sleep(0.5);
    for (long i = 0; i < n; i++)
        results[i] = i;
    return status;
}
