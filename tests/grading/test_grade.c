/*
 * test_grade.c -- `awaitlab grade` on a fixture class, for real.
 *
 * The class is made fresh for each run of the test: `awaitlab init` makes a
 * workspace per student, and each gets its own version of the exercise
 * gather_fetches -- the solution, nothing, or one of the hostile files of
 * tests/grading/students/ and tests/checker/fixtures/ (a fork bomb, a
 * flood, an endless loop, a crash, a deadlock, a real blocking call,
 * attempts to read the solution, use the network or write outside).  The
 * class is graded in bubblewrap, and the test checks each student's score
 * and message, that nothing escaped, that every report parses, that -j1 and
 * -j2 give the same bytes, and that a run interrupted and resumed does too.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../chapters/command.h"

static const char *build_dir = "build";
static char home[PATH_MAX], awaitlab[PATH_MAX + 16], work[] = "/tmp/awaitlab-test-grade-XXXXXX";
static int listener = -1, listen_port;

static void shell(const char *format, ...) __attribute__((format(printf, 1, 2)));
static void shell(const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    char *command = NULL;
    assert_true(vasprintf(&command, format, ap) >= 0);
    va_end(ap);
    int status = system(command);
    if (status != 0)
        fail_msg("command failed (%d): %s", status, command);
    free(command);
}

/* Reads out_dir/name of the work directory. */
static char *read_text(const char *path);
static char *read_work_file(const char *format, const char *name)
{
    char *path = format_string(format, work, name);
    char *text = read_text(path);
    free(path);
    return text;
}

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    int c;
    while ((c = fgetc(f)) != EOF)
        fputc(c, out);
    fclose(out);
    fclose(f);
    return text;
}

/* Writes a fixture with the test's paths and port filled in. */
static void place(const char *student, const char *fixture)
{
    char *text = read_text(fixture);
    assert_non_null(text);
    char port[16];
    snprintf(port, sizeof port, "%d", listen_port);
    char *path = format_string("%s/class/%s/exercises/01_sequential_vs_gather/gather_fetches.c",
                               work, student);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    for (const char *p = text; *p;) {
        if (!strncmp(p, "AWAITLAB_TEST_HOME", 18)) {
            fputs(home, f);
            p += 18;
        } else if (!strncmp(p, "AWAITLAB_TEST_OUT", 17)) {
            fprintf(f, "%s/out-j1", work);
            p += 17;
        } else if (!strncmp(p, "AWAITLAB_TEST_PORT", 18)) {
            fputs(port, f);
            p += 18;
        } else {
            fputc(*p++, f);
        }
    }
    fclose(f);
    free(path);
    free(text);
}

static void student(const char *name, const char *fixture)
{
    shell("'%s' init '%s/class/%s' >/dev/null", awaitlab, work, name);
    if (fixture)
        place(name, fixture);
}

/* The fixture class: who is in it, and what each must score (hundredths). */
static const struct {
    const char *name, *fixture;
    long points;
    const char *status, *message; /* of gather_fetches */
} class_list[] = {
    {"perfect", NULL, 600, "passed", "all 4 cases passed"},
    {"partial", "solutions/01_sequential_vs_gather/gather_fetches.c", 200, "passed", "all 4"},
    {"blank", NULL, 0, "failed", "4 of 4 cases failed"},
    {"compile-error", "tests/checker/fixtures/syntax_error.c", 0, "compile-error", "does not compile"},
    {"crash", "tests/checker/fixtures/crash_null.c", 0, "sanitizer", "null pointer"},
    {"deadlock", "tests/checker/fixtures/deadlock.c", 0, "failed", "cases failed"},
    {"endless-loop", "tests/checker/fixtures/spin.c", 0, "cpu-limit", "endless loop"},
    {"flood", "tests/checker/fixtures/flood.c", 0, "output-limit", "printed more than"},
    {"real-sleep", "tests/checker/fixtures/real_block.c", 0, "time-limit", "still running"},
    {"fork-bomb", "tests/grading/students/fork_bomb.c", 0, NULL, NULL},
    {"read-solution", "tests/grading/students/read_solution.c", 0, "failed", "cases failed"},
    {"include-solution", "tests/grading/students/include_solution.c", 0, "compile-error",
     "does not compile"},
    {"socket", "tests/grading/students/open_socket.c", 0, "failed", "cases failed"},
    {"escape", "tests/grading/students/escape.c", 0, "failed", "cases failed"},
};
enum { CLASS_SIZE = sizeof class_list / sizeof class_list[0] };

