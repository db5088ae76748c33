/*
 * dev.c -- `awaitlab dev check`: the workbook's own consistency check.
 *
 * For the project, not for students.  Every exercise must be whole (its
 * file, its solution, its check, two to four hints, a lesson link that
 * points at a real heading, a mention in its lesson's Exercises section),
 * exercises/ and solutions/ must hold the same names and nothing else, every
 * solution must pass its check, and every exercise as shipped must fail it
 * -- by failing a case, not by crashing or not compiling, which would mean
 * the exercise teaches something other than what it is about.
 */
#include "commands.h"
#include "exercise_context.h"
#include "number.h"
#include "pool.h"
#include "text_file.h"
#include "report.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void usage(void)
{
    printf("usage: awaitlab dev check [-j N] [--verbose]\n\n"
           "Checks the workbook itself: every exercise has its files, hints and lesson\n"
           "link; exercises/ and solutions/ hold the same names; every solution passes\n"
           "its check and every exercise as shipped fails it.\n"
           "  -j N        checks run at once (default: the number of cores)\n"
           "  --verbose   show the full report of every check\n");
}

typedef struct dev_job {
    const ex_exercise *exercise;
    bool solution;            /* checking the solution, else the exercise */
    ex_result result;
} dev_job;

typedef struct dev_run {
    const char *home;
    dev_job *jobs;
    size_t count, finished;
    int problems;
} dev_run;

static int problem(dev_run *run, const ex_exercise *e, const char *format, const char *arg)
{
    printf("  problem  %-26s ", e ? e->name : "");
    printf(format, arg);
    putchar('\n');
    run->problems++;
    return 1;
}

/* The GitHub anchor of a Markdown heading: lowercase, punctuation gone. */
static void anchor_of(const char *heading, char *out, size_t size)
{
    size_t k = 0;
    for (const unsigned char *p = (const unsigned char *)heading; *p && k + 1 < size; p++) {
        if (isalnum(*p) || *p == '-' || *p == '_')
            out[k++] = (char)tolower(*p);
        else if (*p == ' ')
            out[k++] = '-';
        else if (*p >= 0x80)
            out[k++] = (char)*p; /* letters beyond ASCII are kept as they are */
    }
    out[k] = '\0';
}

static bool lesson_has_anchor(const char *lesson, const char *anchor)
{
    for (const char *line = lesson; *line;) {
        size_t n = strcspn(line, "\n");
        if (line[0] == '#') {
            const char *text = line;
            while (*text == '#')
                text++;
            while (*text == ' ')
                text++;
            char heading[300], slug[300];
            snprintf(heading, sizeof heading, "%.*s", (int)(n - (size_t)(text - line)), text);
            anchor_of(heading, slug, sizeof slug);
            if (strcmp(slug, anchor) == 0)
                return true;
        }
        line += n + (line[n] ? 1 : 0);
    }
    return false;
}

/* The "Lesson: chapters/NN_slug.md#anchor" line of the exercise's file. */
static void check_lesson_link(dev_run *run, const ex_exercise *e, const char *text)
{
    const char *at = strstr(text, "Lesson:");
    if (!at) {
        problem(run, e, "%s", "its file has no \"Lesson: chapters/...md#section\" line");
        return;
    }
    char link[300];
    if (sscanf(at, "Lesson: %299s", link) != 1 || !strchr(link, '#')) {
        problem(run, e, "%s", "its Lesson: line needs a file and a #section");
        return;
    }
    char *hash = strchr(link, '#');
    *hash = '\0';
    char path[4500], expected[100];
    snprintf(expected, sizeof expected, "chapters/%s.md", e->dir);
    if (strcmp(link, expected) != 0)
        problem(run, e, "its Lesson: line should point into %s", expected);
    snprintf(path, sizeof path, "%s/%s", run->home, expected);
    char *lesson = text_file_read(path);
    if (!lesson) {
        problem(run, e, "cannot read its lesson %s", path);
        return;
    }
    if (!lesson_has_anchor(lesson, hash + 1))
        problem(run, e, "its lesson has no heading for #%s", hash + 1);
    const char *exercises = strstr(lesson, "\n## Exercises");
    if (!exercises || !strstr(exercises, e->name))
        problem(run, e, "%s", "its lesson's \"## Exercises\" section does not list it");
    free(lesson);
}

