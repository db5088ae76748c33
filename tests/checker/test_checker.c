/*
 * test_checker.c -- the exercise checker against hostile and broken files.
 *
 * Each fixture in tests/checker/fixtures/ is a student's version of the
 * exercise gather_fetches that goes wrong in one particular way: a crash,
 * a sanitizer report, an endless loop, a deadlock, a flood of output, an
 * exit() in the middle, a compile or link error.  Each must cost exactly
 * that one check, with the status and a message that names what happened,
 * and never hang or crash the checker.  The cheats in tests/checker/cheats/
 * return what the exercise's defaults would give; the hidden parameters of
 * the checks must catch them.
 */
#include "catalogue.h"
#include "checker.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../chapters/command.h"

static const char *build_dir = "build";
static ex_catalogue catalogue;

static const ex_exercise *exercise(const char *name)
{
    const ex_exercise *e = ex_catalogue_find(&catalogue, name);
    assert_non_null(e);
    return e;
}

/* Checks `file` as exercise `name` with tight limits, in a fresh scratch dir. */
static void check_file(const char *name, const char *file, ex_result *r)
{
    char scratch[] = "/tmp/awaitlab-test-checker-XXXXXX", lib[4200], home[4200];
    assert_non_null(mkdtemp(scratch));
    snprintf(lib, sizeof lib, "%s/exercise", build_dir);
    assert_non_null(getcwd(home, sizeof home));
    ex_options o = {.home = home, .lib_dir = lib, .scratch = scratch};
    o.run_limits = ex_limits_for_run();
    o.run_limits.cpu_s = 1;
    o.run_limits.wall_s = 4;
    o.run_limits.output_bytes = 64 * 1024;
    o.run_limits.file_bytes = 4 << 20;
    assert_int_equal(ex_check(exercise(name), file, &o, r), 0);
    char *rm = format_string("rm -rf '%s'", scratch);
    assert_int_equal(system(rm), 0);
    free(rm);
}

static void fixture(const char *fixture_name, ex_result *r)
{
    char file[300];
    snprintf(file, sizeof file, "tests/checker/fixtures/%s.c", fixture_name);
    check_file("gather_fetches", file, r);
}

/* The message of the first failing case, or "". */
static const char *first_message(const ex_result *r)
{
    for (size_t i = 0; i < r->n_cases; i++)
        if (!r->cases[i].passed && r->cases[i].message)
            return r->cases[i].message;
    return "";
}

static void expect(const ex_result *r, ex_status status, const char *in_summary)
{
    if (r->status != status || !r->summary || !strstr(r->summary, in_summary))
        fail_msg("status %s (wanted %s), summary: %s", ex_status_name(r->status),
                 ex_status_name(status), r->summary ? r->summary : "(none)");
}

/* ----------------------------------------------------------------------- */

static void solution_passes(void **state)
{
    (void)state;
    ex_result r;
    check_file("gather_fetches", "solutions/01_sequential_vs_gather/gather_fetches.c", &r);
    expect(&r, EX_PASSED, "all 3 cases passed");
    ex_result_free(&r);
}

/* The feedback says what the run did, in numbers, and shows its timeline. */
static void sequential_code_is_told_what_it_did(void **state)
{
    (void)state;
    ex_result r;
    fixture("sequential", &r);
    expect(&r, EX_FAILED, "2 of 3 cases failed"); /* one fetch is the same either way */
    const char *m = first_message(&r);
    assert_non_null(strstr(m, "should take as long as the slowest, 0.3 s; yours took 2.1 s"));
    assert_non_null(strstr(m, "are you awaiting each fetch before spawning the next?"));
    assert_non_null(r.cases[0].timeline);
    assert_non_null(strstr(r.cases[0].timeline, "fetch-6"));
    ex_result_free(&r);
}

static void null_pointer_is_a_sanitizer_report(void **state)
{
    (void)state;
    ex_result r;
    fixture("crash_null", &r);
    expect(&r, EX_SANITIZER, "null pointer");
    assert_non_null(strstr(r.details, "gather_fetches.c:8"));
    ex_result_free(&r);
}

static void heap_overflow_names_the_line(void **state)
{
    (void)state;
    ex_result r;
    fixture("heap_overflow", &r);
    expect(&r, EX_SANITIZER,
           "heap-buffer-overflow exercises/01_sequential_vs_gather/gather_fetches.c:10");
    ex_result_free(&r);
}

