/*
 * check.c -- `awaitlab check [NAME]`: build an exercise, run its check, and
 * say what the run did.
 */
#include "commands.h"
#include "exercise_context.h"
#include "number.h"
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(void)
{
    printf("usage: awaitlab check [NAME] [--json] [--all] [--timelines] [--width N]\n\n"
           "Builds exercise NAME (default: the next one to do) with -Wall -Wextra,\n"
           "AddressSanitizer and UBSan, runs its check on the virtual clock, and\n"
           "shows what your code did: each case's verdict, and for a failing case\n"
           "the timeline of your run.  Exit status 0 only if it passes.\n"
           "  --json        one JSON object (with --all: a list of them)\n"
           "  --all         check every exercise, in order\n"
           "  --timelines   draw the timeline of passing cases too\n"
           "  --width N     columns of the timelines (default 60)\n");
}

typedef struct check_flags {
    const char *name;
    bool json, all, timelines;
    int width;
} check_flags;

static int parse(int argc, char **argv, check_flags *f)
{
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage();
            return -1;
        } else if (!strcmp(a, "--json")) {
            f->json = true;
        } else if (!strcmp(a, "--all")) {
            f->all = true;
        } else if (!strcmp(a, "--timelines")) {
            f->timelines = true;
        } else if (!strcmp(a, "--width")) {
            long w;
            if (!number_parse_whole(i + 1 < argc ? argv[++i] : NULL, 20, 200, &w)) {
                fprintf(stderr, "awaitlab: check: --width takes a whole number from 20 to 200\n");
                return EXIT_USAGE;
            }
            f->width = (int)w;
        } else if (a[0] == '-') {
            fprintf(stderr, "awaitlab: check: unknown flag '%s' (try --help)\n", a);
            return EXIT_USAGE;
        } else if (f->name) {
            fprintf(stderr, "awaitlab: check: one exercise at a time ('%s' and '%s')\n",
                    f->name, a);
            return EXIT_USAGE;
        } else {
            f->name = a;
        }
    }
    if (f->all && f->name) {
        fprintf(stderr, "awaitlab: check: --all checks every exercise; leave out the name\n");
        return EXIT_USAGE;
    }
    return 0;
}

/* Checks one exercise, records the outcome, shows it; true if it passed. */
static bool check_one(ex_context *ctx, const ex_exercise *e, const check_flags *f, json_t *list)
{
    char file[4400];
    ex_context_student_file(ctx, e, file, sizeof file);
    ex_options o = {.all_timelines = f->timelines, .timeline_width = f->width};
    ex_result r;
    if (!f->json && !f->all) {
        fprintf(stderr, "checking %s ...\n", e->name);
    }
    ex_context_check(ctx, e, file, &o, &r);
    bool passed = r.status == EX_PASSED;
    if (r.status != EX_INTERNAL)
        ex_context_record(ctx, e, passed);
    if (f->json) {
        json_t *j = ex_report_json(e, &r, true);
        if (list)
            json_array_append_new(list, j);
        else {
            json_dumpf(j, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(9));
            putchar('\n');
            json_decref(j);
        }
    } else if (f->all) {
        printf("%s %-26s %s\n", passed ? "PASS" : "FAIL", e->name, r.summary ? r.summary : "");
    } else {
        ex_report_text(stdout, e, &r);
        const ex_exercise *next = ex_context_next(ctx);
        if (passed)
            printf("\nWell done.  %s%s%s\n", next ? "Next: awaitlab check " : "",
                   next ? next->name : "Every exercise passes.", "");
        else if (e->n_hints > 0)
            printf("\nStuck?  awaitlab hint %s\n", e->name);
    }
    ex_result_free(&r);
    return passed;
}

int cmd_check(int argc, char **argv)
{
    check_flags f = {0};
    int status = parse(argc, argv, &f);
    if (status != 0)
        return status < 0 ? 0 : status;
    ex_context ctx;
    if ((status = ex_context_open(&ctx)) != 0)
        return status;
    if (f.all) {
        json_t *list = f.json ? json_array() : NULL;
        size_t passed = 0;
        for (size_t i = 0; i < ctx.catalogue.count; i++)
            passed += check_one(&ctx, &ctx.catalogue.items[i], &f, list);
        if (list) {
            json_dumpf(list, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(9));
            putchar('\n');
            json_decref(list);
        } else {
            printf("\n%zu of %zu exercises pass\n", passed, ctx.catalogue.count);
        }
        status = passed == ctx.catalogue.count ? 0 : EXIT_FAILED;
    } else {
        const ex_exercise *e = f.name ? ex_context_find(&ctx, f.name) : ex_context_next(&ctx);
        if (!e && f.name)
            status = EXIT_USAGE;
        else if (!e) {
            printf("Every exercise passes.  `awaitlab check NAME` checks one again.\n");
            status = 0;
        } else
            status = check_one(&ctx, e, &f, NULL) ? 0 : EXIT_FAILED;
    }
    ex_context_close(&ctx);
    return status;
}
