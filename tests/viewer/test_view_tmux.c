/*
 * test_view_tmux.c -- the live viewer in a real terminal, end to end.
 *
 * Each test starts `awaitlab view ...` in a tmux pane (tmux_session.h),
 * types keys into it and reads its screen: a chapter's lanes and ruler
 * appear, space pauses, ] turns the chapter's main knob and runs it again,
 * q quits -- and afterwards the terminal is the shell's again (no alternate
 * screen, the cursor back).  Also: a window too small, a program that
 * crashes, a saved trace with resources replayed, Ctrl-C, and a terminal
 * without colour (NO_COLOR) or UTF-8 (the C locale).
 *
 * Run from the repository root as `build/tests/viewer/test_view_tmux build`.
 * Without tmux the tests are skipped, with a message saying so.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "screen_fixtures.h"
#include "tmux_session.h"

#define PATIENCE 30.0 /* seconds to wait for a screen: generous, for slow CI */

static const char *build_dir = "build";

#define WAIT_FOR(s, what, ...) \
    tmux_expect((s), PATIENCE, (what), (const char *const[]){__VA_ARGS__, NULL})

/* The first line of the screen: the header. */
static char *header(const tmux_session *s)
{
    char *screen = tmux_screen(s);
    if (screen)
        screen[strcspn(screen, "\n")] = '\0';
    return screen;
}

/* After the viewer has exited: the terminal is as it was before it. */
static void assert_terminal_restored(const tmux_session *s)
{
    char *alternate = tmux_query(s, "#{alternate_on}");
    char *cursor = tmux_query(s, "#{cursor_flag}");
    char *screen = tmux_screen(s);
    assert_string_equal(alternate, "0"); /* out of the viewer's full screen */
    assert_string_equal(cursor, "1");    /* the cursor shows again          */
    assert_null(strstr(screen, "q quit")); /* its footer is gone            */
    free(alternate);
    free(cursor);
    free(screen);
}

static bool skip_without_tmux(void)
{
    if (tmux_available())
        return false;
    fprintf(stderr, "tmux is not installed: skipping the end-to-end viewer tests "
                    "(scripts/install-deps.sh installs it)\n");
    return true;
}

/* ----------------------------------------------------------------------- */
/* A chapter, live                                                          */
/* ----------------------------------------------------------------------- */

static void test_pause_turn_the_knob_and_quit(void **state)
{
    (void)state;
    if (skip_without_tmux())
        skip();
    tmux_session s;
    char *command = format_string("%s/awaitlab view 01 --clock virtual --speed 10; "
                                  "echo EXITED $?", build_dir);
    assert_true(tmux_start(&s, "knob", 120, 40, command));
    free(command);

    WAIT_FOR(&s, "the lanes and the ruler", "seconds", "main", "fetch-0", "fetch-3",
             "delay=0.5");
    tmux_keys(&s, "Space");
    WAIT_FOR(&s, "the paused badge", "paused");

    tmux_keys(&s, "]");
    WAIT_FOR(&s, "the knob turned", "delay=1 ");
    char *top = header(&s);
    assert_non_null(strstr(top, "chapter 01"));
    free(top);
    WAIT_FOR(&s, "the new run", "fetch-9", "of 11.000"); /* 10 x 1 s + 1 s */

    tmux_keys(&s, "q");
    WAIT_FOR(&s, "the viewer's exit", "EXITED 0");
    assert_terminal_restored(&s);
    tmux_stop(&s);
}

static void test_details_help_and_speed(void **state)
{
    (void)state;
    if (skip_without_tmux())
        skip();
    tmux_session s;
    char *command = format_string("%s/awaitlab view 02 --clock virtual --speed 0.5; "
                                  "echo EXITED $?", build_dir);
    assert_true(tmux_start(&s, "details", 110, 50, command));
    free(command);
    WAIT_FOR(&s, "the lanes", "main", "seconds");
    tmux_keys(&s, "+");
    WAIT_FOR(&s, "a faster speed", "speed 1");
    tmux_keys(&s, "Down Enter");
    WAIT_FOR(&s, "a task's details", "parent", "history", "enter: close");
    tmux_keys(&s, "Escape ?");
    WAIT_FOR(&s, "the help", "keys (? or esc: close)", "pause, or go on");
    tmux_keys(&s, "q");
    WAIT_FOR(&s, "the viewer's exit", "EXITED 0");
    assert_terminal_restored(&s);
    tmux_stop(&s);
}

/* ----------------------------------------------------------------------- */
/* A laptop's 80x24 and a projector's 200x60                                */
/* ----------------------------------------------------------------------- */