static void undefined_behaviour_is_reported(void **state)
{
    (void)state;
    ex_result r;
    fixture("signed_overflow", &r);
    expect(&r, EX_SANITIZER, "signed integer overflow");
    ex_result_free(&r);
}

static void a_leak_is_reported(void **state)
{
    (void)state;
    ex_result r;
    fixture("leak", &r);
    expect(&r, EX_SANITIZER, "leaked");
    ex_result_free(&r);
}

static void endless_loop_hits_the_cpu_limit(void **state)
{
    (void)state;
    ex_result r;
    fixture("spin", &r);
    expect(&r, EX_CPU_LIMIT, "endless loop");
    ex_result_free(&r);
}

static void real_blocking_hits_the_wall_clock_limit(void **state)
{
    (void)state;
    ex_result r;
    fixture("real_block", &r);
    expect(&r, EX_TIME_LIMIT, "still running after 4 s of real time");
    ex_result_free(&r);
}

static void endless_yielding_is_named(void **state)
{
    (void)state;
    ex_result r;
    fixture("yield_forever", &r);
    expect(&r, EX_OUTPUT_LIMIT, "aw_yield() in a loop");
    ex_result_free(&r);
}

static void endless_waiting_fails_the_case(void **state)
{
    (void)state;
    ex_result r;
    fixture("sleep_forever", &r);
    expect(&r, EX_FAILED, "3 of 3 cases failed");
    assert_non_null(strstr(first_message(&r), "still running after 22.0 s of virtual time"));
    ex_result_free(&r);
}

static void deadlock_names_who_waits_on_what(void **state)
{
    (void)state;
    ex_result r;
    fixture("deadlock", &r);
    expect(&r, EX_FAILED, "cases failed");
    assert_non_null(strstr(first_message(&r), "deadlock at t=0.0 s"));
    assert_non_null(strstr(first_message(&r), "'main' waits on event 'ready'"));
    ex_result_free(&r);
}

static void output_flood_is_stopped(void **state)
{
    (void)state;
    ex_result r;
    fixture("flood", &r);
    expect(&r, EX_OUTPUT_LIMIT, "printed more than 64 KiB");
    assert_non_null(r.output);
    assert_true(strlen(r.output) < 4096);
    ex_result_free(&r);
}

static void exit_in_the_middle_is_a_crash(void **state)
{
    (void)state;
    ex_result r;
    fixture("early_exit", &r);
    expect(&r, EX_CRASHED, "before the check had run every case");
    ex_result_free(&r);
}

static void compile_error_is_shown_trimmed(void **state)
{
    (void)state;
    ex_result r;
    fixture("syntax_error", &r);
    expect(&r, EX_COMPILE_ERROR, "does not compile");
    assert_non_null(
        strstr(r.details, "exercises/01_sequential_vs_gather/gather_fetches.c:7:23: error:"));
    ex_result_free(&r);
}

static void link_error_says_what_is_missing(void **state)
{
    (void)state;
    ex_result r;
    fixture("renamed", &r);
    expect(&r, EX_COMPILE_ERROR, "does not link");
    assert_non_null(strstr(r.details, "undefined reference to `fetch_all'"));
    ex_result_free(&r);
}

static void missing_file_says_how_to_restore_it(void **state)
{
    (void)state;
    ex_result r;
    check_file("gather_fetches", "tests/checker/fixtures/no-such-file.c", &r);
    expect(&r, EX_MISSING, "awaitlab reset gather_fetches");
    ex_result_free(&r);
}

/* Every cheat in tests/checker/cheats/NAME.c fails the check of NAME. */
static void cheats_fail(void **state)
{
    (void)state;
    DIR *d = opendir("tests/checker/cheats");
    assert_non_null(d);
    struct dirent *entry;
    int cheats = 0;
    while ((entry = readdir(d))) {
        size_t n = strlen(entry->d_name);
        if (n < 3 || strcmp(entry->d_name + n - 2, ".c") != 0)
            continue;
        char name[64], file[300];
        snprintf(name, sizeof name, "%.*s", (int)(n - 2), entry->d_name);
        snprintf(file, sizeof file, "tests/checker/cheats/%s", entry->d_name);
        ex_result r;
        check_file(name, file, &r);
        if (r.status != EX_FAILED)
            fail_msg("the cheat %s got %s: %s", file, ex_status_name(r.status), r.summary);
        ex_result_free(&r);
        cheats++;
    }
    closedir(d);
    assert_true(cheats >= 3);
}

