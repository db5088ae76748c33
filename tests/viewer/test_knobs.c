/*
 * test_knobs.c -- turning a chapter's knobs in the live viewer: the steps
 * each kind of knob takes, and asking a real chapter to check a value.
 *
 * The knobs live in the command (cli/knobs.c), not in a library the tests
 * link, so this test compiles that file in whole.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "knobs.c"

static const char *build_dir = "build";

static knob make_knob(const char *name, double value, bool integer, bool rate)
{
    knob k = {.value = value, .integer = integer, .rate = rate};
    snprintf(k.name, sizeof k.name, "%s", name);
    return k;
}

static void check_steps(knob k, int direction, const double *expected, int n)
{
    for (int i = 0; i < n; i++) {
        k.value = knob_step(&k, direction);
        if (fabs(k.value - expected[i]) > 1e-9)
            fail_msg("%s step %d: got %g, wanted %g", k.name, i, k.value, expected[i]);
    }
}

static void test_whole_numbers(void **state)
{
    (void)state;
    check_steps(make_knob("limit", 3, true, false), +1, (double[]){4, 5, 6}, 3);
    check_steps(make_knob("n", 10, true, false), +1, (double[]){20, 50, 100, 200}, 4);
    check_steps(make_knob("n", 100, true, false), -1, (double[]){50, 20, 10, 9, 8}, 5);
    check_steps(make_knob("limit", 1, true, false), -1, (double[]){0, 0}, 2);
}

static void test_seconds_and_rates(void **state)
{
    (void)state;
    check_steps(make_knob("delay", 0.5, false, false), +1, (double[]){1, 2, 5, 10}, 4);
    check_steps(make_knob("delay", 0.5, false, false), -1, (double[]){0.2, 0.1, 0.05}, 3);
    check_steps(make_knob("delay", 0.3, false, false), +1, (double[]){0.5}, 1);
    check_steps(make_knob("fail-rate", 0.25, false, true), +1,
                (double[]){0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1}, 8);
    check_steps(make_knob("fail-rate", 0.1, false, true), -1, (double[]){0, 0}, 2);
}

static void test_formats_and_header(void **state)
{
    (void)state;
    knob_set set = {.count = 2, .main_knob = "delay"};
    set.items[0] = make_knob("n", 10, true, false);
    set.items[1] = make_knob("delay", 0.5, false, false);
    char text[100];
    knobs_header(&set, text, sizeof text);
    assert_string_equal(text, "[ ] delay=0.5   { } n=10");
    knob_format(&set.items[1], 1, text, sizeof text);
    assert_string_equal(text, "1");
    set.main_knob[0] = '\0';
    knobs_header(&set, text, sizeof text);
    assert_string_equal(text, "{ } n=10");
    snprintf(set.main_knob, sizeof set.main_knob, "n");
    knobs_header(&set, text, sizeof text);
    assert_string_equal(text, "[ ] { } n=10");
}

/* The chapter checks the flags given before --describe, and says why not. */
static void test_the_chapter_checks_values(void **state)
{
    (void)state;
    char program[512];
    snprintf(program, sizeof program, "%s/chapters/01_sequential_vs_gather", build_dir);
    knob_set set;
    char error[300] = "";
    char *good[] = {"--clock", "virtual", "--delay=2", "--n", "7"};
    assert_int_equal(knobs_describe(program, good, 5, &set, error, sizeof error), 0);
    assert_string_equal(set.main_knob, "delay");
    assert_true(knobs_find(&set, "delay")->value == 2);
    assert_true(knobs_find(&set, "n")->value == 7);
    assert_true(knobs_find(&set, "n")->integer);
    assert_false(knobs_find(&set, "delay")->integer);

    char *bad[] = {"--n=0"};
    assert_int_equal(knobs_describe(program, bad, 1, &set, error, sizeof error), -1);
    assert_non_null(strstr(error, "--n 0"));
    assert_null(strchr(error, '\n'));
}

int main(int argc, char **argv)
{
    if (argc > 1)
        build_dir = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_whole_numbers),
        cmocka_unit_test(test_seconds_and_rates),
        cmocka_unit_test(test_formats_and_header),
        cmocka_unit_test(test_the_chapter_checks_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
