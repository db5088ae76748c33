/*
 * weights.c -- points per exercise and per case.
 */
#include "weights.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static json_t *exercise_entry(const ex_weights *w, const char *name)
{
    return w->root ? json_object_get(json_object_get(w->root, "exercises"), name) : NULL;
}

/*
 * Points and case weights are at most this: scores are kept in hundredths
 * in a long and summed over a class, and an exponent such as 1e300 would
 * overflow them.  No grading scheme needs more.
 */
#define MAX_POINTS 1e6

static bool valid_points(json_t *p)
{
    return !p || (json_is_number(p) && json_number_value(p) >= 0 &&
                  json_number_value(p) <= MAX_POINTS);
}

/* "cases": absent, or an object of weights, each a valid number of points. */
static bool valid_cases(json_t *cases)
{
    if (!cases)
        return true;
    if (!json_is_object(cases))
        return false;
    const char *title;
    json_t *weight;
    json_object_foreach(cases, title, weight) {
        if (!valid_points(weight))
            return false;
    }
    return true;
}

int ex_weights_load(const char *path, const ex_catalogue *c, ex_weights *w, char *error,
                    size_t size)
{
    w->root = NULL;
    if (!path)
        return 0;
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    if (!root) {
        snprintf(error, size, "%s: line %d: %s", path, jerr.line, jerr.text);
        return -1;
    }
    json_t *points = json_object_get(root, "default_points");
    json_t *exercises = json_object_get(root, "exercises");
    if (!valid_points(points) || (exercises && !json_is_object(exercises))) {
        snprintf(error, size, "%s: default_points must be a number from 0 to 1000000 and "
                              "exercises an object of exercise names", path);
        json_decref(root);
        return -1;
    }
    const char *name;
    json_t *entry;
    json_object_foreach(exercises, name, entry) {
        if (!ex_catalogue_find(c, name) || !json_is_object(entry) ||
            !valid_points(json_object_get(entry, "points")) ||
            !valid_cases(json_object_get(entry, "cases"))) {
            const char *guess = ex_catalogue_suggest(c, name);
            snprintf(error, size, "%s: \"%s\" %s%s%s", path, name,
                     ex_catalogue_find(c, name)
                         ? "needs {\"points\": N, \"cases\": {\"title\": N}}, N from 0 to "
                           "1000000"
                         : "is not an exercise",
                     guess ? " -- did you mean " : "", guess ? guess : "");
            json_decref(root);
            return -1;
        }
    }
    w->root = root;
    return 0;
}

void ex_weights_free(ex_weights *w)
{
    json_decref(w->root);
    w->root = NULL;
}

bool ex_weights_graded(const ex_weights *w, const char *name)
{
    return !w->root || !json_object_get(w->root, "exercises") || exercise_entry(w, name);
}

static long centi(double points)
{
    return lround(points * 100.0);
}

long ex_weights_max_centi(const ex_weights *w, const char *name)
{
    json_t *p = json_object_get(exercise_entry(w, name), "points");
    if (p)
        return centi(json_number_value(p));
    json_t *d = w->root ? json_object_get(w->root, "default_points") : NULL;
    return centi(d ? json_number_value(d) : 1.0);
}

static double case_weight(const ex_weights *w, const char *exercise, const char *title)
{
    json_t *cases = json_object_get(exercise_entry(w, exercise), "cases");
    json_t *v = json_object_get(cases, title);
    return v && json_is_number(v) ? json_number_value(v) : 1.0;
}

static bool trustworthy(const ex_result *r)
{
    return r->status == EX_PASSED || r->status == EX_FAILED;
}

long ex_weights_case_centi(const ex_weights *w, const ex_exercise *e, const ex_result *r,
                           size_t index)
{
    double total = 0;
    for (size_t i = 0; i < r->n_cases; i++)
        total += case_weight(w, e->name, r->cases[i].title);
    if (total <= 0 || index >= r->n_cases)
        return 0;
    return lround((double)ex_weights_max_centi(w, e->name) *
                  case_weight(w, e->name, r->cases[index].title) / total);
}

long ex_weights_score_centi(const ex_weights *w, const ex_exercise *e, const ex_result *r)
{
    if (!trustworthy(r) || r->n_cases == 0)
        return 0;
    if (r->status == EX_PASSED)
        return ex_weights_max_centi(w, e->name); /* no rounding loss on a full score */
    double total = 0, passed = 0;
    for (size_t i = 0; i < r->n_cases; i++) {
        double weight = case_weight(w, e->name, r->cases[i].title);
        total += weight;
        if (r->cases[i].passed)
            passed += weight;
    }
    return total > 0 ? lround((double)ex_weights_max_centi(w, e->name) * passed / total) : 0;
}
