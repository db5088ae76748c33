/*
 * test_io_chapters.c -- the chapters about real I/O (10, 11, 12), checked
 * for what a real run makes certain.
 *
 * These chapters do real work -- threads, child processes, HTTP to the lab
 * server -- so they run on the real clock: the virtual clock stands still
 * while real work is out, and would show none of it.  Their times move a
 * little from run to run, so the byte-for-byte goldens of test_golden.c
 * cannot hold them.  What a run does fix, and what this test holds:
 *
 *   report    the --json report with every real number masked ("<real>"):
 *             its structure, and every count in it -- sections, tasks,
 *             outcomes, peaks, and the chapter's own counts
 *             (server_peak_open, the failures the server's coin promised,
 *             health checks started...).  The chapter's parameters are
 *             kept as they are.  A few of the masked measurements are then
 *             held to lower bounds here (the blocked tickers' longest gap
 *             is at least the blocking call): real work never ends early,
 *             so these cannot fail by chance.  No upper bound on a real
 *             duration: a loaded machine makes anything slower.  What the
 *             chapter speeds up (reading pages ahead) is measured again on
 *             the virtual clock, where the times are exact.
 *   timeline  the timeline's shape, as scripts/update-lessons.py compares
 *             the lessons' real-clock blocks: every number masked, every
 *             lane reduced to its task's name -- the sections, the lanes in
 *             order, the outcomes listed, the slow steps named.
 *   twin      the Python twin against the C program, both with --clock
 *             virtual (the Python one is chapters/awaitlab_clock.py) and
 *             both talking to one lab server: per section, the same tasks
 *             started and the same outcomes.  Order within a section is
 *             left out, and so are the names of failed tasks: which thread
 *             or request finishes first, and which request meets the flaky
 *             route's 500, depend on real threads and on the order requests
 *             arrive in.  (Both clocks stand still while real work is out,
 *             so no timeout races a request: the outcomes are certain.)
 *   clock     the twins' virtual clock counts a thread's job until its
 *             result is queued (tests/chapters/virtual_clock_checks.py).
 *
 * The masked forms are kept in tests/chapters/golden/NN_*.masked.json and
 * .masked.txt.  When a change is intended, rewrite them and review them:
 *
 *     UPDATE_GOLDEN=1 build/tests/chapters/test_io_chapters build
 *
 * Usage, from the repository root:  build/tests/chapters/test_io_chapters build
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "command.h"

#define GOLDEN_DIR "tests/chapters/golden"

static const char *build_dir = "build";

/* ----------------------------------------------------------------------- */
/* Files and differences                                                     */
/* ----------------------------------------------------------------------- */

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    char chunk[4096];
    size_t got;
    while (out && (got = fread(chunk, 1, sizeof chunk, f)) > 0)
        fwrite(chunk, 1, got, out);
    if (out)
        fclose(out);
    fclose(f);
    return text;
}

static bool write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return false;
    bool ok = fputs(text, f) >= 0;
    return fclose(f) == 0 && ok;
}

/* Compares `now` with the golden file `name`, or rewrites it (UPDATE_GOLDEN=1). */
static void check_golden(const char *name, const char *now, const char *what)
{
    char *path = format_string("%s/%s", GOLDEN_DIR, name);
    const char *update = getenv("UPDATE_GOLDEN");
    if (update && strcmp(update, "1") == 0) {
        if (!write_file(path, now))
            fail_msg("cannot write %s (run from the repository root)", path);
        print_message("rewrote %s\n", path);
        free(path);
        return;
    }
    char *before = read_file(path);
    if (!before)
        fail_msg("%s is missing: create it with UPDATE_GOLDEN=1 "
                 "build/tests/chapters/test_io_chapters build", path);
    if (strcmp(before, now) != 0) {
        char now_path[] = "/tmp/awaitlab-io-golden-XXXXXX";
        int fd = mkstemp(now_path);
        if (fd >= 0) {
            close(fd);
            int status;
            char *command = format_string("diff -u --label '%s' --label 'now' '%s' '%s'", path,
                                          path, now_path);
            char *diff = write_file(now_path, now) ? command_output(command, &status) : NULL;
            fflush(stdout);
            if (diff)
                fprintf(stderr, "%s\n", diff);
            free(diff);
            free(command);
            unlink(now_path);
        }
        fail_msg("%s no longer matches %s (diff above). If the change is intended: "
                 "UPDATE_GOLDEN=1 build/tests/chapters/test_io_chapters build", what, path);
    }
    free(before);
    free(path);
}

