/*
 * A cheat for periodic_keep_rate: a correct fixed-rate loop that catches
 * up, but on the lesson's default interval of 0.2 s, whatever `interval`
 * says.  Right for an interval of 0.2 s; the check's cases every 0.25 s
 * and every 0.5 s see check 1 start too early.
 */
#include "awaitlab.h"

int check_health(void);

int monitor(double interval, long *failed)
{
    (void)interval;
    const double every = 0.2; /* the lesson's --interval */
    *failed = 0;
    double start = aw_now();
    for (long k = 0;; k++) {
        int status = aw_sleep(start + (double)k * every - aw_now());
        if (status == AW_OK)
            status = check_health();
        if (status == AW_ECANCELLED)
            return status;
        if (status != AW_OK)
            (*failed)++;
    }
}
