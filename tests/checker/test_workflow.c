/*
 * test_workflow.c -- the self-study commands, run as a student runs them,
 * and `awaitlab dev check` over the whole workbook.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../chapters/command.h"

static const char *build_dir = "build";
static char awaitlab[PATH_MAX + 16], home[PATH_MAX];
static char ws[] = "/tmp/awaitlab-test-workflow-XXXXXX";

/* Runs `awaitlab ARGS` inside the workspace; returns its stdout. */
static char *in_workspace(int *status, const char *format, ...) __attribute__((format(printf, 2, 3)));
static char *in_workspace(int *status, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    char *args = NULL;
    assert_true(vasprintf(&args, format, ap) >= 0);
    va_end(ap);
    char *command = format_string("cd '%s/w' && '%s' %s 2>&1", ws, awaitlab, args);
    char *out = command_output(command, status);
    free(command);
    free(args);
    assert_non_null(out);
    return out;
}

static int setup(void **state)
{
    (void)state;
    if (!getcwd(home, sizeof home) || !mkdtemp(ws))
        return -1;
    snprintf(awaitlab, sizeof awaitlab, "%s/%s/awaitlab", home, build_dir);
    char *command = format_string("'%s' init '%s/w' >/dev/null", awaitlab, ws);
    int status = system(command);
    free(command);
    return status == 0 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char *command = format_string("rm -rf '%s'", ws);
    int ignored = system(command);
    (void)ignored;
    free(command);
    return 0;
}

static void the_workbook_is_whole(void **state)
{
    (void)state;
    int status;
    char *command = format_string("'%s' dev check", awaitlab);
    char *out = command_output(command, &status);
    free(command);
    if (status != 0 || !strstr(out, " 0 problems"))
        fail_msg("dev check:\n%s", out);
    int good = 0, total = 0;
    const char *line = strstr(out, "exercises as they must be");
    assert_non_null(line);
    while (line > out && line[-1] != '\n')
        line--;
    assert_int_equal(sscanf(line, "%d of %d", &good, &total), 2);
    assert_true(total >= 36 && good == total);
    free(out);
}

static void exercises_json_lists_every_exercise(void **state)
{
    (void)state;
    int status;
    char *out = in_workspace(&status, "exercises --json");
    assert_int_equal(status, 0);
    json_t *list = json_loads(out, 0, NULL);
    assert_true(json_is_array(list) && json_array_size(list) >= 36);
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e) {
        const char *name, *chapter, *kind, *path;
        int done;
        assert_int_equal(json_unpack(e, "{s:s, s:s, s:s, s:s, s:b}", "name", &name, "chapter",
                                     &chapter, "kind", &kind, "path", &path, "done", &done), 0);
        char *file = format_string("%s/w/%s", ws, path);
        assert_int_equal(access(file, R_OK), 0);
        free(file);
        assert_false(done);
    }
    json_decref(list);
    free(out);
}

static void unknown_exercise_suggests_the_nearest(void **state)
{
    (void)state;
    int status;
    char *out = in_workspace(&status, "check gather_fetchs");
    assert_int_equal(status, 2);
    assert_non_null(strstr(out, "did you mean 'gather_fetches'?"));
    free(out);
}

