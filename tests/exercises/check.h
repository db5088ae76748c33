/*
 * check.h -- what an exercise's check is written with.
 *
 * A check is one C file, tests/exercises/NN_chapter/NAME.check.c, linked
 * with the student's exercise file, the runtime (built with AddressSanitizer
 * and UBSan) and check.c, which holds main().  It defines
 *
 *     void exercise_check(void);
 *
 * which runs the student's code in a few cases -- each with parameters the
 * exercise file does not show, so that a hard-coded answer fails -- on the
 * virtual clock, and judges each case from the trace of its run, never from
 * what the student's code printed:
 *
 *     static int drive(void *arg) { return fetch_all(n, results); }
 *
 *     check_case("7 fetches of 0.3 s");
 *     int status = check_run(drive, NULL, 60.0);
 *     if (status == AW_OK && !check_near(check_elapsed(), 0.3))
 *         check_fail("7 fetches of 0.3 s gathered should take 0.300 s; yours "
 *                    "took %.3f s -- are you awaiting each one before starting "
 *                    "the next?", check_elapsed());
 *     check_case_end();
 *
 * Each case writes one verdict line (JSON) for `awaitlab check`, and the
 * trace of its run to a file beside it, which `awaitlab check` draws as the
 * timeline the student sees.  A case passes unless check_fail() was called.
 *
 * The student's code runs in the task "main".  check_run() gives it a
 * deadline in virtual time: code that is still running when it passes fails
 * the case with a message that says so, and so does a deadlock.
 */
#ifndef AWAITLAB_CHECK_H
#define AWAITLAB_CHECK_H

#include "awaitlab.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Defined by each check file: run the cases. */
void exercise_check(void);

/* ----------------------------------------------------------------------- */
/* Cases                                                                     */
/* ----------------------------------------------------------------------- */

/* Opens a case; `title` says what it runs, e.g. "20 jobs, limit 5". */
void check_case(const char *title_format, ...) __attribute__((format(printf, 1, 2)));

/*
 * Runs drive(arg) as the body of the task "main" in a fresh aw_run on the
 * virtual clock, with the trace captured, and returns drive's status.
 * `limit_s` is the virtual time the code may take; past it the case fails
 * ("still running after ...").  A deadlock fails the case too, naming who
 * waited on what.  Call it once per case.
 */
typedef int (*check_body)(void *arg);
int check_run(check_body drive, void *arg, double limit_s);

/* Fails the open case.  The message is what the student reads: say what
 * their run did, in numbers, and what to look at.  The first call's message
 * comes first; later calls add lines. */
void check_fail(const char *format, ...) __attribute__((format(printf, 1, 2)));

/* Whether the open case has failed so far. */
bool check_failed(void);

/* Closes the case and writes its verdict. */
void check_case_end(void);

/* ----------------------------------------------------------------------- */
/* What the run did -- questions about the trace of the last check_run()      */
/* ----------------------------------------------------------------------- */

/* Virtual seconds drive() took. */
double check_elapsed(void);

/* a == b to within a microsecond: virtual times are exact. */
bool check_near(double a, double b);

/* How a task ended.  CHECK_RUNNING: still alive when drive() returned. */
typedef enum check_outcome {
    CHECK_NEVER = 0,   /* no task of that name was spawned                 */
    CHECK_RUNNING,     /* spawned, and not finished when drive() returned  */
    CHECK_OK,
    CHECK_ERROR,
    CHECK_CANCELLED,
    CHECK_ANY          /* for check_count(): every task spawned            */
} check_outcome;

typedef struct check_task_info {
    check_outcome outcome;
    int code;             /* the error code, for CHECK_ERROR                */
    intptr_t value;       /* the value, for CHECK_OK                        */
    double spawned_s;     /* times on the virtual clock, from aw_run's start */
    double started_s;     /* first step                                     */
    double ended_s;       /* finished; -1 while running                     */
    double cancel_requested_s; /* first aw_cancel() of it, or -1           */
} check_task_info;

/* The task with this name (the first, if several share it). */
check_task_info check_task(const char *name);

/* Tasks whose names start with `prefix` (NULL: all but main) that ended in
 * `outcome` -- as of the moment drive() returned. */
int check_count(const char *prefix, check_outcome outcome);

/* The most tasks named `prefix`... that were sleeping at the same time
 * (aw_sleep: the stand-in for real work such as a network call). */
int check_peak_sleeping(const char *prefix);

/* The most tasks named `prefix`... alive (first step to finish) at once. */
int check_peak_alive(const char *prefix);

/* The highest level a resource reached (permits in use, queue depth...),
 * by its kind ("semaphore", "lock", "queue", "event") and name; -1 if it
 * never appeared. */
long check_resource_peak(const char *kind, const char *name);

/* Steps that held the loop (a blocking call on the loop's thread), and the
 * virtual seconds they held it in all. */
int check_blocking_steps(double *held_s);

/* A blocking call of `seconds` (a synchronous driver, a CPU-bound loop), for
 * the world a check provides: on the loop's thread it holds the loop for
 * that much virtual time, as the real call would; on a worker thread
 * (aw_to_thread) it returns at once.  sleep(), usleep() and nanosleep()
 * behave the same way inside a check. */
void check_block(double seconds);

/* Fills `names` with the tasks still running when drive() returned, comma
 * separated; returns how many there were. */
int check_left_running(char *names, size_t size);

/* A number of seconds for messages: "0.5 s", "1.25 s".  The string is one of
 * 16 static buffers used in turn: enough for one message, not to keep. */
const char *check_seconds(double s);

#endif /* AWAITLAB_CHECK_H */
