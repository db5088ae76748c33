/*
 * test_flags.c -- numbers on the command line, and every chapter at the
 * edges of its flags.
 *
 *   numbers   a number is a plain decimal (common/number.h): "nan", "inf",
 *             "0x10", "1e1", " 5" and "5 " are refused with a usage error
 *             (exit 2) by chapter flags and by the command's own (--speed,
 *             --width); "2", "0.5" and ".5" are taken.
 *   bounds    each chapter, 01 to 12, runs in virtual time once per numeric
 *             flag and per edge of its range (its minimum, its maximum, and
 *             0 when that lies between), read from the chapter's --describe.
 *             Each run must end within a time limit, by itself, with status
 *             0 or 1; a hang, a crash or a refused bound fails the test and
 *             names the chapter and the flag.
 *   silence   the HTTP chapters (11, 12) pointed at a server that accepts
 *             connections and never answers fail with a timeout, with
 *             their default settings too (--request-timeout, 10 s), rather
 *             than wait for the session's own 300 s.
 *
 * Usage, from the repository root:  build/tests/chapters/test_flags build [TEST-PATTERN]
 * (a pattern such as '*plain*' runs only the tests whose names match it).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <jansson.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "command.h"

static const char *build_dir = "build";

/* ----------------------------------------------------------------------- */
/* Numbers                                                                   */
/* ----------------------------------------------------------------------- */

static const char *const not_numbers[] = {"nan", "NaN", "inf", "-inf", "infinity", "0x10",
                                          "1e1", " 5", "5 ", "", "1,5", "--1", ".", NULL};

/* Runs `awaitlab ARGS` (or a chapter program) with 2>&1; its status and output. */
static int run_quietly(const char *command, char **output)
{
    char *with_stderr = format_string("%s 2>&1 </dev/null", command);
    int status;
    *output = command_output(with_stderr, &status);
    assert_non_null(*output);
    free(with_stderr);
    return status;
}

/* `command` with the flag's value `value` must fail as a usage error naming it. */
static void want_refused(const char *command_format, const char *value)
{
    char *command = format_string(command_format, build_dir, value);
    char *output;
    int status = run_quietly(command, &output);
    if (status != 2 || !strstr(output, value))
        fail_msg("`%s`: status %d, wanted 2 and a message naming '%s'; it said: %s", command,
                 status, value, output);
    free(output);
    free(command);
}

static void want_taken(const char *command_format, const char *value)
{
    char *command = format_string(command_format, build_dir, value);
    char *output;
    int status = run_quietly(command, &output);
    if (status != 0)
        fail_msg("`%s`: status %d, wanted 0; it said: %s", command, status, output);
    free(output);
    free(command);
}

static void test_chapter_flags_take_plain_decimals_only(void **state)
{
    (void)state;
    const char *seconds = "'%s/chapters/01_sequential_vs_gather' --clock virtual --n 2 --delay '%s'";
    const char *whole = "'%s/chapters/01_sequential_vs_gather' --clock virtual --n '%s'";
    const char *rate = "'%s/chapters/02_return_exceptions' --clock virtual --n 2 --fail-rate '%s'";
    for (const char *const *v = not_numbers; *v; v++) {
        want_refused(seconds, *v);
        want_refused(whole, *v);
        want_refused(rate, *v);
    }
    want_taken(seconds, "0.5");
    want_taken(seconds, ".5");
    want_taken(whole, "2");
    want_taken(rate, "0.25");
}

static void test_view_speed_takes_plain_decimals_only(void **state)
{
    (void)state;
    /* NaN passed `v < 0.1 || v > 10` once: every comparison with it is false. */
    for (const char *const *v = not_numbers; *v; v++)
        want_refused("'%s/awaitlab' view 03 --clock virtual --speed '%s'", *v);
    want_refused("'%s/awaitlab' view 03 --clock virtual --speed '%s'", "0.05");
}

static void test_run_width_takes_plain_decimals_only(void **state)
{
    (void)state;
    const char *width = "'%s/awaitlab' run 01 --clock virtual --n 2 --timeline --width '%s'";
    for (const char *const *v = not_numbers; *v; v++)
        want_refused(width, *v);
    want_refused(width, " 40"); /* in range, but strtol() alone takes the space */
    want_refused(width, "+40");
    want_taken(width, "40");
}

/* ----------------------------------------------------------------------- */
/* Every chapter at the edges of its flags                                   */
/* ----------------------------------------------------------------------- */

/*
 * How long one run may take before it counts as hung.  No run here needs
 * more than a few seconds (the real-clock parts: chapter 10's blocking
 * calls and child processes, the HTTP chapters' lab server); the limit is
 * a guard against hangs, generous for a loaded machine or a sanitizer
 * build, never a measurement.
 */