static void check_files(dev_run *run, const ex_exercise *e)
{
    char relative[300], path[4500];
    ex_student_path(e, relative, sizeof relative);
    snprintf(path, sizeof path, "%s/%s", run->home, relative);
    if (access(path, R_OK) != 0)
        problem(run, e, "%s is missing", relative);
    ex_solution_path(e, relative, sizeof relative);
    snprintf(path, sizeof path, "%s/%s", run->home, relative);
    if (access(path, R_OK) != 0)
        problem(run, e, "%s is missing", relative);
    if (e->kind == EX_PREDICT)
        ex_program_path(e, relative, sizeof relative);
    else
        ex_check_source_path(e, relative, sizeof relative);
    snprintf(path, sizeof path, "%s/%s", run->home, relative);
    if (access(path, R_OK) != 0)
        problem(run, e, "%s is missing", relative);
    if (e->n_hints < 2)
        problem(run, e, "%s", "needs two to four hints");
    ex_program_path(e, relative, sizeof relative);
    snprintf(path, sizeof path, "%s/%s", run->home, relative);
    char *text = text_file_read(path);
    if (!text)
        return;
    check_lesson_link(run, e, text);
    if (e->kind == EX_COMPLETE && !strstr(text, "TODO"))
        problem(run, e, "%s", "a complete-the-code exercise needs TODO markers");
    free(text);
}

/* Every file under exercises/ and solutions/ belongs to an exercise. */
static void check_names(dev_run *run, const ex_catalogue *c, const char *top)
{
    char path[4500];
    snprintf(path, sizeof path, "%s/%s", run->home, top);
    DIR *d = opendir(path);
    if (!d) {
        problem(run, NULL, "cannot read %s", path);
        return;
    }
    struct dirent *chapter;
    while ((chapter = readdir(d))) {
        if (chapter->d_name[0] == '.')
            continue;
        char sub[4800];
        snprintf(sub, sizeof sub, "%s/%s", path, chapter->d_name);
        DIR *files = opendir(sub);
        if (!files) {
            problem(run, NULL, "%s is not a chapter directory", sub);
            continue;
        }
        struct dirent *f;
        while ((f = readdir(files))) {
            if (f->d_name[0] == '.')
                continue;
            const ex_exercise *e = ex_catalogue_find(c, f->d_name);
            bool belongs = e && strcmp(e->dir, chapter->d_name) == 0;
            if (belongs && strcmp(top, "solutions") == 0) {
                char expected[300];
                ex_solution_path(e, expected, sizeof expected);
                belongs = strcmp(strrchr(expected, '/') + 1, f->d_name) == 0;
            }
            if (!belongs) {
                char what[600];
                snprintf(what, sizeof what, "%s/%s/%s", top, chapter->d_name, f->d_name);
                problem(run, NULL, "%s belongs to no exercise in the catalogue", what);
            }
        }
        closedir(files);
    }
    closedir(d);
}

static void work(void *context, size_t i, unsigned slot)
{
    (void)slot;
    dev_run *run = context;
    dev_job *job = &run->jobs[i];
    char relative[300], path[4500];
    if (job->solution)
        ex_solution_path(job->exercise, relative, sizeof relative);
    else
        ex_student_path(job->exercise, relative, sizeof relative);
    snprintf(path, sizeof path, "%s/%s", run->home, relative);
    ex_options o = {.home = run->home, .lib_dir = ex_lib_dir()};
    ex_check_in_scratch(job->exercise, path, &o, &job->result);
}

