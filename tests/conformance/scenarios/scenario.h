/*
 * scenario.h -- what every conformance scenario program shares.
 *
 * A scenario is one behaviour of asyncio, written twice: here in C on the
 * runtime, and beside it in Python (NAME.py).  Both print a normalized log,
 * one event per line: the time rounded to tenths of a second, then what
 * happened.  The C side runs on the virtual clock, the Python side on the
 * real one; tenths are coarse enough that Python's timing noise cannot
 * change a digit when events are placed on whole tenths.
 */
#ifndef AWAITLAB_SCENARIO_H
#define AWAITLAB_SCENARIO_H

#include "awaitlab.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>

/* Prints "T text" with T = the virtual time in tenths, e.g. "0.5 a done". */
static inline void say(const char *format, ...) __attribute__((format(printf, 1, 2)));
static inline void say(const char *format, ...)
{
    printf("%.1f ", round(aw_now() * 10) / 10);
    va_list ap;
    va_start(ap, format);
    vprintf(format, ap);
    va_end(ap);
    putchar('\n');
}

/* Runs `main` on the virtual clock; the exit status says how aw_run ended. */
static inline int run_scenario(aw_fn main)
{
    aw_config config = {.clock = AW_CLOCK_VIRTUAL};
    int status = aw_run(main, NULL, &config, NULL);
    fflush(stdout);
    return status == AW_OK ? 0 : 1;
}

#endif /* AWAITLAB_SCENARIO_H */