/* Runs a chapter on the virtual clock at 10x until its end is on screen. */
static char *finished_screen(tmux_session *s, const char *chapter, int width, int height)
{
    char *command = format_string("%s/awaitlab view %s --clock virtual --speed 10; "
                                  "echo EXITED $?", build_dir, chapter);
    assert_true(tmux_start(s, chapter, width, height, command));
    free(command);
    WAIT_FOR(s, "the end of the run", "exited 0", "\xe2\x96\xa0 end");
    return tmux_screen(s);
}

/* The screen's row `y` (from 0), copied; the caller frees it. */
static char *row_of(const char *screen, int y)
{
    for (; y > 0 && screen; y--)
        screen = (screen = strchr(screen, '\n')) ? screen + 1 : NULL;
    return screen ? strndup(screen, strcspn(screen, "\n")) : strdup("");
}

static int count_of(const char *text, const char *what)
{
    int n = 0;
    for (const char *at = text; (at = strstr(at, what)) != NULL; at += strlen(what))
        n++;
    return n;
}

#define OK_MARK "\xe2\x9c\x93"        /* ✓ */
#define ERROR_MARK "\xe2\x9c\x97"     /* ✗ */
#define CANCELLED_MARK "\xe2\x8a\x98" /* ⊘ */

/* No lane ends in two different outcomes: no group mixes fates. */
static void assert_lanes_of_one_fate(const char *screen, int first_row, int last_row)
{
    for (int y = first_row; y <= last_row; y++) {
        char *row = row_of(screen, y);
        int kinds = (strstr(row, OK_MARK) != NULL) + (strstr(row, ERROR_MARK) != NULL) +
                    (strstr(row, CANCELLED_MARK) != NULL);
        if (kinds > 1)
            fail_msg("a lane mixes outcomes: %s", row);
        free(row);
    }
}

static void test_a_laptop_terminal(void **state)
{
    (void)state;
    if (skip_without_tmux())
        skip();
    tmux_session s;
    char *screen = finished_screen(&s, "03", 80, 24);
    char *status = row_of(screen, 1), *legend = row_of(screen, 16);
    char *resources = row_of(screen, 19), *footer = row_of(screen, 23);
    /* The knobs keep their values, apart from the program's state. */
    assert_non_null(strstr(status, "clock virtual"));
    assert_non_null(strstr(status, "[ ] limit=5   { } n=20 "));
    assert_non_null(strstr(status, "exited 0"));
    /* The legend keeps the outcome marks; the footer the knob keys. */
    assert_non_null(strstr(legend, OK_MARK " ok"));
    assert_non_null(strstr(legend, ERROR_MARK " error"));
    assert_non_null(strstr(legend, CANCELLED_MARK " cancelled"));
    assert_non_null(strstr(footer, "[ ] knob"));
    assert_non_null(strstr(footer, "{ } n"));
    assert_non_null(strstr(footer, "q quit"));
    /* A resource's name whole, and its bar and numbers. */
    assert_non_null(strstr(resources, "requests "));
    assert_non_null(strstr(resources, "0/5"));
    /* Each section has its divider; the flood's errors are not the polite oks. */
    assert_non_null(strstr(screen, "section flood"));
    assert_non_null(strstr(screen, "section polite"));
    assert_lanes_of_one_fate(screen, 3, 15);
    free(status), free(legend), free(resources), free(footer), free(screen);
    tmux_keys(&s, "q");
    WAIT_FOR(&s, "the summary after quitting", "EXITED 0", "total 4.501 s");
    tmux_stop(&s);

    /* Chapter 05: five sections, oks, errors and cancellations, never one lane. */
    screen = finished_screen(&s, "05", 80, 24);
    assert_non_null(strstr(screen, "section first_failure"));
    assert_lanes_of_one_fate(screen, 3, 15);
    free(screen);
    tmux_keys(&s, "s");
    WAIT_FOR(&s, "the jump to a section", "section structured", "fetch-0");
    tmux_keys(&s, "q");
    WAIT_FOR(&s, "the viewer's exit", "EXITED 0");
    tmux_stop(&s);

    /* Chapter 01: the sequential staircase keeps a mark per fetch. */
    screen = finished_screen(&s, "01", 80, 24);
    char *first_group = row_of(screen, 5);
    assert_non_null(strstr(screen, "section sequential"));
    assert_non_null(strstr(screen, "section gather"));
    assert_true(count_of(first_group, OK_MARK) >= 2);
    free(first_group);
    free(screen);
    tmux_keys(&s, "q");
    /* After the viewer, the chapter's own summary. */
    WAIT_FOR(&s, "the summary after quitting", "gather finished 10.0x sooner", "EXITED 0");
    tmux_stop(&s);
}