/* What `awaitlab ARGS` prints; fails the test unless it exits with 0. */
static char *awaitlab(const char *args)
{
    char *command = format_string("'%s/awaitlab' %s", build_dir, args);
    int status;
    char *out = command_output(command, &status);
    if (!out)
        fail_msg("could not run `%s`", command);
    if (status != 0)
        fail_msg("`%s` exited with status %d (its messages are above)", command, status);
    free(command);
    return out;
}

/* ----------------------------------------------------------------------- */
/* The report                                                                */
/* ----------------------------------------------------------------------- */

/*
 * Replaces every real number under `value` by the string "<real>", and so
 * every count of slow steps: debug mode counts the steps that held the loop
 * for 0.1 s of real time, and a busy machine can make any step that slow.
 */
static json_t *mask_reals(json_t *value)
{
    if (json_is_real(value))
        return json_string("<real>");
    if (json_is_object(value)) {
        const char *key;
        json_t *member;
        json_object_foreach(value, key, member)
            json_object_set_new(value, key,
                                strcmp(key, "slow_steps") == 0 ? json_string("<real>")
                                                               : mask_reals(member));
    } else if (json_is_array(value)) {
        for (size_t i = 0; i < json_array_size(value); i++)
            json_array_set_new(value, i, mask_reals(json_array_get(value, i)));
    }
    return json_incref(value);
}

/* The section of a report named `name`; fails the test if there is none. */
static json_t *section(json_t *report, const char *name)
{
    size_t i;
    json_t *s;
    json_array_foreach(json_object_get(report, "sections"), i, s)
        if (strcmp(json_string_value(json_object_get(s, "name")), name) == 0)
            return s;
    fail_msg("the report has no section '%s'", name);
    return NULL;
}

static double value_of(json_t *report, const char *section_name, const char *key)
{
    json_t *v = json_object_get(json_object_get(section(report, section_name), "values"), key);
    if (!json_is_number(v))
        fail_msg("section %s has no value %s", section_name, key);
    return json_number_value(v);
}

/*
 * Runs `awaitlab ARGS` (a --json run), compares its masked report with the
 * golden file, and returns the report itself for further checks.
 */
