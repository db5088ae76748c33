/*
 * test_timeline_text.c -- the text timeline, compared character by character.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "timeline_text.h"
#include "trace_fixtures.h"

#define SECONDS(s) ((tv_time)((s) * TV_USEC_PER_SEC + 0.5))

/* Renders a section of a single-quoted trace, or the whole run if NULL. */
static char *render(const char *trace, const char *section,
                    const tv_timeline_options *options)
{
    tv_model *m = load_trace(trace);
    assert_non_null(m);
    tv_section window = tv_model_whole_run(m);
    if (section != NULL) {
        assert_non_null(tv_model_section(m, section));
        window = *tv_model_section(m, section);
    }
    char *text = tv_timeline_render_string(m, &window, options);
    assert_non_null(text);
    tv_model_free(m);
    return text;
}

/* Copies line `n` (from 0) of text into `line`; fails the test if none. */
static void nth_line(const char *text, int n, char *line, size_t size)
{
    for (int i = 0; i < n; i++) {
        text = strchr(text, '\n');
        assert_non_null(text);
        text++;
    }
    size_t length = strcspn(text, "\n");
    assert_true(length < size);
    memcpy(line, text, length);
    line[length] = '\0';
}

static int count_lines(const char *text)
{
    int n = 0;
    for (; *text; text++)
        n += *text == '\n';
    return n;
}

/* ----------------------------------------------------------------------- */
/* The whole picture                                                        */
/* ----------------------------------------------------------------------- */

static void test_gather_section(void **state)
{
    (void)state;
    char *text = render(GATHER_TRACE, "gather", NULL);
    assert_string_equal(text,
        "section gather: 0.500 s of virtual time (t = 0.000 .. 0.500)\n"
        "seconds        0.0         0.1         0.2         0.3         0.4         0.5\n"
        "main           ------------------------------------------------------------\n"
        " fetch-0       ============================================================o\n"
        " fetch-1       ============================================================o\n"
        " fetch-2       ============================================================x\n"
        "# run  = sleep  - await  . ready  : wait (other)  o ok  x error  c cancelled\n"
        "  x fetch-2  item-2: connection refused\n");
    free(text);
}

static void test_whole_run(void **state)
{
    (void)state;
    /* Main now also sleeps 0.1 s after the gather, and then returns. */
    char *text = render(GATHER_TRACE, NULL, NULL);
    assert_string_equal(text,
        "run: 0.600 s of virtual time (t = 0.000 .. 0.600)\n"
        "seconds        0.0       0.1       0.2       0.3       0.4       0.5       0.6\n"
        "main           --------------------------------------------------==========o\n"
        " fetch-0       ==================================================o\n"
        " fetch-1       ==================================================o\n"
        " fetch-2       ==================================================x\n"
        "# run  = sleep  - await  . ready  : wait (other)  o ok  x error  c cancelled\n"
        "  x fetch-2  item-2: connection refused\n");
    free(text);
}

static void test_same_model_same_bytes(void **state)
{
    (void)state;
    tv_model *m = load_trace(GATHER_TRACE);
    tv_section whole = tv_model_whole_run(m);
    tv_timeline_options narrow = {.width = 23};
    char *first = tv_timeline_render_string(m, &whole, &narrow);

    char *second = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&second, &size);
    assert_int_equal(tv_timeline_render(m, &whole, &narrow, out), 0);
    fclose(out);

    assert_string_equal(first, second);
    free(first);
    free(second);
    tv_model_free(m);
}

/* ----------------------------------------------------------------------- */
/* Lanes                                                                    */
/* ----------------------------------------------------------------------- */

/* Real time: steps take time, so running ('#') and ready ('.') show. */
static const char REAL_TRACE[] =
    "{'ev':'start','version':1,'clock':'real'}\n"
    "{'t':0,'ev':'spawn','task':1,'name':'main','parent':0}\n"
    "{'t':0,'ev':'spawn','task':2,'name':'busy','parent':1}\n"
    "{'t':0,'ev':'spawn','task':3,'name':'late','parent':1}\n"
    "{'t':0,'ev':'wait','task':1,'on':'gather','target':0}\n"
    "{'t':0,'ev':'run','task':2}\n"
    "{'t':0.3,'ev':'wait','task':2,'on':'sleep'}\n"
    "{'t':0.3,'ev':'run','task':3}\n"
    "{'t':0.35,'ev':'wait','task':3,'on':'lock'}\n"
    "{'t':0.5,'ev':'wake','task':2,'status':0}\n"
    "{'t':0.5,'ev':'done','task':2,'outcome':'ok','value':0}\n"
    "{'t':0.5,'ev':'wake','task':3,'status':0}\n"
    "{'t':0.5,'ev':'done','task':3,'outcome':'ok','value':0}\n"
    "{'t':0.5,'ev':'end'}\n";