static void test_a_projector(void **state)
{
    (void)state;
    if (skip_without_tmux())
        skip();
    tmux_session s;
    char *screen = finished_screen(&s, "01", 200, 60);
    /* 01 has 21 tasks: the rows they do not need go to the log, whose
     * rows read "│    5.500 ✓ fetch-9 ok". */
    int log_rows = 0;
    for (int y = 0; y < 60; y++) {
        char *row = row_of(screen, y);
        const char *after_border = strncmp(row, "\xe2\x94\x82", 3) == 0 ? row + 3 : "";
        after_border += strspn(after_border, " ");
        log_rows += after_border[0] >= '0' && after_border[0] <= '9' && after_border[1] == '.';
        free(row);
    }
    assert_true(log_rows >= 25);
    assert_non_null(strstr(screen, "21 done: 21 ok")); /* the side panel */
    free(screen);
    tmux_keys(&s, "q");
    WAIT_FOR(&s, "the viewer's exit", "EXITED 0");
    tmux_stop(&s);

    screen = finished_screen(&s, "03", 200, 60);
    assert_non_null(strstr(screen, "semaphore requests"));
    assert_lanes_of_one_fate(screen, 3, 40);
    free(screen);
    tmux_keys(&s, "q");
    WAIT_FOR(&s, "the viewer's exit", "EXITED 0");
    tmux_stop(&s);
}

/* ----------------------------------------------------------------------- */
/* Robustness                                                               */
/* ----------------------------------------------------------------------- */

static void test_too_small_then_big_enough(void **state)
{
    (void)state;
    if (skip_without_tmux())
        skip();
    tmux_session s;
    char *command = format_string("%s/awaitlab view 01 --clock virtual; echo EXITED $?",
                                  build_dir);
    assert_true(tmux_start(&s, "small", 50, 12, command));
    free(command);
    WAIT_FOR(&s, "the too-small message", "The window is 50x12", "needs 60x16");
    tmux_do(&s, "resize-window -x 100 -y 30");
    WAIT_FOR(&s, "the lanes after growing", "seconds", "fetch-0");
    tmux_keys(&s, "q");
    WAIT_FOR(&s, "the viewer's exit", "EXITED 0");
    tmux_stop(&s);
}

static void test_a_crash_stays_on_screen(void **state)
{
    (void)state;
    if (skip_without_tmux())
        skip();
    /* A "program" that writes two trace lines and a bad one to fd 3, says
     * something, and dies of SIGSEGV. */
    char script[] = "/tmp/awaitlab-crash-XXXXXX";
    int fd = mkstemp(script);
    assert_true(fd >= 0);
    dprintf(fd, "#!/bin/sh\n"
                "echo '{\"ev\":\"start\",\"version\":1,\"clock\":\"real\"}' >&3\n"
                "echo '{\"t\":0,\"ev\":\"spawn\",\"task\":1,\"name\":\"doomed\",\"parent\":0}' >&3\n"
                "echo '{\"t\":0,\"ev\":\"run\",\"task\":1}' >&3\n"
                "echo 'not json' >&3\n"
                "echo 'about to crash'\n"
                "sleep 0.3\n"
                "kill -SEGV $$\n");
    close(fd);
    chmod(script, 0700);
    tmux_session s;
    char *command = format_string("%s/awaitlab view -- %s; echo EXITED $?", build_dir, script);
    assert_true(tmux_start(&s, "crash", 100, 30, command));
    free(command);
    WAIT_FOR(&s, "the crash, with the timeline kept", "crashed: Segmentation fault",
             "doomed", "trace line 4: not JSON");
    tmux_keys(&s, "o");
    WAIT_FOR(&s, "the program's output", "about to crash");
    tmux_keys(&s, "q");
    WAIT_FOR(&s, "the viewer's exit", "EXITED 0");
    tmux_stop(&s);
    unlink(script);
}

static void test_replay_shows_resources(void **state)
{
    (void)state;
    if (skip_without_tmux())
        skip();
    char path[] = "/tmp/awaitlab-replay-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    for (const char *c = RESOURCE_TRACE; *c; c++)
        dprintf(fd, "%c", *c == '\'' ? '"' : *c);
    close(fd);
    tmux_session s;
    char *command = format_string("%s/awaitlab view --replay %s --speed 0.2; echo EXITED $?",
                                  build_dir, path);
    assert_true(tmux_start(&s, "replay", 120, 34, command));
    free(command);
    WAIT_FOR(&s, "the resources panel", "resources", "semaphore pool", "2/2 in use",
             "2 waiting", "event go", "replay");
    tmux_keys(&s, "End Enter");
    WAIT_FOR(&s, "the details of the last lane", "consumer, task 6");
    tmux_keys(&s, "q");
    WAIT_FOR(&s, "the viewer's exit", "EXITED 0");
    tmux_stop(&s);
    unlink(path);
}

