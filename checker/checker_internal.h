/*
 * checker_internal.h -- what the parts of the checker share.
 */
#ifndef AWAITLAB_CHECKER_INTERNAL_H
#define AWAITLAB_CHECKER_INTERNAL_H

#include "checker.h"

#include <stdarg.h>

/* A malloc'd printf; NULL only when out of memory. */
char *ex__format(const char *format, ...) __attribute__((format(printf, 1, 2)));

/* Copies a file; 0 or -1 with errno set. */
int ex__copy_file(const char *from, const char *to);

/*
 * build.c: compiles `source` (already copied into `src_dir`, as `file`)
 * and links it with `objects` (NULL-ended) into `binary`.  On failure sets
 * result->status, summary and details and returns -1.  Compiler warnings
 * go to result->warnings.  `shown_as` is how the file is named in messages.
 */
int ex__build(const ex_options *o, const char *src_dir, const char *file, const char *shown_as,
              const char *const *objects, bool with_check_library, const char *binary,
              ex_result *result);

/* Compiler output cut to its first errors, with `file` renamed `shown_as`. */
char *ex__trim_diagnostics(const char *text, const char *file, const char *shown_as,
                           const char *kind);

/* judge.c: the timeline of a trace file, or NULL. */
char *ex__timeline(const char *trace_path, int width);

/* judge.c: makes scratch/src and scratch/run (src, run: their paths), and
 * hands them to the sandbox's user.  -1 with the result set on failure. */
int ex__make_dirs(const ex_options *o, char *src, char *run, size_t size, ex_result *r);

/* judge.c: adds a case to the result. */
ex_case *ex__add_case(ex_result *r, const char *title, bool passed, const char *message);

/* judge.c: the environment a run gets (clean: nothing from ours leaks in),
 * kept in `env`. */
typedef struct ex__env {
    char asan[300], dir[4200], trace[4300];
    char *vars[12];
} ex__env;
char **ex__run_env(const ex_options *o, const char *run_dir, bool for_prediction, ex__env *env);

/* predict.c: judges a prediction exercise. */
int ex__check_prediction(const ex_exercise *e, const char *student_file, const ex_options *o,
                         ex_result *r);

/* judge.c: turns a run's ending into a status and a message, when it did
 * not end normally.  Returns true if it did end normally. */
bool ex__judge_ending(const ex_outcome *outcome, const ex_limits *limits, ex_result *r);

#endif /* AWAITLAB_CHECKER_INTERNAL_H */