enum { RUN_LIMIT_S = 120, PARALLEL_RUNS = 4, SANITIZER_EXIT = 86 };

typedef struct bound_run {
    char *chapter;   /* "10_offloading" */
    char *flag;      /* "cancel-after"  */
    char value[40];  /* "0"             */
    pid_t pid;
    struct timespec started;
} bound_run;

/* The shortest plain decimal that reads back as v. */
static void format_plain(double v, char *out, size_t size)
{
    for (int digits = 6; digits <= 17; digits++) {
        snprintf(out, size, "%.*f", digits, v);
        /* trim trailing zeros and a bare point */
        char *end = out + strlen(out) - 1;
        while (end > out && *end == '0')
            *end-- = '\0';
        if (*end == '.')
            *end = '\0';
        if (strtod(out, NULL) == v)
            return;
    }
}

static json_t *describe(const char *program)
{
    char *command = format_string("'%s' --describe", program);
    int status;
    char *out = command_output(command, &status);
    assert_non_null(out);
    json_error_t error;
    json_t *d = json_loads(out, 0, &error);
    if (status != 0 || !d)
        fail_msg("`%s` did not describe itself (status %d)", command, status);
    free(out);
    free(command);
    return d;
}

/* Every (chapter, flag, edge) to run, in a malloc'd array; its length in *count. */
static bound_run *list_runs(size_t *count)
{
    char *pattern = format_string("%s/chapters/[0-9][0-9]_*", build_dir);
    glob_t found;
    assert_int_equal(glob(pattern, 0, NULL, &found), 0);
    assert_int_equal(found.gl_pathc, 12); /* chapters 01 to 12 */
    size_t capacity = 256;
    bound_run *runs = calloc(capacity, sizeof *runs);
    assert_non_null(runs);
    *count = 0;
    for (size_t c = 0; c < found.gl_pathc; c++) {
        json_t *d = describe(found.gl_pathv[c]);
        size_t i;
        json_t *p;
        json_array_foreach(json_object_get(d, "params"), i, p) {
            json_t *min = json_object_get(p, "min"), *max = json_object_get(p, "max");
            if (!min || !max)
                continue; /* a string flag, such as --base-url */
            double edges[3] = {json_number_value(min), json_number_value(max), 0};
            int n_edges = edges[2] > edges[0] && edges[2] < edges[1] ? 3 : 2;
            for (int e = 0; e < n_edges; e++) {
                if (e == 1 && edges[1] == edges[0])
                    continue;
                assert_true(*count < capacity);
                bound_run *r = &runs[(*count)++];
                r->chapter = strdup(strrchr(found.gl_pathv[c], '/') + 1);
                r->flag = strdup(json_string_value(json_object_get(p, "name")));
                format_plain(edges[e], r->value, sizeof r->value);
            }
        }
        json_decref(d);
    }
    globfree(&found);
    free(pattern);
    return runs;
}

/* Starts one run in a process group of its own, so a hang can be killed whole. */
static void start_run(bound_run *r)
{
    char *program = format_string("%s/chapters/%s", build_dir, r->chapter);
    char *flag = format_string("--%s", r->flag);
    clock_gettime(CLOCK_MONOTONIC, &r->started);
    r->pid = fork();
    assert_true(r->pid >= 0);
    if (r->pid == 0) {
        setpgid(0, 0);
        /* A sanitizer's report must not pass for the chapter's own exit 1. */
        for (const char *const *v = (const char *const[]){"ASAN_OPTIONS", "UBSAN_OPTIONS", NULL};
             *v; v++) {
            char *options = format_string("%s:exitcode=%d", getenv(*v) ? getenv(*v) : "",
                                          SANITIZER_EXIT);
            setenv(*v, options, 1);
        }
        int null = open("/dev/null", O_RDWR);
        dup2(null, STDIN_FILENO);
        dup2(null, STDOUT_FILENO);
        dup2(null, STDERR_FILENO);
        execl(program, program, "--clock", "virtual", "--json", flag, r->value, (char *)NULL);
        _exit(127);
    }
    setpgid(r->pid, r->pid);
    free(flag);
    free(program);
}

static double seconds_since(const struct timespec *t)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) * 1e-9;
}

