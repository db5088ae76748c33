/*
 * weights.h -- how many points an exercise, and each of its cases, is worth.
 *
 * A weights file is JSON:
 *
 *     {
 *       "default_points": 1,
 *       "exercises": {
 *         "gather_fetches": {"points": 2},
 *         "hedged_request": {"points": 3, "cases": {"all replicas up": 2}}
 *       }
 *     }
 *
 * When "exercises" is given, only the exercises it names are graded; without
 * it every exercise is, each worth default_points (1 if not given).  An
 * exercise's points are shared among its cases in proportion to their
 * weights (1 unless "cases" says otherwise), so a student who passes two
 * cases of three gets two thirds -- partial credit per check.  A run that
 * crashes, reports a sanitizer error or hits a limit scores 0: once memory
 * is corrupted no verdict of that run can be trusted.
 */
#ifndef AWAITLAB_WEIGHTS_H
#define AWAITLAB_WEIGHTS_H

#include "catalogue.h"
#include "checker.h"

#include <jansson.h>

typedef struct ex_weights {
    json_t *root;   /* NULL: every exercise, one point each */
} ex_weights;

/* Reads and validates a weights file (every name must be an exercise).
 * path NULL: the defaults.  -1 with a message on error. */
int ex_weights_load(const char *path, const ex_catalogue *catalogue, ex_weights *weights,
                    char *error, size_t size);
void ex_weights_free(ex_weights *weights);

bool ex_weights_graded(const ex_weights *weights, const char *exercise);

/* Points in hundredths, so that sums are exact and reports repeatable. */
long ex_weights_max_centi(const ex_weights *weights, const char *exercise);
long ex_weights_score_centi(const ex_weights *weights, const ex_exercise *exercise,
                            const ex_result *result);
/* What one case is worth, in hundredths (its share of the exercise). */
long ex_weights_case_centi(const ex_weights *weights, const ex_exercise *exercise,
                           const ex_result *result, size_t case_index);

#endif /* AWAITLAB_WEIGHTS_H */
