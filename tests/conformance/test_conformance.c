/*
 * test_conformance.c -- the same scenario in C and in CPython asyncio.
 *
 * Two kinds of scenario, compared the same way.
 *
 * Chapters.  Every chapter has a Python twin (chapters/NN_slug.py) that
 * does what the C program does, with asyncio.  Both print the same
 * normalized event log with --log: sections, task starts and task ends, in
 * order, with times in milliseconds.  For each line of
 * tests/conformance/scenarios.txt this runs
 *
 *     BUILD/chapters/NN_slug --clock virtual --log FLAGS
 *     python3 chapters/NN_slug.py --clock virtual --log FLAGS
 *
 * Pairs.  tests/conformance/scenarios/NAME.c and NAME.py each pin down one
 * rule of asyncio (what a timeout cancels, what a task group reports...)
 * and print what happened with say(), in the same words on both sides.
 * For every NAME.py there (scenario.py, their shared helper, aside) this
 * runs
 *
 *     BUILD/scenarios/NAME
 *     python3 tests/conformance/scenarios/NAME.py
 *
 * Either way the two logs must be identical, times included.  That is how
 * the runtime is held to asyncio's observable behaviour: if gather
 * cancelled its siblings in C, woke tasks in another order, or let a
 * timeout fire a millisecond late, the logs would part ways.
 *
 * Both sides run on a virtual clock: the C runtime's, and for Python
 * chapters/awaitlab_clock.py, an asyncio event loop whose clock jumps to
 * the next timer instead of sleeping.  So every time is exact, a loaded
 * machine cannot move an event, and a Python side takes a tenth of a
 * second of real time (mostly the interpreter starting).
 *
 * Usage, from the repository root:
 *
 *     build/tests/conformance/test_conformance build [PATTERN]
 *
 * Each scenario is one cmocka test, named after its line of scenarios.txt
 * or after its pair ("group_errors").  PATTERN (cmocka's * and ?
 * wildcards) picks some by name, e.g. '02 *' or 'timeout_*'.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <glob.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../chapters/command.h"

#define SCENARIO_FILE "tests/conformance/scenarios.txt"
#define PAIR_DIR "tests/conformance/scenarios"

typedef struct scenario {
    char line[256];    /* the test's name: "02 --n 5 --delay 1 --fail-every 2" */
                       /* for a chapter, "gather_order" for a pair             */
    char number[3];    /* the chapter, "02"; empty for a pair                  */
    size_t flags;      /* where a chapter's flags start in `line` (an offset,  */
                       /* not a pointer: the array moves as it grows)          */
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
    print_error("\n      %-*s | %s\n", COLUMN, "C, --clock virtual", "Python asyncio, --clock virtual");
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

/* Fails the test unless python3 is there and new enough for asyncio.timeout. */
static void require_python(void)
{
    if (python == 0)
        fail_msg("python3 was not found (or does not run); the conformance tests need "
                 "Python 3.11 or newer on the PATH");
    if (python < 311)
        fail_msg("python3 is version %d.%d; the conformance tests need Python 3.11 or newer",
                 python / 100, python % 100);
}

static bool is_pair(const scenario *s)
{
    return s->number[0] == '\0';
}

/*
 * The commands that run each side, malloc'd.  NULL, with the reason in
 * *why (malloc'd too), when a program is missing.
 */
static char *c_command(const scenario *s, char **why)
{
    char *command = NULL;
    if (is_pair(s)) {
        char *program = format_string("%s/scenarios/%s", build_dir, s->line);
        if (access(program, X_OK) == 0)
            command = format_string("'%s'", program);
        else
            *why = format_string("no C program for scenario %s: expected %s, built from "
                                 "%s/%s.c (build it with make)",
                                 s->line, program, PAIR_DIR, s->line);
        free(program);
        return command;
    }
    char *pattern = format_string("%s/chapters/%s_*", build_dir, s->number);
    char *program = only_match(pattern);
    if (program)
        command = format_string("'%s' --clock virtual --log %s", program, s->line + s->flags);
    else
        *why = format_string("no C program for chapter %s: expected one file matching %s "
                             "(build it with make)", s->number, pattern);
    free(program);
    free(pattern);
    return command;
}

