/*
 * test_golden.c -- chapter outputs, compared byte for byte with golden files.
 *
 * In virtual time a chapter prints the same thing on every run, so its
 * timeline (`awaitlab run NN --clock virtual --timeline`) and its report
 * (`... --json`) are kept in tests/chapters/golden/ and any change to them
 * shows up here as a diff.  When a change is intended, rewrite the files
 * and review them like code:
 *
 *     UPDATE_GOLDEN=1 build/tests/chapters/test_golden build
 *
 * Usage, from the repository root:  build/tests/chapters/test_golden build
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "command.h"

#define GOLDEN_DIR "tests/chapters/golden"

typedef struct golden {
    const char *file;  /* under GOLDEN_DIR                          */
    const char *args;  /* for awaitlab                              */
} golden;

static const golden goldens[] = {
    {"01_default.txt", "run 01 --clock virtual --timeline"},
    {"01_default.json", "run 01 --clock virtual --json"},
    {"02_default.txt", "run 02 --clock virtual --timeline"},
    {"02_default.json", "run 02 --clock virtual --json"},
    {"02_fail-rate-0.3-seed-4.txt", "run 02 --clock virtual --fail-rate 0.3 --seed 4 --timeline"},
    {"02_fail-rate-0.3-seed-4.json", "run 02 --clock virtual --fail-rate 0.3 --seed 4 --json"},
    {"03_default.txt", "run 03 --clock virtual --timeline"},
    {"03_default.json", "run 03 --clock virtual --json"},
    {"04_default.txt", "run 04 --clock virtual --timeline"},
    {"04_default.json", "run 04 --clock virtual --json"},
    {"05_default.txt", "run 05 --clock virtual --timeline"},
    {"05_default.json", "run 05 --clock virtual --json"},
    {"06_default.txt", "run 06 --clock virtual --timeline"},
    {"06_default.json", "run 06 --clock virtual --json"},
    {"07_default.txt", "run 07 --clock virtual --timeline"},
    {"07_default.json", "run 07 --clock virtual --json"},
    {"08_default.txt", "run 08 --clock virtual --timeline"},
    {"08_default.json", "run 08 --clock virtual --json"},
    {"09_default.txt", "run 09 --clock virtual --timeline"},
    {"09_default.json", "run 09 --clock virtual --json"},
};

static const char *build_dir = "build";

/* The whole file as a malloc'd string, or NULL if it cannot be read. */
static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *text = NULL;
    long size;
    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0)
        goto out;
    text = malloc((size_t)size + 1);
    if (text && fread(text, 1, (size_t)size, f) != (size_t)size) {
        free(text);
        text = NULL;
    }
    if (text)
        text[size] = '\0';
out:
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

/* Shows `diff -u golden now` on stderr. */
static void show_diff(const char *golden_path, const char *now)
{
    char now_path[] = "/tmp/awaitlab-golden-XXXXXX";
    int fd = mkstemp(now_path);
    if (fd < 0)
        return;
    close(fd);
    if (write_file(now_path, now)) {
        int status;
        char *command = format_string("diff -u --label '%s' --label 'what awaitlab prints now' "
                                      "'%s' '%s'",
                                      golden_path, golden_path, now_path);
        char *diff = command ? command_output(command, &status) : NULL;
        fflush(stdout);
        if (diff)
            fprintf(stderr, "%s\n", diff);
        free(diff);
        free(command);
    }
    unlink(now_path);
}

static void test_golden(void **state)
{
    const golden *g = *state;
    char *path = format_string("%s/%s", GOLDEN_DIR, g->file);
    char *command = format_string("'%s/awaitlab' %s", build_dir, g->args);
    int status;
    char *now = command_output(command, &status);
    if (!now)
        fail_msg("could not run `%s`", command);
    if (status != 0)
        fail_msg("`%s` exited with status %d (its messages are above)", command, status);

    const char *update = getenv("UPDATE_GOLDEN");
    if (update && strcmp(update, "1") == 0) {
        if (!write_file(path, now))
            fail_msg("cannot write %s (run from the repository root)", path);
        print_message("rewrote %s\n", path);
    } else {
        char *before = read_file(path);
        if (!before)
            fail_msg("%s is missing: create it with UPDATE_GOLDEN=1 %s", path,
                     "build/tests/chapters/test_golden build");
        if (strcmp(before, now) != 0) {
            show_diff(path, now);
            fail_msg("`awaitlab %s` no longer prints %s (diff above). If the change is "
                     "intended: UPDATE_GOLDEN=1 build/tests/chapters/test_golden build",
                     g->args, path);
        }
        free(before);
    }
    free(now);
    free(command);
    free(path);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        build_dir = argv[1];
    /* The same output whatever the caller's environment says. */
    unsetenv("AWAITLAB_CLOCK");
    unsetenv("AWAITLAB_TRACE");
    unsetenv("AWAITLAB_DEBUG");

    enum { COUNT = sizeof goldens / sizeof goldens[0] };
    struct CMUnitTest tests[COUNT];
    for (size_t i = 0; i < COUNT; i++)
        tests[i] = (struct CMUnitTest){.name = goldens[i].file,
                                       .test_func = test_golden,
                                       .initial_state = (void *)&goldens[i]};
    return _cmocka_run_group_tests("golden", tests, COUNT, NULL, NULL);
}
