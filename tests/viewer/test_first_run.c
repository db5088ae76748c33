/*
 * test_first_run.c -- what a newcomer meets first, besides the viewer:
 * `awaitlab list` says where each chapter's files are, `awaitlab show NN`
 * renders the lesson (plain when piped, styled through the pager in a
 * terminal), and `awaitlab serve` logs each request it answers.
 *
 * Run from the repository root as `build/tests/viewer/test_first_run build`.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "tmux_session.h"

#define PATIENCE 30.0

static const char *build_dir = "build";

static char *run(const char *format, const char *argument, int *status)
{
    char *command = format_string(format, build_dir, argument);
    char *out = command_output(command, status);
    free(command);
    assert_non_null(out);
    return out;
}

static void test_list_says_where_the_files_are(void **state)
{
    (void)state;
    int status;
    char *out = run("%s/awaitlab list%s 2>&1", "", &status);
    assert_int_equal(status, 0);
    assert_non_null(strstr(out, "chapters/01_sequential_vs_gather.{c,py,md}"));
    assert_non_null(strstr(out, "chapters/12_periodic_and_pages.{c,py,md}"));
    free(out);
}

static void test_show_piped_is_plain_text(void **state)
{
    (void)state;
    int status;
    char *out = run("%s/awaitlab show %s | cat", "01", &status);
    assert_int_equal(status, 0);
    assert_null(strchr(out, '\033'));                 /* no terminal styles   */
    assert_null(strstr(out, "```"));                  /* no code fences       */
    assert_null(strstr(out, "\n## "));                /* no heading marks     */
    assert_non_null(strstr(out, "\nThe question\n------------\n"));
    assert_non_null(strstr(out, "\n    async def fetch(i):\n")); /* code, indented */
    free(out);
}

static void test_show_in_a_terminal_pages_with_styles(void **state)
{
    (void)state;
    if (!tmux_available())
        skip();
    tmux_session s;
    /* PAGER unset: less -R, which waits at the first page for q. */
    char *command = format_string("env -u PAGER %s/awaitlab show 01; echo EXITED $?",
                                  build_dir);
    assert_true(tmux_start(&s, "show", 80, 24, command));
    free(command);
    bool found;
    char *screen = tmux_wait_for(&s, PATIENCE, &found,
                                 (const char *const[]){"The question", NULL});
    assert_true(found);
    assert_null(strstr(screen, "EXITED")); /* still in the pager */
    assert_null(strstr(screen, "## "));
    free(screen);
    char *styled = tmux(&s, "capture-pane -p -e");
    assert_non_null(strstr(styled, "\033[1m")); /* a bold heading */
    free(styled);
    tmux_keys(&s, "q");
    screen = tmux_wait_for(&s, PATIENCE, &found, (const char *const[]){"EXITED 0", NULL});
    assert_true(found);
    free(screen);
    tmux_stop(&s);
}

/*
 * Starts `awaitlab serve FLAGS` on a free port, asks for /status/418 and a
 * path no route has, stops it with Ctrl-C and returns what it wrote on stderr.
 */
static char *serve_log(const char *flags)
{
    char dir[] = "/tmp/awaitlab-serve-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *cwd = getcwd(NULL, 0);
    char *awaitlab = build_dir[0] == '/' ? format_string("%s/awaitlab", build_dir)
                                         : format_string("%s/%s/awaitlab", cwd, build_dir);
    char *script = format_string(
        "cd %s && (%s serve %s >out 2>err & echo $! >pid) && "
        "for i in $(seq 100); do grep -q http out 2>/dev/null && break; sleep 0.1; done && "
        "url=$(sed -n 's/.*: \\(http[^ ]*\\).*/\\1/p' out | head -n 1) && "
        "curl -s $url/status/418 >/dev/null; curl -s $url/nowhere >/dev/null; "
        "kill -INT $(cat pid); while kill -0 $(cat pid) 2>/dev/null; do sleep 0.1; done; "
        "cat err; cd / && rm -rf %s",
        dir, awaitlab, flags, dir);
    int status;
    char *log = command_output(script, &status);
    free(script);
    free(awaitlab);
    free(cwd);
    assert_non_null(log);
    return log;
}

static void test_serve_logs_each_request(void **state)
{
    (void)state;
    char *log = serve_log("");
    assert_non_null(strstr(log, "GET /status/418 418 "));
    assert_non_null(strstr(log, "GET /nowhere 404 "));
    free(log);
    log = serve_log("--quiet");
    assert_null(strstr(log, "GET /"));
    assert_non_null(strstr(log, "stopping")); /* it did run */
    free(log);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        build_dir = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_list_says_where_the_files_are),
        cmocka_unit_test(test_show_piped_is_plain_text),
        cmocka_unit_test(test_show_in_a_terminal_pages_with_styles),
        cmocka_unit_test(test_serve_logs_each_request),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