/* A file that is no trace says so where the lanes would be. */
static void test_not_a_trace(void **state)
{
    (void)state;
    if (skip_without_tmux())
        skip();
    char path[] = "/tmp/awaitlab-not-a-trace-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    dprintf(fd, "hello\nworld\n");
    close(fd);
    tmux_session s;
    char *command = format_string("%s/awaitlab view --replay %s; echo EXITED $?", build_dir,
                                  path);
    assert_true(tmux_start(&s, "not-a-trace", 80, 24, command));
    free(command);
    WAIT_FOR(&s, "the reason on the main screen",
             "This trace could not be read: 2 of its 2 lines are not trace events.",
             "line 1: not JSON", "2 bad trace lines");
    tmux_keys(&s, "q");
    WAIT_FOR(&s, "the viewer's exit", "EXITED 0");
    tmux_stop(&s);
    unlink(path);
}

static void test_ctrl_c_restores_the_terminal(void **state)
{
    (void)state;
    if (skip_without_tmux())
        skip();
    tmux_session s;
    char *command = format_string("%s/awaitlab view 01 --clock real --delay 5; "
                                  "echo EXITED $?", build_dir);
    assert_true(tmux_start(&s, "ctrl-c", 100, 30, command));
    free(command);
    WAIT_FOR(&s, "the live run", "fetch-0", "real time");
    tmux_keys(&s, "+");
    WAIT_FOR(&s, "why + does nothing", "Real clock: 1x only. Rerun with --clock virtual");
    tmux_keys(&s, "C-c");
    WAIT_FOR(&s, "the viewer's exit", "EXITED 130");
    assert_terminal_restored(&s);
    tmux_stop(&s);
}

/*
 * Whether a screen captured with its escape sequences (capture-pane -e)
 * sets any colour: an SGR parameter 30-38, 40-48, 90-97 or 100-107.  (39
 * and 49 only mean "the default colour".)
 */
static bool sets_colour(const char *screen)
{
    for (const char *p = screen; (p = strstr(p, "\033[")) != NULL;) {
        p += 2;
        while (*p >= '0' && *p <= '9') {
            long n = strtol(p, (char **)&p, 10);
            if ((n >= 30 && n <= 38) || (n >= 40 && n <= 48) || (n >= 90 && n <= 107))
                return true;
            if (*p == ';')
                p++;
        }
    }
    return false;
}

static bool all_ascii(const char *text)
{
    for (; *text; text++)
        if ((unsigned char)*text >= 0x80)
            return false;
    return true;
}

static void test_no_colour_and_no_utf8(void **state)
{
    (void)state;
    if (skip_without_tmux())
        skip();
    tmux_session s;
    char *command = format_string("NO_COLOR=1 LC_ALL=C %s/awaitlab view 01 --clock virtual "
                                  "--speed 10; echo EXITED $?", build_dir);
    assert_true(tmux_start(&s, "plain", 100, 30, command));
    free(command);
    WAIT_FOR(&s, "the finished run, in ASCII", "# end", "==", "| fetch-", "o ok");
    char *plain = tmux_screen(&s);
    char *escaped = tmux(&s, "capture-pane -p -e");
    assert_true(all_ascii(plain));
    assert_false(sets_colour(escaped));
    assert_non_null(strstr(escaped, "\033[1;7m")); /* still bold and reverse */
    free(plain);
    free(escaped);
    tmux_keys(&s, "q");
    WAIT_FOR(&s, "the viewer's exit", "EXITED 0");
    tmux_stop(&s);

    /* The same run with colour and UTF-8, to show the test can tell. */
    command = format_string("LC_ALL=C.UTF-8 %s/awaitlab view 01 --clock virtual --speed 10; "
                            "echo EXITED $?", build_dir);
    assert_true(tmux_start(&s, "colour", 100, 30, command));
    free(command);
    WAIT_FOR(&s, "the finished run", "end", "fetch-");
    escaped = tmux(&s, "capture-pane -p -e");
    assert_true(sets_colour(escaped));
    free(escaped);
    tmux_keys(&s, "q");
    WAIT_FOR(&s, "the viewer's exit", "EXITED 0");
    tmux_stop(&s);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        build_dir = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pause_turn_the_knob_and_quit),
        cmocka_unit_test(test_details_help_and_speed),
        cmocka_unit_test(test_a_laptop_terminal),
        cmocka_unit_test(test_a_projector),
        cmocka_unit_test(test_too_small_then_big_enough),
        cmocka_unit_test(test_a_crash_stays_on_screen),
        cmocka_unit_test(test_replay_shows_resources),
        cmocka_unit_test(test_not_a_trace),
        cmocka_unit_test(test_ctrl_c_restores_the_terminal),
        cmocka_unit_test(test_no_colour_and_no_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
