/*
 * test_svg_export.c -- the timeline as SVG: a golden picture, and the
 * properties a handout needs (well-formed, escaped, the same every time).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "golden_screen.h"
#include "screen_fixtures.h"
#include "svg_export.h"

static char *render(const tv_model *m, const tv_section *window, const tv_svg_options *o)
{
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    assert_int_equal(tv_svg_export(m, window, o, out), 0);
    fclose(out);
    return text;
}

static size_t count(const char *text, const char *what)
{
    size_t n = 0;
    for (const char *p = text; (p = strstr(p, what)) != NULL; p += strlen(what))
        n++;
    return n;
}

static void test_gather_picture_is_golden(void **state)
{
    (void)state;
    tv_model *m = load_trace(GATHER_TRACE);
    tv_section whole = tv_model_whole_run(m);
    tv_svg_options options = {.title = "chapter 99: gather & <friends>"};
    char *svg = render(m, &whole, &options);
    const char *path = "tests/viewer/golden/gather.svg";
    const char *update = getenv("AWAITLAB_UPDATE_GOLDEN");
    if (update && strcmp(update, "1") == 0) {
        FILE *f = fopen(path, "w");
        fputs(svg, f);
        fclose(f);
    }
    char *golden = read_whole_file(path);
    assert_non_null(golden);
    assert_string_equal(svg, golden);
    free(golden);
    free(svg);
    tv_model_free(m);
}

static void test_what_the_picture_holds(void **state)
{
    (void)state;
    tv_model *m = load_trace(GATHER_TRACE);
    tv_section whole = tv_model_whole_run(m);
    tv_svg_options options = {.title = "a & b <c>"};
    char *svg = render(m, &whole, &options);
    assert_non_null(strstr(svg, "a &amp; b &lt;c&gt;"));
    assert_null(strstr(svg, "<c>"));
    assert_int_equal(count(svg, "<svg "), 1);
    assert_int_equal(count(svg, "</svg>"), 1);
    /* Four lanes; main's await and sleep, one sleep per fetch. */
    assert_int_equal(count(svg, "font-size=\"12\">main<"), 1);
    assert_int_equal(count(svg, ": sleeping "), 4);
    assert_int_equal(count(svg, "main: awaiting "), 1);
    /* The failure says what failed, on hover. */
    assert_non_null(strstr(svg, "fetch-2: error: item-2: connection refused"));
    /* The section band. */
    assert_non_null(strstr(svg, ">gather</text>"));
    free(svg);
    tv_model_free(m);
}

static void test_many_tasks_are_cut_short(void **state)
{
    (void)state;
    char *trace = many_tasks_trace(50);
    tv_model *m = load_trace(trace);
    free(trace);
    tv_section whole = tv_model_whole_run(m);
    tv_svg_options options = {.max_tasks = 10};
    char *svg = render(m, &whole, &options);
    assert_non_null(strstr(svg, "... and 41 more tasks"));
    free(svg);
    tv_model_free(m);
}

static void test_bad_options(void **state)
{
    (void)state;
    tv_model *m = load_trace(GATHER_TRACE);
    tv_section whole = tv_model_whole_run(m);
    tv_svg_options narrow = {.width = 100};
    FILE *out = fopen("/dev/null", "w");
    errno = 0;
    assert_int_equal(tv_svg_export(m, &whole, &narrow, out), -1);
    assert_int_equal(errno, EINVAL);
    tv_section backwards = tv_model_window(10, 5);
    assert_int_equal(tv_svg_export(m, &backwards, NULL, out), -1);
    fclose(out);
    assert_int_equal(tv_svg_export_path(m, &whole, NULL, "/nonexistent/x.svg"), -1);
    tv_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gather_picture_is_golden),
        cmocka_unit_test(test_what_the_picture_holds),
        cmocka_unit_test(test_many_tasks_are_cut_short),
        cmocka_unit_test(test_bad_options),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
