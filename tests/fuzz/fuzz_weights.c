/*
 * fuzz_weights.c -- an instructor's weights file for `awaitlab grade
 * --weights`, checked against the real catalogue, then scored as the grade
 * reports score: a score never below zero nor above the exercise's points.
 */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>

#include "weights.h"

static ex_catalogue catalogue;

static void free_catalogue(void)
{
    ex_catalogue_free(&catalogue);
}

/* The repository's own catalogue (every test runs from the repository root). */
static const ex_catalogue *real_catalogue(void)
{
    if (catalogue.count == 0) {
        char error[4600];
        if (ex_catalogue_load(".", &catalogue, error, sizeof error) != 0) {
            fprintf(stderr, "fuzz_weights: %s\n", error);
            abort();
        }
        atexit(free_catalogue);
    }
    return &catalogue;
}

/* A result of three cases, the first two passed, named as a check would name them. */
static void score_everything(const ex_weights *w, const ex_catalogue *c)
{
    ex_case cases[3] = {{.title = "all replicas up", .passed = true},
                        {.title = "one replica down", .passed = true},
                        {.title = "all down"}};
    ex_result partial = {.status = EX_FAILED, .cases = cases, .n_cases = 3};
    ex_result full = {.status = EX_PASSED, .cases = cases, .n_cases = 3};
    for (size_t i = 0; i < c->count; i++) {
        const ex_exercise *e = &c->items[i];
        if (!ex_weights_graded(w, e->name))
            continue;
        long max = ex_weights_max_centi(w, e->name);
        long got = ex_weights_score_centi(w, e, &partial);
        long all = ex_weights_score_centi(w, e, &full);
        long share = ex_weights_case_centi(w, e, &partial, 2);
        if (max < 0 || got < 0 || got > max || all != max || share < 0 || share > max)
            __builtin_trap();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const ex_catalogue *c = real_catalogue();
    char path[256];
    snprintf(path, sizeof path, "%s/weights.json", fuzz_scratch_dir());
    fuzz_write_file(path, data, size);
    ex_weights weights;
    char error[4600];
    if (ex_weights_load(path, c, &weights, error, sizeof error) != 0)
        return 0;
    score_everything(&weights, c);
    ex_weights_free(&weights);
    return 0;
}