static void progress(void *context, size_t i)
{
    dev_run *run = context;
    (void)i;
    run->finished++;
    if (isatty(STDERR_FILENO))
        fprintf(stderr, "\r  %zu of %zu checks run", run->finished, run->count);
}

/* Judges one exercise's two runs; returns whether both were as they must. */
static bool judge(dev_run *run, const dev_job *exercise, const dev_job *solution, bool verbose)
{
    const ex_exercise *e = exercise->exercise;
    bool solution_ok = solution->result.status == EX_PASSED;
    bool exercise_ok = exercise->result.status == EX_FAILED;
    printf("  %-8s %-26s %-8s solution: %s; as shipped: %s\n",
           solution_ok && exercise_ok ? "ok" : "problem", e->name, ex_kind_name(e->kind),
           solution->result.summary, exercise->result.summary);
    if (!solution_ok || verbose)
        ex_report_text(stdout, e, &solution->result);
    if (!exercise_ok || verbose)
        ex_report_text(stdout, e, &exercise->result);
    if (!solution_ok || !exercise_ok)
        run->problems++;
    return solution_ok && exercise_ok;
}

static int dev_check(int argc, char **argv)
{
    unsigned threads = 0;
    bool verbose = false;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage();
            return 0;
        } else if (!strcmp(argv[i], "--verbose")) {
            verbose = true;
        } else if (!strcmp(argv[i], "-j") && i + 1 < argc) {
            long n;
            if (!number_parse_whole(argv[++i], 1, 256, &n)) {
                fprintf(stderr, "awaitlab: dev check: -j takes a whole number from 1 to 256\n");
                return EXIT_USAGE;
            }
            threads = (unsigned)n;
        } else {
            fprintf(stderr, "awaitlab: dev check: unexpected '%s' (try --help)\n", argv[i]);
            return EXIT_USAGE;
        }
    }
    const char *home = ex_home();
    char error[4600];
    ex_catalogue c;
    if (!home || ex_catalogue_load(home, &c, error, sizeof error) != 0) {
        fprintf(stderr, "awaitlab: dev check: %s\n", home ? error : "no awaitlab home found");
        return EXIT_FAILED;
    }
    dev_run run = {.home = home, .count = 2 * c.count};
    run.jobs = calloc(run.count, sizeof *run.jobs);
    printf("the workbook: %zu exercises\n", c.count);
    for (size_t i = 0; i < c.count; i++) {
        check_files(&run, &c.items[i]);
        run.jobs[2 * i] = (dev_job){.exercise = &c.items[i], .solution = false};
        run.jobs[2 * i + 1] = (dev_job){.exercise = &c.items[i], .solution = true};
    }
    check_names(&run, &c, "exercises");
    check_names(&run, &c, "solutions");
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    ex_pool_run(run.count, threads, work, progress, &run, NULL);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (isatty(STDERR_FILENO))
        fputc('\n', stderr);
    size_t good = 0;
    for (size_t i = 0; i < c.count; i++)
        good += judge(&run, &run.jobs[2 * i], &run.jobs[2 * i + 1], verbose);
    double seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("%zu of %zu exercises as they must be; %d problem%s; %zu checks in %.1f s\n", good,
           c.count, run.problems, run.problems == 1 ? "" : "s", run.count, seconds);
    for (size_t i = 0; i < run.count; i++)
        ex_result_free(&run.jobs[i].result);
    free(run.jobs);
    ex_catalogue_free(&c);
    return run.problems == 0 ? 0 : EXIT_FAILED;
}

int cmd_dev(int argc, char **argv)
{
    if (argc >= 1 && strcmp(argv[0], "check") == 0)
        return dev_check(argc - 1, argv + 1);
    if (argc >= 1 && (!strcmp(argv[0], "--help") || !strcmp(argv[0], "-h"))) {
        usage();
        return 0;
    }
    fprintf(stderr, "awaitlab: dev: the one command is `awaitlab dev check`\n");
    return EXIT_USAGE;
}