static void make_class(void)
{
    shell("mkdir -p '%s/class'", work);
    for (size_t i = 0; i < CLASS_SIZE; i++)
        student(class_list[i].name, class_list[i].fixture);
    /* perfect: every graded exercise solved */
    shell("cp solutions/01_sequential_vs_gather/gather_fetches.c solutions/08_locks/lost_deposits.c "
          "solutions/08_locks/counter_exactly_one.txt '%s/class/perfect/exercises/'", work);
    shell("cd '%s/class/perfect/exercises' && mv gather_fetches.c 01_sequential_vs_gather/ && "
          "mv lost_deposits.c counter_exactly_one.txt 08_locks/", work);
    /* one student hands in an archive rather than a directory */
    shell("cd '%s/class' && tar -czf perfect-archived.tar.gz perfect", work);
}

static int grade(const char *out, const char *extra_flags)
{
    char *command = format_string(
        "'%s' grade '%s/class' --out '%s/%s' --weights tests/grading/weights.json "
        "--extra tests/grading/extra --time-limit 3 --cpu-limit 1 %s >/dev/null 2>&1",
        awaitlab, work, work, out, extra_flags);
    int status = system(command);
    free(command);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int setup(void **state)
{
    (void)state;
    assert_non_null(getcwd(home, sizeof home));
    snprintf(awaitlab, sizeof awaitlab, "%s/%s/awaitlab", home, build_dir);
    if (!mkdtemp(work))
        return -1;
    /* a port on this machine's loopback for the socket student to try */
    listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof addr;
    if (listener < 0 || bind(listener, (struct sockaddr *)&addr, sizeof addr) != 0 ||
        listen(listener, 8) != 0 || getsockname(listener, (struct sockaddr *)&addr, &len) != 0)
        return -1;
    listen_port = ntohs(addr.sin_port);
    unlink("/tmp/awaitlab-escaped");
    make_class();
    return grade("out-j1", "-j 1") == 0 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char *command = format_string("rm -rf '%s'", work);
    int ignored = system(command);
    (void)ignored;
    free(command);
    close(listener);
    return 0;
}

static json_t *student_json(const char *out, const char *name)
{
    char *path = format_string("%s/%s/students/%s.json", work, out, name);
    json_t *j = json_load_file(path, 0, NULL);
    free(path);
    return j;
}

static json_t *exercise_of(json_t *student, const char *name)
{
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(student, "exercises"), i, e)
        if (!strcmp(json_string_value(json_object_get(e, "name")), name))
            return e;
    return NULL;
}

/* ----------------------------------------------------------------------- */

static void each_student_gets_their_score_and_message(void **state)
{
    (void)state;
    for (size_t i = 0; i < CLASS_SIZE; i++) {
        json_t *s = student_json("out-j1", class_list[i].name);
        if (!s)
            fail_msg("no results for %s", class_list[i].name);
        long points = (long)json_integer_value(json_object_get(s, "points"));
        json_t *e = exercise_of(s, "gather_fetches");
        const char *status = json_string_value(json_object_get(e, "status"));
        const char *summary = json_string_value(json_object_get(e, "summary"));
        if (points != class_list[i].points ||
            (class_list[i].status && strcmp(status, class_list[i].status) != 0) ||
            (class_list[i].message && !strstr(summary, class_list[i].message)))
            fail_msg("%s: %ld points, %s: %s", class_list[i].name, points, status, summary);
        if (!class_list[i].status && !strcmp(status, "passed"))
            fail_msg("%s passed", class_list[i].name);
        json_decref(s);
    }
    json_t *archived = student_json("out-j1", "perfect-archived");
    assert_non_null(archived);
    assert_int_equal(json_integer_value(json_object_get(archived, "points")), 600);
    json_decref(archived);
}

static void nothing_escapes_the_sandbox(void **state)
{
    (void)state;
    assert_int_not_equal(access("/tmp/awaitlab-escaped", F_OK), 0);
    char *inside_home = format_string("%s/escaped", home);
    assert_int_not_equal(access(inside_home, F_OK), 0);
    free(inside_home);
    /* its own results are what grading wrote, not what it tried to write */
    json_t *s = student_json("out-j1", "escape");
    assert_int_equal(json_integer_value(json_object_get(s, "points")), 0);
    assert_true(json_array_size(json_object_get(s, "exercises")) == 3);
    json_decref(s);
    /* the socket got nowhere: no connection reached the listener */
    assert_int_equal(accept(listener, NULL, NULL), -1);
    char *feedback = read_work_file("%s/out-j1/feedback/%s.txt", "socket");
    assert_non_null(strstr(feedback, "no network"));
    free(feedback);
}