static json_t *check_report(const char *args, const char *golden)
{
    char *out = awaitlab(args);
    json_error_t error;
    json_t *report = json_loads(out, 0, &error);
    if (!report)
        fail_msg("`awaitlab %s` did not print JSON: %s", args, error.text);
    json_t *masked = json_deep_copy(report);
    json_t *params = json_deep_copy(json_object_get(report, "params"));
    json_decref(mask_reals(masked));
    json_object_set_new(masked, "params", params); /* the flags, as given */
    char *text =
        json_dumps(masked, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
    char *with_newline = format_string("%s\n", text);
    check_golden(golden, with_newline, args);
    free(with_newline);
    free(text);
    json_decref(masked);
    free(out);
    return report;
}

static void test_report_10(void **state)
{
    (void)state;
    json_t *r = check_report("run 10 --json", "10_default.masked.json");
    double block = json_number_value(json_object_get(json_object_get(r, "params"), "block"));
    /* Blocked, the tickers waited the whole call, and debug mode saw the
     * blocking step hold the loop that long.  (On a thread they keep
     * ticking, and no step is slow, but "about a tick" and "under 0.1 s" are
     * real durations a loaded machine can stretch: not tested.) */
    assert_true(value_of(r, "blocking", "longest_gap_s") >= 0.95 * block);
    assert_true(value_of(r, "blocking", "slow_steps") >= 1);
    assert_true(value_of(r, "blocking", "held_s") >= 0.95 * block);
    /* The thread outlived its cancelled task by about block - cancel-after. */
    assert_true(value_of(r, "cancel", "thread_finished_at_s") >= 0.95 * block);
    json_decref(r);
}

static void test_report_11(void **state)
{
    (void)state;
    json_t *r = check_report("run 11 --json", "11_default.masked.json");
    json_t *params = json_object_get(r, "params");
    long limit = (long)json_integer_value(json_object_get(params, "limit"));
    /* The semaphore's limit, seen from the server's side. */
    assert_int_equal((long)value_of(r, "fanout", "server_peak_open"), limit);
    assert_true(value_of(r, "fanout", "connections_opened") <= limit);
    /* The flaky route's coin is reproducible: the count is known in advance. */
    assert_int_equal((long)value_of(r, "failures", "failed"),
                     (long)value_of(r, "failures", "expected_failed"));
    json_decref(r);
}

static void test_report_12(void **state)
{
    (void)state;
    json_t *r = check_report("run 12 --json", "12_default.masked.json");
    assert_int_equal((long)value_of(r, "periodic", "cleanups"), 2);
    /* At most `ahead` pages in flight, and the items in their order. */
    long ahead = (long)json_integer_value(json_object_get(json_object_get(r, "params"), "ahead"));
    assert_true(value_of(r, "prefetch", "most_pages_in_flight") <= ahead);
    assert_true(json_is_true(json_object_get(
        json_object_get(section(r, "prefetch"), "values"), "in_order")));
    json_decref(r);
}

/* Reading ahead hides the page requests' latency behind the work: timed on
 * the virtual clock, where the latency and the work are exact sleeps. */
static void test_prefetch_is_faster_12(void **state)
{
    (void)state;
    char *out = awaitlab("run 12 --clock virtual --json");
    json_t *r = json_loads(out, 0, NULL);
    if (!r)
        fail_msg("`awaitlab run 12 --clock virtual --json` did not print JSON");
    double one_by_one = json_number_value(json_object_get(section(r, "pages"), "elapsed_s"));
    double ahead_s = json_number_value(json_object_get(section(r, "prefetch"), "elapsed_s"));
    assert_true(ahead_s < one_by_one * 0.75);
    json_decref(r);
    free(out);
}

/* ----------------------------------------------------------------------- */
/* The timeline's shape                                                      */
/* ----------------------------------------------------------------------- */

enum { NAME_FIELD = 15 }; /* a lane: the task's name in 15 columns, then its row */

static bool is_lane(const char *line, size_t len)
{
    if (len <= NAME_FIELD || line[NAME_FIELD - 1] != ' ')
        return false;
    for (size_t i = NAME_FIELD; i < len; i++)
        if (!strchr("#=-.:oxc ", line[i]))
            return false;
    return true;
}

/*
 * Appends `line` with every number ("7", "0.25") as "#", and runs of blanks
 * as one space, none at either end.
 */
static void append_masked(FILE *out, const char *line, size_t len)
{
    bool blank = false, started = false;
    for (size_t i = 0; i < len; i++) {
        if (line[i] == ' ') {
            blank = started;
            continue;
        }
        if (blank)
            fputc(' ', out);
        blank = false;
        started = true;
        if (isdigit((unsigned char)line[i])) {
            while (i + 1 < len && isdigit((unsigned char)line[i + 1]))
                i++;
            if (i + 2 < len && line[i + 1] == '.' && isdigit((unsigned char)line[i + 2]))
                for (i += 2; i + 1 < len && isdigit((unsigned char)line[i + 1]);)
                    i++;
            fputc('#', out);
        } else {
            fputc(line[i], out);
        }
    }
    fputc('\n', out);
}

/*
 * The shape of a timeline: the same rules as update-lessons.py's shape(),
 * less the lines about steps that held the loop: debug mode finds them on
 * the real clock, and a busy machine can make any step slow.  (test_report_10
 * checks the one slow step that is certain.)
 */
static char *timeline_shape(const char *text)
{
    char *shape = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&shape, &size);
    assert_non_null(out);
    for (const char *line = text; *line;) {
        size_t len = strcspn(line, "\n");
        if (memmem(line, len, "held the loop", 13)) {
            /* left out: see above */
        } else if (strncmp(line, "seconds ", 8) == 0) {
            fputs("seconds\n", out);
        } else if (is_lane(line, len)) {
            size_t name = NAME_FIELD;
            while (name > 0 && line[name - 1] == ' ')
                name--;
            fprintf(out, "%.*s\n", (int)name, line);
        } else {
            append_masked(out, line, len);
        }
        line += len + (line[len] == '\n');
    }
    fclose(out);
    return shape;
}