static void check_records_progress_and_solution_waits_for_it(void **state)
{
    (void)state;
    int status;
    char *out = in_workspace(&status, "solution gather_fetches");
    assert_int_equal(status, 1);
    assert_non_null(strstr(out, "does not pass yet"));
    free(out);
    out = in_workspace(&status, "check");  /* the next one: gather_fetches */
    assert_int_equal(status, 1);
    assert_non_null(strstr(out, "FAIL gather_fetches"));
    assert_non_null(strstr(out, "the timeline of your run"));
    free(out);
    char *copy = format_string("cp solutions/01_sequential_vs_gather/gather_fetches.c "
                               "'%s/w/exercises/01_sequential_vs_gather/'", ws);
    assert_int_equal(system(copy), 0);
    free(copy);
    out = in_workspace(&status, "check gather_fetches --json");
    assert_int_equal(status, 0);
    json_t *j = json_loads(out, 0, NULL);
    assert_true(json_is_true(json_object_get(j, "passed")));
    json_decref(j);
    free(out);
    out = in_workspace(&status, "exercises --json");
    assert_non_null(strstr(out, "\"done\": true"));
    free(out);
    out = in_workspace(&status, "solution gather_fetches --plain");
    assert_int_equal(status, 0);
    assert_non_null(strstr(out, "aw_gather(tasks, (size_t)n, 0)"));
    free(out);
}

static void hints_come_one_at_a_time(void **state)
{
    (void)state;
    int status;
    char *first = in_workspace(&status, "hint receipt_never_awaited");
    assert_non_null(strstr(first, "hint 1 of"));
    char *second = in_workspace(&status, "hint receipt_never_awaited");
    assert_non_null(strstr(second, "hint 2 of"));
    char *all = in_workspace(&status, "hint receipt_never_awaited --all");
    assert_non_null(strstr(all, "hint 1 of"));
    assert_non_null(strstr(all, "hint 2 of"));
    free(first);
    free(second);
    free(all);
}

static void reset_restores_and_keeps_a_backup(void **state)
{
    (void)state;
    int status;
    char *out = in_workspace(&status, "reset gather_fetches");
    assert_int_equal(status, 0);
    free(out);
    char *mine = format_string("%s/w/exercises/01_sequential_vs_gather/gather_fetches.c", ws);
    char *backup = format_string("%s/w/.awaitlab/backup/gather_fetches.c", ws);
    char *cmp = format_string("cmp -s '%s' exercises/01_sequential_vs_gather/gather_fetches.c && "
                              "cmp -s '%s' solutions/01_sequential_vs_gather/gather_fetches.c",
                              mine, backup);
    assert_int_equal(system(cmp), 0);
    free(cmp);
    free(mine);
    free(backup);
    out = in_workspace(&status, "exercises --json");
    assert_null(strstr(out, "\"done\": true")); /* reset: not done any more */
    free(out);
}

static void a_damaged_state_file_is_refused_and_kept(void **state)
{
    (void)state;
    char *path = format_string("%s/w/.awaitlab/state.json", ws);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("{\"done\": {\"gather_fetches\": tr", f);
    fclose(f);
    int status;
    char *out = in_workspace(&status, "check gather_fetches");
    assert_int_equal(status, 2);
    assert_non_null(strstr(out, "is damaged"));
    free(out);
    char *cmd = format_string("grep -q 'gather_fetches\": tr$' '%s'", path);
    assert_int_equal(system(cmd), 0); /* left as it was */
    free(cmd);
    unlink(path);
    free(path);
}

static void outside_a_workspace_says_how_to_make_one(void **state)
{
    (void)state;
    int status;
    char *command = format_string("cd / && '%s' exercises 2>&1", awaitlab);
    char *out = command_output(command, &status);
    assert_int_equal(status, 2);
    assert_non_null(strstr(out, "awaitlab init DIR"));
    free(out);
    free(command);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        build_dir = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_workbook_is_whole),
        cmocka_unit_test(exercises_json_lists_every_exercise),
        cmocka_unit_test(unknown_exercise_suggests_the_nearest),
        cmocka_unit_test(check_records_progress_and_solution_waits_for_it),
        cmocka_unit_test(hints_come_one_at_a_time),
        cmocka_unit_test(reset_restores_and_keeps_a_backup),
        cmocka_unit_test(a_damaged_state_file_is_refused_and_kept),
        cmocka_unit_test(outside_a_workspace_says_how_to_make_one),
    };
    return cmocka_run_group_tests_name("workflow", tests, setup, teardown);
}
