/*
 * test_signals_tmux.c -- Ctrl-C in a real terminal (tmux), where people
 * press it: during `awaitlab run` (the chapter program and the CLI both get
 * the SIGINT) and during `awaitlab watch` (in raw mode, where Ctrl-C
 * arrives as a key).  Each must end with status 130, as a shell reports an
 * interrupted command, and leave the terminal in its ordinary cooked mode
 * -- checked with `stty -a` in the same terminal afterwards.  (`awaitlab
 * view` is covered by test_view_tmux.c.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "tmux_session.h"

#define PATIENCE 60.0 /* seconds to wait for a screen: a check compiles first */

static const char *build_dir = "build";

/* After the command: its status, then whether the terminal is still raw. */
#define AFTERWARDS "; echo EXITED $?; stty -a | grep -q -- -icanon && echo STILL-RAW || echo COOKED"

#define EXPECT(s, what, ...) \
    tmux_expect((s), PATIENCE, (what), (const char *const[]){__VA_ARGS__, NULL})

static void test_ctrl_c_during_run_exits_130(void **state)
{
    (void)state;
    if (!tmux_available())
        skip();
    tmux_session s;
    /*
     * The terminal sends SIGINT to its whole foreground group, the shell
     * running the command included.  An interactive shell survives it to
     * report the status; this one needs a trap for that (a handler, not
     * an ignore, so that awaitlab still gets the default action).
     */
    char *command = format_string("trap : INT; %s/awaitlab run 01 --clock real --delay 5"
                                  AFTERWARDS, build_dir);
    assert_true(tmux_start(&s, "run-ctrl-c", 100, 30, command));
    free(command);
    EXPECT(&s, "the chapter running", "== sequential");
    tmux_keys(&s, "C-c");
    EXPECT(&s, "the exit status", "EXITED 130", "COOKED");
    tmux_stop(&s);
}

static void test_ctrl_c_during_watch_exits_130_and_leaves_raw_mode(void **state)
{
    (void)state;
    if (!tmux_available())
        skip();
    char workspace[] = "/tmp/awaitlab-watch-XXXXXX";
    assert_non_null(mkdtemp(workspace));
    char *init = format_string("%s/awaitlab init %s/ws >/dev/null", build_dir, workspace);
    assert_int_equal(system(init), 0);
    free(init);

    char *build = realpath(build_dir, NULL);   /* the command runs in the workspace */
    assert_non_null(build);
    tmux_session s;
    char *command = format_string("cd %s/ws && %s/awaitlab watch" AFTERWARDS, workspace, build);
    assert_true(tmux_start(&s, "watch-ctrl-c", 100, 30, command));
    free(command);
    free(build);
    EXPECT(&s, "the first check's verdict", "awaitlab watch", "q quit", "FAIL");
    tmux_keys(&s, "C-c");
    EXPECT(&s, "the exit status", "EXITED 130", "COOKED");
    tmux_stop(&s);
    char *cleanup = format_string("rm -rf %s", workspace);
    assert_int_equal(system(cleanup), 0);
    free(cleanup);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        build_dir = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ctrl_c_during_run_exits_130),
        cmocka_unit_test(test_ctrl_c_during_watch_exits_130_and_leaves_raw_mode),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