static char *py_command(const scenario *s, char **why)
{
    if (is_pair(s))
        return format_string("python3 '%s/%s.py'", PAIR_DIR, s->line);
    char *pattern = format_string("chapters/%s_*.py", s->number);
    char *twin = only_match(pattern);
    char *command = NULL;
    if (twin)
        command = format_string("python3 '%s' --clock virtual --log %s", twin,
                                s->line + s->flags);
    else
        *why = format_string("no Python twin for chapter %s: expected one file matching %s "
                             "(run the tests from the repository root)", s->number, pattern);
    free(twin);
    free(pattern);
    return command;
}

/*
 * Runs the C side and the Python side, and wants their logs identical;
 * on a difference, shows the two side by side and fails.
 */
static void test_scenario(void **state)
{
    scenario *s = *state;
    require_python();
    char *why = NULL;
    char *c = c_command(s, &why);
    if (!c)
        fail_msg("%s", why);
    char *py = py_command(s, &why);
    if (!py)
        fail_msg("%s", why);

    char *c_log = run_side("C", c);
    char *py_log = run_side("Python", py);
    char **c_lines, **py_lines;
    size_t nc = split_lines(c_log, &c_lines);
    size_t npy = split_lines(py_log, &py_lines);
    size_t first = 0;
    while (first < nc && first < npy && strcmp(c_lines[first], py_lines[first]) == 0)
        first++;
    if (nc == 0)
        fail_msg("the C program printed no log: %s", c);
    if (first < nc || first < npy) {
        print_error("C:      %s\nPython: %s\n", c, py);
        show_side_by_side(c_lines, nc, py_lines, npy, first);
        fail_msg("the logs differ from line %zu on", first + 1);
    }

    free(c_lines);
    free(py_lines);
    free(c_log);
    free(py_log);
    free(c);
    free(py);
}

/* ----------------------------------------------------------------------- */
/* Reading the scenarios                                                     */
/* ----------------------------------------------------------------------- */

/* Reads the scenario file; returns how many scenarios, or -1 on error. */
static int read_chapter_scenarios(const char *path, scenario **out)
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
        s->flags = 2 + strspn(s->line + 2, " \t");
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

/*
 * Adds a scenario for every NAME.py in PAIR_DIR but scenario.py, in name
 * order, after the `count` already in *list; returns the new count, or -1.
 */
static int add_pairs(scenario **list, int count)
{
    glob_t g;
    int found = glob(PAIR_DIR "/*.py", 0, NULL, &g);
    if (found == GLOB_NOMATCH)
        return count;
    if (found != 0)
        return -1;
    for (size_t i = 0; i < g.gl_pathc; i++) {
        const char *file = g.gl_pathv[i] + strlen(PAIR_DIR "/");
        size_t len = strlen(file) - strlen(".py");
        if (strcmp(file, "scenario.py") == 0 || len >= sizeof (*list)->line)
            continue;
        scenario *bigger = realloc(*list, (size_t)(count + 1) * sizeof **list);
        if (!bigger) {
            globfree(&g);
            return -1;
        }
        *list = bigger;
        (*list)[count] = (scenario){0};
        snprintf((*list)[count].line, sizeof (*list)[count].line, "%.*s", (int)len, file);
        count++;
    }
    globfree(&g);
    return count;
}

int main(int argc, char **argv)
{
    if (argc > 1)
        build_dir = argv[1];
    if (argc > 2)
        cmocka_set_test_filter(argv[2]);
    setenv("PYTHONDONTWRITEBYTECODE", "1", 1); /* keep chapters/ free of caches */
    python = python_version();

    scenario *scenarios = NULL;
    int chapters = read_chapter_scenarios(SCENARIO_FILE, &scenarios);
    if (chapters < 0)
        return 1;
    int count = add_pairs(&scenarios, chapters);
    if (count < 0) {
        fprintf(stderr, "test_conformance: cannot list %s (out of memory?)\n", PAIR_DIR);
        free(scenarios);
        return 1;
    }
    if (count == 0) {
        fprintf(stderr, "test_conformance: %s lists no scenarios and %s has none\n",
                SCENARIO_FILE, PAIR_DIR);
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