static void the_solutions_are_never_readable(void **state)
{
    (void)state;
    char *solution = read_text("solutions/01_sequential_vs_gather/gather_fetches.c");
    const char *secret = "Every task is spawned before any is awaited";
    assert_non_null(strstr(solution, secret));
    const char *who[] = {"read-solution", "include-solution"};
    for (int i = 0; i < 2; i++) {
        char *path = format_string("%s/out-j1/feedback/%s.txt", work, who[i]);
        char *feedback = read_text(path);
        assert_non_null(feedback);
        if (strstr(feedback, secret))
            fail_msg("%s saw the solution", who[i]);
        free(feedback);
        free(path);
    }
    free(solution);
}

static void instructor_checks_are_graded_and_hidden(void **state)
{
    (void)state;
    char *path = format_string("%s/out-j1/gradescope/perfect.json", work);
    json_t *results = json_load_file(path, 0, NULL);
    free(path);
    assert_non_null(results);
    size_t i, hidden = 0;
    json_t *t;
    json_array_foreach(json_object_get(results, "tests"), i, t) {
        const char *name, *status, *output, *visibility;
        double score, max;
        if (json_unpack(t, "{s:s, s:F, s:F, s:s, s:s, s:s}", "name", &name, "score", &score,
                        "max_score", &max, "status", &status, "output", &output, "visibility",
                        &visibility) != 0)
            fail_msg("test %zu of results.json lacks a field", i);
        if (strstr(name, "(instructor)")) {
            assert_string_equal(visibility, "after_published");
            hidden++;
        }
    }
    assert_int_equal(hidden, 1);
    assert_true(json_number_value(json_object_get(results, "score")) == 6.0);
    assert_true(json_number_value(json_object_get(results, "max_score")) == 6.0);
    json_decref(results);
}

static void gradebook_has_a_row_per_student(void **state)
{
    (void)state;
    char *csv = read_work_file("%s/out-j1/%s", "gradebook.csv");
    assert_non_null(csv);
    assert_true(!strncmp(csv, "student,gather_fetches,counter_exactly_one,lost_deposits,total,max\n", 66));
    assert_non_null(strstr(csv, "\nperfect,2.00,1.00,3.00,6.00,6.00\n"));
    assert_non_null(strstr(csv, "\npartial,2.00,0.00,0.00,2.00,6.00\n"));
    int rows = 0;
    for (const char *p = csv; (p = strchr(p, '\n')); p++)
        rows++;
    assert_int_equal(rows, CLASS_SIZE + 2); /* header + archived student */
    free(csv);
}

static void junit_parses(void **state)
{
    (void)state;
    int status;
    char *command = format_string(
        "python3 -c 'import sys, xml.etree.ElementTree as ET\n"
        "root = ET.parse(sys.argv[1]).getroot()\n"
        "assert root.tag == \"testsuites\"\n"
        "suites = root.findall(\"testsuite\")\n"
        "cases = root.findall(\"testsuite/testcase\")\n"
        "bad = [c for c in cases if c.find(\"failure\") is not None or c.find(\"error\") is not None]\n"
        "assert int(root.get(\"tests\")) == len(cases)\n"
        "assert int(root.get(\"failures\")) + int(root.get(\"errors\")) == len(bad)\n"
        "print(len(suites), len(cases), len(bad))' '%s/out-j1/junit.xml'", work);
    char *out = command_output(command, &status);
    free(command);
    assert_int_equal(status, 0);
    int suites = 0, cases = 0, bad = 0;
    assert_int_equal(sscanf(out, "%d %d %d", &suites, &cases, &bad), 3);
    assert_int_equal(suites, CLASS_SIZE + 1);
    assert_true(bad > 0 && bad < cases);
    free(out);
}

/*
 * A TAP 14 reader, as much of the specification as the report uses: the
 * version line, one plan, numbered test points in order, subtests indented
 * four spaces with their own plan, YAML blocks between "---" and "...".
 * Returns the number of top-level test points, or -1 (with a message).
 */