static void test_each_activity_has_its_glyph(void **state)
{
    (void)state;
    char *text = render(REAL_TRACE, NULL, NULL);
    char line[200];
    nth_line(text, 0, line, sizeof line);
    assert_string_equal(line,
        "run: 0.500 s of real time (t = 0.000 .. 0.500)");
    nth_line(text, 3, line, sizeof line);
    /* 0.3 s running of 0.5 s is 36 of 60 columns. */
    assert_string_equal(line,
        " busy          ####################################========================o");
    nth_line(text, 4, line, sizeof line);
    /* ready until 0.3, running until 0.35, then waiting on a lock */
    assert_string_equal(line,
        " late          ....................................######::::::::::::::::::o");
    free(text);
}

static void test_a_column_shows_what_took_most_of_it(void **state)
{
    (void)state;
    /* Columns of 0.1 s.  In the first one "mixed" sleeps 0.07 s and runs
     * 0.03 s; in the second it yields for 0.06 s (a yield is ready to run
     * again at once) and waits on a queue for 0.04 s. */
    char *text = render(
        "{'ev':'start','version':1,'clock':'real'}\n"
        "{'t':0,'ev':'spawn','task':1,'name':'mixed','parent':0}\n"
        "{'t':0,'ev':'run','task':1}\n"
        "{'t':0.03,'ev':'wait','task':1,'on':'sleep'}\n"
        "{'t':0.1,'ev':'wait','task':1,'on':'yield'}\n"
        "{'t':0.16,'ev':'wait','task':1,'on':'queue'}\n"
        "{'t':0.2,'ev':'end'}\n",
        NULL, &(tv_timeline_options){.width = 2});
    char line[200];
    nth_line(text, 2, line, sizeof line);
    assert_string_equal(line, "mixed          =.");
    free(text);
}

static void test_columns_split_time_exactly(void **state)
{
    (void)state;
    /* 3 microseconds in 2 columns: [0, 2) and [2, 3).  In the first, the
     * task is ready for 1 us and runs for 1 us; on a tie running wins. */
    char *text = render(
        "{'t':0,'ev':'spawn','task':1,'name':'main','parent':0}\n"
        "{'t':0.000001,'ev':'run','task':1}\n"
        "{'t':0.000002,'ev':'wait','task':1,'on':'sleep'}\n"
        "{'t':0.000003,'ev':'end'}\n",
        NULL, &(tv_timeline_options){.width = 2});
    char line[200];
    nth_line(text, 2, line, sizeof line);
    assert_string_equal(line, "main           #=");
    free(text);
}

static void test_a_task_that_lives_no_time_still_shows(void **state)
{
    (void)state;
    char *text = render(
        "{'ev':'start','version':1,'clock':'virtual'}\n"
        "{'t':0,'ev':'spawn','task':1,'name':'main','parent':0}\n"
        "{'t':0,'ev':'wait','task':1,'on':'sleep'}\n"
        "{'t':0.2,'ev':'spawn','task':2,'name':'quick','parent':1}\n"
        "{'t':0.2,'ev':'run','task':2}\n"
        "{'t':0.2,'ev':'done','task':2,'outcome':'ok','value':0}\n"
        "{'t':0.5,'ev':'end'}\n",
        NULL, NULL);
    char line[200];
    nth_line(text, 3, line, sizeof line);
    /* t = 0.2 of 0.5 s is column 24 of 60. */
    assert_string_equal(line, " quick                                 o");
    free(text);
}

static void test_names_are_indented_and_cut(void **state)
{
    (void)state;
    char *text = render(
        "{'t':0,'ev':'spawn','task':1,'name':'main','parent':0}\n"
        "{'t':0,'ev':'spawn','task':2,'name':'a-very-long-task-name','parent':1}\n"
        "{'t':0,'ev':'spawn','task':3,'name':'leaf','parent':2}\n"
        "{'t':0,'ev':'spawn','task':4,'name':'exactly-13-ch','parent':1}\n"
        "{'t':1,'ev':'end'}\n",
        NULL, &(tv_timeline_options){.width = 10});
    char line[200];
    nth_line(text, 3, line, sizeof line);
    assert_string_equal(line, " a-very-long-~ ..........");
    nth_line(text, 4, line, sizeof line);
    assert_string_equal(line, "  leaf         ..........");
    nth_line(text, 5, line, sizeof line);
    assert_string_equal(line, " exactly-13-ch ..........");
    free(text);
}

