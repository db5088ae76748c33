/*
 * exercise_context.h -- what every exercise command starts from: the home,
 * its catalogue, the workspace the command runs in, and its progress.
 */
#ifndef AWAITLAB_EXERCISE_CONTEXT_H
#define AWAITLAB_EXERCISE_CONTEXT_H

#include "catalogue.h"
#include "checker.h"
#include "workspace.h"

typedef struct ex_context {
    const char *home;
    ex_catalogue catalogue;
    ex_workspace workspace;
    json_t *state;
} ex_context;

/*
 * Opens the context for the current directory.  On failure prints what is
 * wrong and returns the exit status (EXIT_USAGE: not a workspace, a
 * damaged progress file; EXIT_FAILED: no home).  0 on success.
 */
int ex_context_open(ex_context *ctx);
void ex_context_close(ex_context *ctx);

/* The exercise named `name`; prints "unknown exercise ... did you mean" and
 * returns NULL when there is none. */
const ex_exercise *ex_context_find(const ex_context *ctx, const char *name);

/* The first exercise, in workbook order, not yet done; NULL if all are. */
const ex_exercise *ex_context_next(const ex_context *ctx);

/* The student's file of an exercise in this workspace. */
void ex_context_student_file(const ex_context *ctx, const ex_exercise *e, char *buf, size_t size);

/* Checks an exercise in a scratch directory of its own, removed after. */
int ex_context_check(const ex_context *ctx, const ex_exercise *e, const char *student_file,
                     const ex_options *extra, ex_result *result);

/* Runs ex_check() in a fresh scratch directory (under $TMPDIR or /tmp). */
int ex_check_in_scratch(const ex_exercise *e, const char *student_file, ex_options *options,
                        ex_result *result);

/* Records an exercise as done or not; prints a warning if it cannot. */
void ex_context_record(ex_context *ctx, const ex_exercise *e, bool done);

#endif /* AWAITLAB_EXERCISE_CONTEXT_H */
