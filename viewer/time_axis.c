/*
 * time_axis.c -- time to columns and back, and the ruler's round numbers.
 */
#include "time_axis.h"

#include <stdio.h>
#include <string.h>

void tv_format_seconds(char *text, size_t size, tv_time t, int decimals)
{
    tv_time unit = 1, scale = 1;
    for (int i = decimals; i < 6; i++)
        unit *= 10;
    for (int i = 0; i < decimals; i++)
        scale *= 10;
    tv_time magnitude = t < 0 ? -t : t;
    tv_time rounded = (magnitude + unit / 2) / unit;
    const char *sign = t < 0 && rounded != 0 ? "-" : "";
    if (decimals == 0)
        snprintf(text, size, "%s%lld", sign, (long long)rounded);
    else
        snprintf(text, size, "%s%lld.%0*lld", sign, (long long)(rounded / scale),
                 decimals, (long long)(rounded % scale));
}

tv_time tv_nice_step(int n)
{
    static const int firsts[] = {1, 2, 5};
    tv_time power = 1;
    for (int i = 0; i < n / 3; i++)
        power *= 10;
    return firsts[n % 3] * power;
}

int tv_step_decimals(tv_time step)
{
    int decimals = 6;
    while (decimals > 0 && step % 10 == 0)
        step /= 10, decimals--;
    return decimals;
}

tv_time tv_axis_ruler_step(const tv_axis *axis, int min_gap)
{
    for (int n = 0;; n++) {
        tv_time step = tv_nice_step(n);
        if (step > axis->span)
            return 0;
        char label[TV_SECONDS_BYTES];
        tv_format_seconds(label, sizeof label, axis->span / step * step,
                          tv_step_decimals(step));
        tv_time gap = (tv_time)strlen(label) + 2;
        if (gap < min_gap)
            gap = min_gap;
        if (step * axis->width >= gap * axis->span)
            return step;
    }
}
