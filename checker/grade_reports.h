/*
 * grade_reports.h -- a graded class, written out in the formats graders read.
 *
 * Every report is made from the per-student results (one JSON object per
 * student, as `awaitlab grade` saves them in OUT_DIR/students/), sorted by
 * student, with no clock readings in them: the same class gives the same
 * bytes, whatever -j was and however often it was interrupted and resumed.
 *
 *   gradebook.csv        student, points per exercise, total
 *   results.json         every student's results
 *   junit.xml            a testsuite per student, a testcase per check
 *   results.tap          TAP version 14, a subtest per student
 *   gradescope/ID.json   Gradescope's results.json for one student
 *   feedback/ID.txt      written while grading (ex_report_text per exercise)
 */
#ifndef AWAITLAB_GRADE_REPORTS_H
#define AWAITLAB_GRADE_REPORTS_H

#include <jansson.h>
#include <stdio.h>

/* Writes `text` to `path` through a temporary file and a rename. */
int ex_write_atomic(const char *path, const char *text, size_t length);

/* The reports of `students` (a JSON array of student objects) into out_dir.
 * Returns 0, or -1 with errno set. */
int ex_grade_reports_write(const char *out_dir, json_t *students);

/* One student's Gradescope results.json. */
json_t *ex_gradescope_results(json_t *student);

#endif /* AWAITLAB_GRADE_REPORTS_H */