static void test_many_tasks_are_summed_up(void **state)
{
    (void)state;
    char trace[8192];
    size_t n = (size_t)snprintf(trace, sizeof trace,
        "{'t':0,'ev':'spawn','task':1,'name':'main','parent':0}\n");
    for (int id = 2; id <= 51; id++)
        n += (size_t)snprintf(trace + n, sizeof trace - n,
            "{'t':0,'ev':'spawn','task':%d,'name':'w%d','parent':1}\n"
            "{'t':0,'ev':'wait','task':%d,'on':'sleep'}\n", id, id, id);
    for (int id = 2; id <= 51; id++)
        n += (size_t)snprintf(trace + n, sizeof trace - n,
            "{'t':0.1,'ev':'done','task':%d,'outcome':'error','code':-100}\n", id);
    snprintf(trace + n, sizeof trace - n, "{'t':0.1,'ev':'end'}\n");

    char *text = render(trace, NULL, &(tv_timeline_options){.max_tasks = 10});
    char line[200];
    /* header, ruler, 10 lanes (main, w2 .. w10), the rest summed up */
    nth_line(text, 11, line, sizeof line);
    assert_string_equal(line, " w10           ============================================================x");
    nth_line(text, 12, line, sizeof line);
    assert_string_equal(line, "... and 41 more tasks");
    /* the legend, then 10 of the 50 failures, then the rest summed up */
    nth_line(text, 23, line, sizeof line);
    assert_string_equal(line, "  x w11  failed (the program's error -100, with no message)");
    nth_line(text, 24, line, sizeof line);
    assert_string_equal(line, "  ... and 40 more");
    assert_int_equal(count_lines(text), 25);
    free(text);
}

/* ----------------------------------------------------------------------- */
/* What went wrong, listed below the chart                                  */
/* ----------------------------------------------------------------------- */

static void test_cancelled_and_passed_on_errors_are_listed(void **state)
{
    (void)state;
    char *text = render(
        "{'t':0,'ev':'spawn','task':1,'name':'main','parent':0}\n"
        "{'t':0,'ev':'spawn','task':2,'name':'fetch-1','parent':1}\n"
        "{'t':0,'ev':'spawn','task':3,'name':'slow','parent':1}\n"
        "{'t':0.1,'ev':'done','task':2,'outcome':'error','code':-100,"
        "'error':'boom','origin':'fetch-1'}\n"
        "{'t':0.1,'ev':'cancel','task':3,'by':1}\n"
        "{'t':0.1,'ev':'done','task':3,'outcome':'cancelled'}\n"
        "{'t':0.1,'ev':'done','task':1,'outcome':'error','code':-100,"
        "'error':'boom','origin':'fetch-1'}\n"
        "{'t':0.1,'ev':'end'}\n",
        NULL, NULL);
    char line[200];
    nth_line(text, 6, line, sizeof line);
    assert_string_equal(line, "  x main  boom (from fetch-1)");
    nth_line(text, 7, line, sizeof line);
    assert_string_equal(line, "  x fetch-1  boom");
    nth_line(text, 8, line, sizeof line);
    assert_string_equal(line, "  c slow  cancelled by main");
    free(text);
}

static void test_slow_steps_are_listed(void **state)
{
    (void)state;
    char *text = render(
        "{'t':0,'ev':'spawn','task':1,'name':'main','parent':0}\n"
        "{'t':0,'ev':'run','task':1}\n"
        "{'t':0.151,'ev':'slow','task':1,'held':0.151}\n"
        "{'t':0.2,'ev':'end'}\n",
        NULL, NULL);
    assert_non_null(strstr(text, "\n  ! main  held the loop for 0.151 s\n"));
    free(text);
}

static void test_a_crashed_run_says_so(void **state)
{
    (void)state;
    const char *crashed =
        "{'t':0,'ev':'spawn','task':1,'name':'main','parent':0}\n"
        "{'t':0,'ev':'run','task':1}\n"
        "{'t':0.2,'ev':'wait','task':1,'on':'sleep'}\n";
    char *text = render(crashed, NULL, NULL);
    assert_non_null(strstr(text, "\nnote: the trace stops without an \"end\" line"));
    free(text);

    /* A section that closed before the crash is complete. */
    const char *crashed_later =
        "{'t':0,'ev':'spawn','task':1,'name':'main','parent':0}\n"
        "{'t':0,'ev':'mark','text':'section setup'}\n"
        "{'t':0.1,'ev':'mark','text':'section-end setup'}\n"
        "{'t':0.2,'ev':'wait','task':1,'on':'sleep'}\n";
    text = render(crashed_later, "setup", NULL);
    assert_null(strstr(text, "note:"));
    free(text);

    char *complete = render(GATHER_TRACE, NULL, NULL);
    assert_null(strstr(complete, "note:"));
    free(complete);
}

