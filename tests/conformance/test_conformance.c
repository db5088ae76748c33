/*
 * test_conformance.c -- the same scenario in C and in CPython asyncio.
 *
 * Every chapter has a Python twin (chapters/NN_slug.py) that does what the
 * C program does, with asyncio.  Both print the same normalized event log
 * with --log: sections, task starts and task ends, in order, with times in
 * tenths of a second.  For each line of tests/conformance/scenarios.txt this
 * runs
 *
 *     BUILD/chapters/NN_slug --clock virtual --log FLAGS
 *     python3 chapters/NN_slug.py --log FLAGS
 *
 * and wants the two logs to be identical.  That is how the runtime is held
 * to asyncio's observable behaviour: if gather cancelled its siblings in C,
 * or woke tasks in another order, the logs would part ways.
 *
 * Usage, from the repository root:
 *
 *     build/tests/conformance/test_conformance build [PATTERN]
 *
 * PATTERN (cmocka's * and ? wildcards) picks scenarios by their line, e.g.
 * '02 *'.  Each scenario is one cmocka test named after its line.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../chapters/command.h"

#define SCENARIO_FILE "tests/conformance/scenarios.txt"

typedef struct scenario {
    char line[256];    /* "02 --n 5 --delay 1 --fail-every 2": the test's name */
    char number[3];    /* "02"                                                 */
    const char *flags; /* the rest of the line                                 */
} scenario;

static const char *build_dir = "build";
static int python; /* python3's version as 311 for 3.11; 0 if none */

/* ----------------------------------------------------------------------- */
/* Finding and running the two programs                                      */
/* ----------------------------------------------------------------------- */

/* The one file matching `pattern`, malloc'd; NULL if none or several. */
static char *only_match(const char *pattern)
{
    glob_t g;
    char *path = NULL;
    if (glob(pattern, 0, NULL, &g) == 0 && g.gl_pathc == 1)
        path = strdup(g.gl_pathv[0]);
    globfree(&g);
    return path;
}

/* Splits a log into lines, in place; returns how many. */
static size_t split_lines(char *text, char ***lines)
{
    size_t count = 0;
    for (char *p = text; *p; p++)
        count += *p == '\n';
    if (*text && text[strlen(text) - 1] != '\n')
        count++;
    *lines = calloc(count + 1, sizeof **lines);
    assert_non_null(*lines);
    size_t i = 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
        (*lines)[i++] = line;
    return i;
}

/* Runs one side of a scenario and returns its log; fails the test if the
 * program cannot be run or exits with an error. */
static char *run_side(const char *who, const char *command)
{
    int status;
    char *out = command_output(command, &status);
    if (!out)
        fail_msg("%s: could not run `%s`", who, command);
    if (status != 0)
        fail_msg("%s: `%s` exited with status %d (its messages, if any, are above)", who,
                 command, status);
    return out;
}

/* ----------------------------------------------------------------------- */
/* Showing a difference                                                      */
/* ----------------------------------------------------------------------- */

enum { COLUMN = 52 }; /* fits "0.0 end fetch-10 error item-10: connection refused" */

/*
 * Prints both logs side by side.  ">>" marks the first line where they
 * differ, "*" every later one; a missing line shows as "(nothing)".
 */
static void show_side_by_side(char **c, size_t nc, char **py, size_t npy, size_t first)
{
    char rule[COLUMN + 1];
    memset(rule, '-', COLUMN);
    rule[COLUMN] = '\0';
    fflush(stdout); /* cmocka's own lines go to stdout: keep them in order */
    print_error("\n      %-*s | %s\n", COLUMN, "C, --clock virtual", "Python asyncio, real clock");
    print_error("      %s-+-%s\n", rule, rule);
    size_t rows = nc > npy ? nc : npy;
    for (size_t i = 0; i < rows; i++) {
        const char *left = i < nc ? c[i] : "(nothing)";
        const char *right = i < npy ? py[i] : "(nothing)";
        const char *mark = i == first ? ">>" : strcmp(left, right) != 0 ? " *" : "  ";
        print_error("%s %2zu %-*s | %s\n", mark, i + 1, COLUMN, left, right);
    }
    print_error("\n");
}

/* ----------------------------------------------------------------------- */
/* The test                                                                  */
/* ----------------------------------------------------------------------- */