static void check_timeline(const char *args, const char *golden)
{
    char *out = awaitlab(args);
    char *shape = timeline_shape(out);
    check_golden(golden, shape, args);
    free(shape);
    free(out);
}

static void test_timeline_10(void **state)
{
    (void)state;
    check_timeline("run 10 --timeline", "10_timeline.masked.txt");
}

static void test_timeline_11(void **state)
{
    (void)state;
    check_timeline("run 11 --n 12 --limit 3 --timeline", "11_timeline.masked.txt");
}

static void test_timeline_12(void **state)
{
    (void)state;
    check_timeline("run 12 --size 25 --watch 0.5 --timeline", "12_timeline.masked.txt");
}

/* ----------------------------------------------------------------------- */
/* The twins                                                                 */
/* ----------------------------------------------------------------------- */

static struct {
    pid_t pid;
    char url[64];
} server;

/* Starts `awaitlab serve --port 0` and reads its URL from its first line. */
static int start_server(void **state)
{
    (void)state;
    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    char *program = format_string("%s/awaitlab", build_dir);
    fflush(NULL);
    server.pid = fork();
    if (server.pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        close(fds[0]);
        close(fds[1]);
        execl(program, program, "serve", "--port", "0", (char *)NULL);
        _exit(127);
    }
    free(program);
    close(fds[1]);
    FILE *out = fdopen(fds[0], "r");
    char line[160] = "";
    if (!out || !fgets(line, sizeof line, out) ||
        sscanf(line, "awaitlab lab server: %63s", server.url) != 1) {
        fprintf(stderr, "test_io_chapters: `awaitlab serve` did not start (it said: %s)\n",
                line);
        return -1;
    }
    fclose(out); /* the rest of what it prints goes nowhere: it prints no more */
    return 0;
}

static int stop_server(void **state)
{
    (void)state;
    if (server.pid > 0) {
        kill(server.pid, SIGTERM);
        waitpid(server.pid, NULL, 0);
    }
    return 0;
}