/* ----------------------------------------------------------------------- */
/* The ruler and odd windows                                                */
/* ----------------------------------------------------------------------- */

static void test_ruler_steps_leave_room_for_labels(void **state)
{
    (void)state;
    const char *two_seconds =
        "{'t':0,'ev':'spawn','task':1,'name':'main','parent':0}\n"
        "{'t':2,'ev':'end'}\n";
    char *text = render(two_seconds, NULL, NULL);
    char line[200];
    /* 0.2 s would be 6 columns apart: too close; 0.5 s is 15. */
    nth_line(text, 1, line, sizeof line);
    assert_string_equal(line,
        "seconds        0.0            0.5            1.0            1.5            2.0");
    free(text);

    text = render(two_seconds, NULL, &(tv_timeline_options){.width = 200});
    char wide[400];
    nth_line(text, 1, wide, sizeof wide);
    /* Wider, and 0.1 s steps are now 10 columns apart. */
    assert_int_equal(strncmp(wide, "seconds        0.0       0.1       0.2 ", 39), 0);
    free(text);
}

static void test_a_section_of_no_time(void **state)
{
    (void)state;
    char *text = render(
        "{'ev':'start','version':1,'clock':'virtual'}\n"
        "{'t':0,'ev':'spawn','task':1,'name':'main','parent':0}\n"
        "{'t':0,'ev':'run','task':1}\n"
        "{'t':0.3,'ev':'mark','text':'section instant'}\n"
        "{'t':0.3,'ev':'spawn','task':2,'name':'blink','parent':1}\n"
        "{'t':0.3,'ev':'done','task':2,'outcome':'ok','value':0}\n"
        "{'t':0.3,'ev':'mark','text':'section-end instant'}\n"
        "{'t':0.4,'ev':'end'}\n",
        "instant", NULL);
    assert_string_equal(text,
        "section instant: 0.000 s of virtual time (t = 0.300 .. 0.300)\n"
        "seconds        0\n"
        "main           #\n"
        " blink         o\n"
        "# run  = sleep  - await  . ready  : wait (other)  o ok  x error  c cancelled\n");
    free(text);
}

static void test_bad_options_are_refused(void **state)
{
    (void)state;
    tv_model *m = load_trace(GATHER_TRACE);
    tv_section whole = tv_model_whole_run(m);
    tv_section backwards = tv_model_window(SECONDS(0.5), SECONDS(0.1));

    errno = 0;
    assert_null(tv_timeline_render_string(
        m, &whole, &(tv_timeline_options){.width = TV_TIMELINE_MAX_WIDTH + 1}));
    assert_int_equal(errno, EINVAL);
    errno = 0;
    assert_null(tv_timeline_render_string(m, &whole,
                                          &(tv_timeline_options){.max_tasks = -1}));
    assert_int_equal(errno, EINVAL);
    errno = 0;
    assert_null(tv_timeline_render_string(m, &backwards, NULL));
    assert_int_equal(errno, EINVAL);

    char *widest = tv_timeline_render_string(
        m, &whole, &(tv_timeline_options){.width = TV_TIMELINE_MAX_WIDTH});
    assert_non_null(widest);
    free(widest);
    tv_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gather_section),
        cmocka_unit_test(test_whole_run),
        cmocka_unit_test(test_same_model_same_bytes),
        cmocka_unit_test(test_each_activity_has_its_glyph),
        cmocka_unit_test(test_a_column_shows_what_took_most_of_it),
        cmocka_unit_test(test_columns_split_time_exactly),
        cmocka_unit_test(test_a_task_that_lives_no_time_still_shows),
        cmocka_unit_test(test_names_are_indented_and_cut),
        cmocka_unit_test(test_many_tasks_are_summed_up),
        cmocka_unit_test(test_cancelled_and_passed_on_errors_are_listed),
        cmocka_unit_test(test_slow_steps_are_listed),
        cmocka_unit_test(test_a_crashed_run_says_so),
        cmocka_unit_test(test_ruler_steps_leave_room_for_labels),
        cmocka_unit_test(test_a_section_of_no_time),
        cmocka_unit_test(test_bad_options_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
