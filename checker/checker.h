/*
 * checker.h -- checking one exercise: build it, run its check, judge it.
 *
 * This is the engine behind `awaitlab check`, `awaitlab watch`, `awaitlab
 * dev check` and `awaitlab grade`: they all call ex_check() and differ only
 * in the options (a sandbox for grading, extra checks, where the scratch
 * files go) and in how they show the result.
 *
 *   1. Build.  The student's file is compiled alone, with -Wall -Wextra,
 *      AddressSanitizer and UBSan (inside the sandbox when there is one, so
 *      that not even #include can reach a file it should not see), then
 *      linked with the exercise's check and the sanitized runtime.  A
 *      compile error ends here, shown trimmed to its first errors.
 *   2. Run.  The check program runs under limits (confine.h).  It writes a
 *      verdict line per case on fd 3 and a trace file per case.
 *   3. Judge.  Verdicts become cases; a crash, a sanitizer report, a limit
 *      hit or a missing end of the verdicts becomes the result's status with
 *      a message that says which; each failing case gets the timeline of
 *      its own run, drawn from its trace.
 *
 * A prediction exercise builds the given program instead (from the home,
 * never the student's copy), runs it on the virtual clock, and compares
 * its output with the student's prediction line by line.
 */
#ifndef AWAITLAB_CHECKER_H
#define AWAITLAB_CHECKER_H

#include "catalogue.h"
#include "confine.h"

#include <stdbool.h>
#include <stddef.h>

typedef enum ex_status {
    EX_PASSED,
    EX_FAILED,          /* it ran; a case's expectations were not met        */
    EX_COMPILE_ERROR,
    EX_CRASHED,         /* a signal, a stack overflow, an early exit          */
    EX_SANITIZER,       /* AddressSanitizer or UBSan reported an error        */
    EX_CPU_LIMIT,       /* an endless loop that never awaits                  */
    EX_TIME_LIMIT,      /* still running at the wall-clock limit             */
    EX_MEMORY_LIMIT,
    EX_OUTPUT_LIMIT,
    EX_MISSING,         /* the student's file is not there                   */
    EX_INTERNAL         /* the checker itself could not do its job            */
} ex_status;

/* "passed", "failed", "compile-error", ...: stable names for tools. */
const char *ex_status_name(ex_status status);

typedef struct ex_case {
    char *title;
    bool passed;
    char *message;      /* what the student's run did, and what to look at */
    char *timeline;     /* the text timeline of the case's run, or NULL     */
    double elapsed_s;   /* virtual seconds the student's code took; -1: ?   */
} ex_case;

typedef struct ex_result {
    ex_status status;
    char *summary;      /* one line: "2 of 3 cases failed", "crashed: ..."  */
    char *details;      /* compiler errors, sanitizer report ... or NULL    */
    char *warnings;     /* compiler warnings (they do not fail), or NULL    */
    char *output;       /* what the program printed, trimmed, or NULL      */
    ex_case *cases;
    size_t n_cases;
    double build_s, run_s;   /* real seconds, for progress and benchmarks */
} ex_result;

typedef struct ex_options {
    const char *home;          /* the awaitlab home (catalogue, checks)      */
    const char *lib_dir;       /* the sanitized runtime and check library    */
    const char *scratch;       /* an empty directory this check may fill     */
    const char *extra_check;   /* another check source to run as well (an    */
                               /* instructor's hidden cases), or NULL        */
    ex_sandbox sandbox;        /* .enabled for grading                       */
    ex_limits run_limits;      /* zero: ex_limits_for_run()                  */
    int timeline_width;        /* 0: 60 columns                              */
    bool all_timelines;        /* draw passing cases too                     */
} ex_options;

/*
 * Checks `exercise` against the file `student_file` (absolute, or relative
 * to the current directory).  Fills `result` (free with ex_result_free) and
 * returns 0; -1 only when not even a result could be made (out of memory).
 */
int ex_check(const ex_exercise *exercise, const char *student_file, const ex_options *options,
             ex_result *result);
void ex_result_free(ex_result *result);

/* A check stopped by Ctrl-C (ex_interrupted) says nothing about the student's
 * file: its result is marked so, and grading saves no such result. */
void ex_result_mark_interrupted(ex_result *result);
bool ex_result_interrupted(const ex_result *result);

/* The directory with the sanitized runtime: <dir of this program>/exercise,
 * or $AWAITLAB_EXERCISE_LIB. */
const char *ex_lib_dir(void);

/* The home: the nearest directory above this program holding
 * tests/exercises/check.h, or $AWAITLAB_HOME.  NULL if there is none. */
const char *ex_home(void);

#endif /* AWAITLAB_CHECKER_H */