static int by_text(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * A --log as its sections, each the sorted list of its starts and ends;
 * an end keeps its outcome and (masked) message, not its task's name.
 */
static char *twin_shape(const char *log)
{
    char *shape = NULL, *lines[4096];
    size_t size = 0, count = 0;
    FILE *out = open_memstream(&shape, &size);
    assert_non_null(out);
    for (const char *line = log;; line += strcspn(line, "\n") + 1) {
        size_t len = strcspn(line, "\n");
        const char *text = memchr(line, ' ', len); /* after the time */
        bool section = text && strncmp(text + 1, "section", 7) == 0;
        if (!*line || section) {
            qsort(lines, count, sizeof *lines, by_text);
            for (size_t i = 0; i < count; i++) {
                fputs(lines[i], out);
                free(lines[i]);
            }
            count = 0;
            if (!*line)
                break;
            fprintf(out, "%.*s\n", (int)(len - (size_t)(text + 1 - line)), text + 1);
            continue;
        }
        if (!text || count == sizeof lines / sizeof *lines)
            continue;
        char *entry = NULL;
        size_t entry_size = 0;
        FILE *e = open_memstream(&entry, &entry_size);
        size_t rest = len - (size_t)(text + 1 - line);
        if (strncmp(text + 1, "end ", 4) == 0) {
            const char *outcome = memchr(text + 5, ' ', rest - 4); /* after the name */
            fputs("end ", e);
            if (outcome)
                append_masked(e, outcome, (size_t)(line + len - outcome));
            else
                fputc('\n', e);
        } else {
            fprintf(e, "%.*s\n", (int)rest, text + 1);
        }
        fclose(e);
        lines[count++] = entry;
    }
    fclose(out);
    return shape;
}

/*
 * Runs chapter `program` (e.g. "11_http_fanout") in C and in Python with
 * --clock virtual --log and the same flags, and wants the same shape from
 * both.
 */
static void check_twins(const char *program, const char *flags)
{
    if (python_version() < 311)
        fail_msg("python3 3.11 or newer is needed for the twins (asyncio.timeout)");
    char *c = format_string("'%s/chapters/%s' --clock virtual --log %s", build_dir, program,
                            flags);
    char *py = format_string("python3 'chapters/%s.py' --clock virtual --log %s", program, flags);
    int status;
    char *c_log = command_output(c, &status);
    if (!c_log || status != 0)
        fail_msg("`%s` failed (status %d)", c, status);
    char *py_log = command_output(py, &status);
    if (!py_log || status != 0)
        fail_msg("`%s` failed (status %d)", py, status);
    char *c_shape = twin_shape(c_log), *py_shape = twin_shape(py_log);
    if (strcmp(c_shape, py_shape) != 0) {
        fflush(stdout);
        fprintf(stderr, "C:      %s\n%s\nPython: %s\n%s\n", c, c_shape, py, py_shape);
        fail_msg("%s: the twins started other tasks, or ended them otherwise", program);
    }
    free(c_shape);
    free(py_shape);
    free(c_log);
    free(py_log);
    free(c);
    free(py);
}

static void test_twins_10(void **state)
{
    (void)state;
    check_twins("10_offloading", "--primes 1000"); /* no server: no --base-url */
}

static void test_twins_11(void **state)
{
    (void)state;
    char *flags = format_string("--base-url %s --n 12 --limit 3", server.url);
    check_twins("11_http_fanout", flags);
    free(flags);
}

static void test_twins_12(void **state)
{
    (void)state;
    char *flags = format_string("--base-url %s --size 25 --watch 0.5", server.url);
    check_twins("12_periodic_and_pages", flags);
    free(flags);
}

/*
 * The twins' virtual clock keeps a to_thread() job counted as real work
 * until its result is queued; tests/chapters/virtual_clock_checks.py
 * completes the job by hand, so the order is checked without a race.
 */
static void test_virtual_clock_counts_a_job_until_its_result_is_queued(void **state)
{
    (void)state;
    int status;
    char *said = command_output("python3 tests/chapters/virtual_clock_checks.py 2>&1", &status);
    if (!said || status != 0)
        fail_msg("%s", said ? said : "python3 tests/chapters/virtual_clock_checks.py did not run");
    free(said);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        build_dir = argv[1];
    /* The same runs whatever the caller's environment says. */
    unsetenv("AWAITLAB_CLOCK");
    unsetenv("AWAITLAB_TRACE");
    unsetenv("AWAITLAB_DEBUG");
    setenv("PYTHONDONTWRITEBYTECODE", "1", 1);

    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_report_10),
        cmocka_unit_test(test_report_11),
        cmocka_unit_test(test_report_12),
        cmocka_unit_test(test_prefetch_is_faster_12),
        cmocka_unit_test(test_timeline_10),
        cmocka_unit_test(test_timeline_11),
        cmocka_unit_test(test_timeline_12),
        cmocka_unit_test(test_twins_10),
        cmocka_unit_test(test_twins_11),
        cmocka_unit_test(test_twins_12),
        cmocka_unit_test(test_virtual_clock_counts_a_job_until_its_result_is_queued),
    };
    return cmocka_run_group_tests_name("io_chapters", tests, start_server, stop_server);
}
