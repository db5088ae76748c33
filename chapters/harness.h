/*
 * harness.h -- what every chapter program shares: its flags, its sections,
 * and its report.
 *
 * A chapter is a small program about one idea.  It declares its knobs (a
 * table of lab_param), splits its run into named sections, and leaves the
 * rest here: parsing and checking flags, running the chapter on the runtime,
 * measuring each section from the trace, and printing either a summary for
 * people or one JSON object for tools (--json).
 *
 *     static long n = 10;
 *     static const lab_param params[] = {
 *         LAB_INT("n", &n, 1, 100000, "how many fetches"),
 *         LAB_END
 *     };
 *     int main(int argc, char **argv) { return lab_main(&chapter, argc, argv); }
 *
 * Flags every chapter takes: --clock real|virtual, --seed N, --json, --log,
 * --trace FILE, --debug, --describe, --help.
 */
#ifndef AWAITLAB_HARNESS_H
#define AWAITLAB_HARNESS_H

#include "awaitlab.h"

#include <stdint.h>

typedef enum lab_param_kind {
    LAB_PARAM_INT,
    LAB_PARAM_SECONDS,
    LAB_PARAM_RATE,
    LAB_PARAM_STRING        /* free text, such as a URL; NULL means unset    */
} lab_param_kind;

typedef struct lab_param {
    const char *name;       /* the flag is --name                           */
    lab_param_kind kind;
    void *value;            /* long * for INT, const char ** for STRING,    */
                            /* double * otherwise                           */
    double min, max;        /* accepted range, inclusive                    */
    const char *help;
} lab_param;

#define LAB_INT(name, ptr, min, max, help) \
    {(name), LAB_PARAM_INT, (ptr), (min), (max), (help)}
#define LAB_SECONDS(name, ptr, min, max, help) \
    {(name), LAB_PARAM_SECONDS, (ptr), (min), (max), (help)}
#define LAB_RATE(name, ptr, help) \
    {(name), LAB_PARAM_RATE, (ptr), 0, 1, (help)}
#define LAB_STRING(name, ptr, help) \
    {(name), LAB_PARAM_STRING, (ptr), 0, 0, (help)}
#define LAB_END {0}

typedef struct lab_chapter {
    const char *number;     /* "01"                                          */
    const char *slug;       /* "sequential_vs_gather"                        */
    const char *title;      /* "Sequential vs gather"                        */
    const char *summary;    /* one line for `awaitlab list`                  */
    const lab_param *params;
    const char *main_knob;  /* the flag an instructor turns first, e.g.
                             * "limit"; the viewer's [ and ] keys change it  */
    aw_fn main;             /* the chapter's async main                      */
    bool debug;             /* always run in debug mode, as if --debug were
                             * given: the chapter is about what it warns of */
} lab_chapter;

/* Parses flags, runs the chapter, reports; returns the process exit status. */
int lab_main(const lab_chapter *chapter, int argc, char **argv);

/*
 * Opens a section: everything until lab_section_end() is measured and
 * reported under `name`.  `what` is one line saying what it shows.
 */
void lab_section(const char *name, const char *what);
void lab_section_end(void);

/*
 * Leaves tasks waiting on the resource `name` (a semaphore, lock, queue...,
 * by the name given at its init) out of the current section's peak, for as
 * long as they wait.  By default the peak counts every task that has
 * started and not finished; twenty jobs queued at a Semaphore(5) would then
 * make a peak of twenty, although five at most do the work.  The summary
 * and the --json report ("peak_excludes_waiting_on") say when it applies.
 */
void lab_peak_excludes_waiting_on(const char *name);

/* Chapter-specific results of the current section ("values" in --json). */
void lab_value_int(const char *key, long value);
void lab_value_double(const char *key, double value);
void lab_value_bool(const char *key, bool value);
void lab_value_str(const char *key, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

/* A line for people; printed in the summary, never in --json output. */
void lab_say(const char *format, ...) __attribute__((format(printf, 1, 2)));

/*
 * How many of the `count` tasks are in `state` (AW_TASK_PENDING: not
 * finished yet); a NULL entry, a task never spawned, counts in none.
 */
long lab_count_in_state(aw_task *const *tasks, long count, aw_task_state state);

/*
 * The run's random numbers, from --seed: the same seed gives the same
 * sequence here and in the chapter's Python twin (both use splitmix64).
 */
double lab_random(void); /* uniform in [0, 1) */

/* The --seed itself, for a chapter that hands it on (e.g. to a server). */
unsigned long long lab_seed(void);

#endif /* AWAITLAB_HARNESS_H */