/* ----------------------------------------------------------------------- */
/* Predictions                                                               */
/* ----------------------------------------------------------------------- */

static const ex_exercise *first_prediction(void)
{
    for (size_t i = 0; i < catalogue.count; i++)
        if (catalogue.items[i].kind == EX_PREDICT)
            return &catalogue.items[i];
    fail_msg("no prediction exercise in the catalogue");
    return NULL;
}

/* Writes `text` to a temporary file and checks it as the prediction. */
static void predict(const char *text, ex_result *r)
{
    char file[] = "/tmp/awaitlab-test-prediction-XXXXXX";
    int fd = mkstemp(file);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    check_file(first_prediction()->name, file, r);
    unlink(file);
}

static char *solution_text(void)
{
    char path[300];
    ex_solution_path(first_prediction(), path, sizeof path);
    int status;
    char *command = format_string("cat '%s'", path);
    char *text = command_output(command, &status);
    free(command);
    return text;
}

static void empty_prediction_says_how_many_lines(void **state)
{
    (void)state;
    ex_result r;
    predict("# only a comment\n\n", &r);
    expect(&r, EX_FAILED, "does not match");
    assert_non_null(strstr(first_message(&r), "holds no prediction yet"));
    ex_result_free(&r);
}

static void right_prediction_passes_whatever_the_spacing(void **state)
{
    (void)state;
    char *text = solution_text();
    /* doubled spaces and trailing blanks do not matter */
    char *spaced = calloc(2 * strlen(text) + 8, 1), *w = spaced;
    for (const char *p = text; *p; p++) {
        *w++ = *p;
        if (*p == ' ')
            *w++ = ' ';
    }
    strcpy(w, "\n   \n");
    ex_result r;
    predict(spaced, &r);
    expect(&r, EX_PASSED, "predicted right");
    ex_result_free(&r);
    free(spaced);
    free(text);
}

static void wrong_line_is_named(void **state)
{
    (void)state;
    char *text = solution_text();
    /* change the first digit of the first prediction line */
    char *p = text;
    while (*p == '#' || *p == '\n')
        p = *p == '#' ? strchr(p, '\n') + 1 : p + 1;
    char *digit = strpbrk(p, "0123456789");
    assert_non_null(digit);
    *digit = *digit == '9' ? '8' : (char)(*digit + 1);
    ex_result r;
    predict(text, &r);
    expect(&r, EX_FAILED, "does not match");
    assert_non_null(strstr(first_message(&r), "First difference, line 1: you predicted"));
    assert_non_null(r.cases[0].timeline);
    ex_result_free(&r);
    free(text);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        build_dir = argv[1];
    char error[4600];
    if (ex_catalogue_load(".", &catalogue, error, sizeof error) != 0) {
        fprintf(stderr, "%s\n", error);
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(solution_passes),
        cmocka_unit_test(sequential_code_is_told_what_it_did),
        cmocka_unit_test(null_pointer_is_a_sanitizer_report),
        cmocka_unit_test(heap_overflow_names_the_line),
        cmocka_unit_test(undefined_behaviour_is_reported),
        cmocka_unit_test(a_leak_is_reported),
        cmocka_unit_test(endless_loop_hits_the_cpu_limit),
        cmocka_unit_test(real_blocking_hits_the_wall_clock_limit),
        cmocka_unit_test(endless_yielding_is_named),
        cmocka_unit_test(endless_waiting_fails_the_case),
        cmocka_unit_test(deadlock_names_who_waits_on_what),
        cmocka_unit_test(output_flood_is_stopped),
        cmocka_unit_test(exit_in_the_middle_is_a_crash),
        cmocka_unit_test(compile_error_is_shown_trimmed),
        cmocka_unit_test(link_error_says_what_is_missing),
        cmocka_unit_test(missing_file_says_how_to_restore_it),
        cmocka_unit_test(cheats_fail),
        cmocka_unit_test(empty_prediction_says_how_many_lines),
        cmocka_unit_test(right_prediction_passes_whatever_the_spacing),
        cmocka_unit_test(wrong_line_is_named),
    };
    int failed = cmocka_run_group_tests_name("checker", tests, NULL, NULL);
    ex_catalogue_free(&catalogue);
    return failed;
}