static void test_scenario(void **state)
{
    const scenario *s = *state;
    if (python == 0)
        fail_msg("python3 was not found (or does not run); the conformance tests need "
                 "Python 3.11 or newer on the PATH");
    if (python < 311)
        fail_msg("python3 is version %d.%d; the conformance tests need Python 3.11 or newer",
                 python / 100, python % 100);

    char *pattern = format_string("%s/chapters/%s_*", build_dir, s->number);
    char *program = only_match(pattern);
    if (!program)
        fail_msg("no C program for chapter %s: expected one file matching %s "
                 "(build it with make)", s->number, pattern);
    free(pattern);
    pattern = format_string("chapters/%s_*.py", s->number);
    char *twin = only_match(pattern);
    if (!twin)
        fail_msg("no Python twin for chapter %s: expected one file matching %s "
                 "(run the tests from the repository root)", s->number, pattern);
    free(pattern);

    char *c_command = format_string("'%s' --clock virtual --log %s", program, s->flags);
    char *py_command = format_string("python3 '%s' --log %s", twin, s->flags);
    char *c_log = run_side("C", c_command);
    char *py_log = run_side("Python", py_command);

    char **c_lines, **py_lines;
    size_t nc = split_lines(c_log, &c_lines);
    size_t npy = split_lines(py_log, &py_lines);
    size_t first = 0;
    while (first < nc && first < npy && strcmp(c_lines[first], py_lines[first]) == 0)
        first++;
    if (nc == 0)
        fail_msg("the C program printed no log: %s", c_command);
    if (first < nc || first < npy) {
        print_error("C:      %s\nPython: %s\n", c_command, py_command);
        show_side_by_side(c_lines, nc, py_lines, npy, first);
        fail_msg("the logs differ from line %zu on", first + 1);
    }

    free(c_lines);
    free(py_lines);
    free(c_log);
    free(py_log);
    free(c_command);
    free(py_command);
    free(program);
    free(twin);
}

/* ----------------------------------------------------------------------- */
/* Reading the scenarios                                                     */
/* ----------------------------------------------------------------------- */

/* Reads the scenario file; returns how many scenarios, or -1 on error. */
static int read_scenarios(const char *path, scenario **out)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "test_conformance: cannot open %s (run from the repository root)\n",
                path);
        return -1;
    }
    scenario *list = NULL;
    int count = 0, line_number = 0;
    char line[256];
    while (fgets(line, sizeof line, f)) {
        line_number++;
        line[strcspn(line, "\r\n")] = '\0';
        char *start = line + strspn(line, " \t");
        if (*start == '\0' || *start == '#')
            continue;
        scenario *bigger = realloc(list, (size_t)(count + 1) * sizeof *list);
        if (!bigger)
            goto err;
        list = bigger;
        scenario *s = &list[count];
        snprintf(s->line, sizeof s->line, "%s", start);
        if (sscanf(s->line, "%2[0-9]", s->number) != 1 || strlen(s->number) != 2 ||
            (s->line[2] != ' ' && s->line[2] != '\0')) {
            fprintf(stderr, "%s:%d: a scenario starts with a two-digit chapter number: %s\n",
                    path, line_number, start);
            goto err;
        }
        s->flags = s->line + 2 + strspn(s->line + 2, " \t");
        count++;
    }
    fclose(f);
    *out = list;
    return count;
err:
    fclose(f);
    free(list);
    return -1;
}

int main(int argc, char **argv)
{
    if (argc > 1)
        build_dir = argv[1];
    if (argc > 2)
        cmocka_set_test_filter(argv[2]);
    setenv("PYTHONDONTWRITEBYTECODE", "1", 1); /* keep chapters/ free of caches */
    python = python_version();

    scenario *scenarios;
    int count = read_scenarios(SCENARIO_FILE, &scenarios);
    if (count <= 0) {
        if (count == 0)
            fprintf(stderr, "test_conformance: %s lists no scenarios\n", SCENARIO_FILE);
        return 1;
    }
    struct CMUnitTest *tests = calloc((size_t)count, sizeof *tests);
    if (!tests)
        return 1;
    for (int i = 0; i < count; i++)
        tests[i] = (struct CMUnitTest){.name = scenarios[i].line,
                                       .test_func = test_scenario,
                                       .initial_state = &scenarios[i]};
    int failed = _cmocka_run_group_tests("conformance", tests, (size_t)count, NULL, NULL);
    free(tests);
    free(scenarios);
    return failed;
}