static int read_tap(const char *text, int *failed)
{
    if (strncmp(text, "TAP version 14\n", 15) != 0)
        return -1;
    int plan = -1, next = 1, sub_plan = -1, sub_next = 1;
    bool in_yaml = false;
    *failed = 0;
    for (const char *line = text + 15; *line;) {
        size_t n = strcspn(line, "\n");
        char buf[1024];
        snprintf(buf, sizeof buf, "%.*s", (int)n, line);
        line += n + (line[n] ? 1 : 0);
        if (in_yaml) {
            in_yaml = strcmp(buf, "      ...") != 0;
            continue;
        }
        int count, id;
        if (!strcmp(buf, "      ---")) {
            in_yaml = true;
        } else if (!strncmp(buf, "# Subtest: ", 11)) {
            sub_plan = -1;
            sub_next = 1;
        } else if (sscanf(buf, "    1..%d", &count) == 1 && !strncmp(buf, "    1..", 7)) {
            if (sub_plan != -1)
                return -1;
            sub_plan = count;
        } else if (!strncmp(buf, "    ", 4) && (sscanf(buf + 4, "ok %d", &id) == 1 ||
                                                 sscanf(buf + 4, "not ok %d", &id) == 1)) {
            if (id != sub_next++)
                return -1;
        } else if (buf[0] != ' ' && sscanf(buf, "1..%d", &count) == 1) {
            if (plan != -1)
                return -1;
            plan = count;
        } else if (buf[0] != ' ' &&
                   (sscanf(buf, "ok %d", &id) == 1 || sscanf(buf, "not ok %d", &id) == 1)) {
            if (id != next++ || sub_plan != sub_next - 1)
                return -1; /* a subtest must end with as many points as it planned */
            *failed += buf[0] == 'n';
        } else {
            return -1;
        }
    }
    return plan == next - 1 ? plan : -1;
}

static void tap_parses(void **state)
{
    (void)state;
    char *tap = read_work_file("%s/out-j1/%s", "results.tap");
    assert_non_null(tap);
    int failed;
    assert_int_equal(read_tap(tap, &failed), CLASS_SIZE + 1);
    assert_int_equal(failed, CLASS_SIZE - 1); /* all but the two perfect ones */
    free(tap);
}

/* Every report, byte for byte. */
static void same_reports(const char *a, const char *b)
{
    int status;
    char *command = format_string("diff -r '%s/%s' '%s/%s' -x .work", work, a, work, b);
    char *out = command_output(command, &status);
    if (status != 0)
        fail_msg("%s and %s differ:\n%.2000s", a, b, out);
    free(out);
    free(command);
}

static void parallel_grading_gives_the_same_bytes(void **state)
{
    (void)state;
    assert_int_equal(grade("out-j2", "-j 2"), 0);
    same_reports("out-j1", "out-j2");
}

static void an_interrupted_run_resumes_to_the_same_bytes(void **state)
{
    (void)state;
    char *out = format_string("%s/out-resume", work);
    pid_t pid = fork();
    if (pid == 0) {
        char *command = format_string(
            "exec '%s' grade '%s/class' --out '%s' --weights tests/grading/weights.json "
            "--extra tests/grading/extra --time-limit 3 --cpu-limit 1 -j 1 >/dev/null 2>&1",
            awaitlab, work, out);
        execl("/bin/sh", "sh", "-c", command, (char *)NULL);
        _exit(127);
    }
    /* interrupt it once the first students are saved */
    char *first = format_string("%s/students/compile-error.json", out);
    for (int i = 0; i < 600 && access(first, F_OK) != 0; i++)
        usleep(50 * 1000);
    kill(pid, SIGINT);
    int status;
    waitpid(pid, &status, 0);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 130);
    char *last = format_string("%s/students/socket.json", out);
    assert_int_not_equal(access(last, F_OK), 0); /* it really stopped early */
    assert_int_equal(grade("out-resume", "--resume"), 0);
    same_reports("out-j1", "out-resume");
    free(first);
    free(last);
    free(out);
}

static void an_earlier_run_is_not_overwritten(void **state)
{
    (void)state;
    assert_int_equal(grade("out-j1", ""), 2);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        build_dir = argv[1];
    if (access("/usr/bin/bwrap", X_OK) != 0) {
        printf("test_grade: bubblewrap is not installed (apt-get install bubblewrap)\n");
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_student_gets_their_score_and_message),
        cmocka_unit_test(nothing_escapes_the_sandbox),
        cmocka_unit_test(the_solutions_are_never_readable),
        cmocka_unit_test(instructor_checks_are_graded_and_hidden),
        cmocka_unit_test(gradebook_has_a_row_per_student),
        cmocka_unit_test(junit_parses),
        cmocka_unit_test(tap_parses),
        cmocka_unit_test(parallel_grading_gives_the_same_bytes),
        cmocka_unit_test(an_interrupted_run_resumes_to_the_same_bytes),
        cmocka_unit_test(an_earlier_run_is_not_overwritten),
    };
    return cmocka_run_group_tests_name("grade", tests, setup, teardown);
}
