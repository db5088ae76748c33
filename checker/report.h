/*
 * report.h -- a check's result, for people (text) and for tools (JSON).
 *
 * `awaitlab check`, `watch` and the grade reports all show a result the
 * same way, so a student reads the same feedback at home and in a grade.
 */
#ifndef AWAITLAB_REPORT_H
#define AWAITLAB_REPORT_H

#include "checker.h"

#include <jansson.h>
#include <stdio.h>

/* The whole feedback: the verdict line, then each case with its message and
 * (for failures) its timeline, compiler output and sanitizer reports. */
void ex_report_text(FILE *out, const ex_exercise *exercise, const ex_result *result);

/* The same as one JSON object.  `with_timing` adds build_s and run_s (real
 * seconds: leave them out where output must be byte-for-byte repeatable). */
json_t *ex_report_json(const ex_exercise *exercise, const ex_result *result, bool with_timing);

#endif /* AWAITLAB_REPORT_H */