/* Appends to `failures` what went wrong with a finished run, if anything. */
static void judge(const bound_run *r, int status, FILE *failures)
{
    const char *what = NULL;
    char detail[64] = "";
    if (WIFSIGNALED(status)) {
        what = "crashed";
        snprintf(detail, sizeof detail, " (%s)", strsignal(WTERMSIG(status)));
    } else if (WEXITSTATUS(status) == 2) {
        what = "refused its own bound";
    } else if (WEXITSTATUS(status) == SANITIZER_EXIT) {
        what = "failed a sanitizer's check";
    } else if (WEXITSTATUS(status) > 1) {
        what = "failed";
        snprintf(detail, sizeof detail, " (exit status %d)", WEXITSTATUS(status));
    }
    if (what)
        fprintf(failures, "  chapter %s --%s %s: %s%s\n", r->chapter, r->flag, r->value,
                what, detail);
}

/*
 * Runs them PARALLEL_RUNS at a time (most of a run is waiting on real
 * time or a child), killing any that passes RUN_LIMIT_S.
 */
static void test_every_flag_bound_terminates(void **state)
{
    (void)state;
    size_t count;
    bound_run *runs = list_runs(&count);
    char *report = NULL;
    size_t report_size = 0;
    FILE *failures = open_memstream(&report, &report_size);
    size_t next = 0, running = 0;
    while (next < count || running > 0) {
        while (running < PARALLEL_RUNS && next < count) {
            start_run(&runs[next++]);
            running++;
        }
        int status;
        pid_t pid = waitpid(-1, &status, WNOHANG);
        for (size_t i = 0; i < next; i++) {
            bound_run *r = &runs[i];
            if (r->pid <= 0)
                continue;
            if (pid == r->pid) {
                judge(r, status, failures);
            } else if (seconds_since(&r->started) > RUN_LIMIT_S) {
                kill(-r->pid, SIGKILL);
                waitpid(r->pid, &status, 0);
                fprintf(failures, "  chapter %s --%s %s: did not end within %d s\n",
                        r->chapter, r->flag, r->value, RUN_LIMIT_S);
            } else {
                continue;
            }
            r->pid = 0;
            running--;
        }
        if (pid <= 0)
            usleep(20000);
    }
    fclose(failures);
    for (size_t i = 0; i < count; i++) {
        free(runs[i].chapter);
        free(runs[i].flag);
    }
    free(runs);
    if (report_size > 0) {
        fprintf(stderr, "%zu runs at the edges of the chapters' flags; these went wrong:\n%s",
                count, report);
        free(report);
        fail_msg("a chapter hung, crashed or refused a bound of its own flags");
    }
    free(report);
}

/* ----------------------------------------------------------------------- */
/* A silent server                                                           */
/* ----------------------------------------------------------------------- */

/*
 * A listening socket on 127.0.0.1 that nobody accepts on: the kernel
 * completes the connections (up to the backlog), and no byte ever comes
 * back.  Returns the socket; its port in *port.
 */
static int silent_server(int *port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof addr;
    assert_true(fd >= 0);
    assert_int_equal(bind(fd, (struct sockaddr *)&addr, sizeof addr), 0);
    assert_int_equal(listen(fd, 128), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&addr, &len), 0);
    *port = ntohs(addr.sin_port);
    return fd;
}

/* `flags` after the chapter's own; wants exit 1 and a timeout in the message. */
static void want_timeout(const char *chapter, const char *flags)
{
    int port;
    int fd = silent_server(&port);
    /* timeout(1) is the hang guard: 60 s, far above the 10 s default. */
    char *command = format_string("timeout -s KILL 60 '%s/chapters/%s' --clock virtual "
                                  "--base-url http://127.0.0.1:%d %s",
                                  build_dir, chapter, port, flags);
    char *output;
    int status = run_quietly(command, &output);
    close(fd);
    if (status != 1 || !strstr(output, "timed out"))
        fail_msg("`%s`: status %d, wanted 1 and a timeout; it said: %s", command, status,
                 output);
    free(output);
    free(command);
}

static void test_http_chapters_give_up_on_a_silent_server(void **state)
{
    (void)state;
    want_timeout("11_http_fanout", "");
    want_timeout("12_periodic_and_pages", "--request-timeout 1");
}

int main(int argc, char **argv)
{
    if (argc > 1)
        build_dir = argv[1];
    if (argc > 2)
        cmocka_set_test_filter(argv[2]);
    unsetenv("AWAITLAB_CLOCK");
    unsetenv("AWAITLAB_TRACE");
    unsetenv("AWAITLAB_DEBUG");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chapter_flags_take_plain_decimals_only),
        cmocka_unit_test(test_view_speed_takes_plain_decimals_only),
        cmocka_unit_test(test_run_width_takes_plain_decimals_only),
        cmocka_unit_test(test_http_chapters_give_up_on_a_silent_server),
        cmocka_unit_test(test_every_flag_bound_terminates),
    };
    return cmocka_run_group_tests_name("flags", tests, NULL, NULL);
}
