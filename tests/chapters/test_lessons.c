/*
 * test_lessons.c -- the timelines in the lessons match the code.
 *
 * Each lesson (chapters/NN_slug.md) embeds the timeline of a real run,
 * between <!-- timeline: ... --> markers.  scripts/update-lessons.py --check
 * runs awaitlab for every marker and says whether the lesson still shows
 * what the program prints today.  If not, this test fails with the diff;
 * `make lessons` brings the lessons up to date.
 *
 * Usage, from the repository root:  build/tests/chapters/test_lessons build
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>

#include "command.h"

static const char *build_dir = "build";

static void test_lesson_timelines_match_the_code(void **state)
{
    (void)state;
    int python = python_version();
    if (python < 311)
        fail_msg("python3 3.11 or newer is needed to check the lessons (found: %s)",
                 python ? "an older one" : "none");

    char *command = format_string("python3 scripts/update-lessons.py '%s' --check 2>&1",
                                  build_dir);
    int status;
    char *out = command_output(command, &status);
    if (!out)
        fail_msg("could not run `%s`", command);
    if (status != 0) {
        fflush(stdout);
        fputs(out, stderr);
        if (status == 1)
            fail_msg("a lesson's timeline no longer matches the code (diff above); "
                     "run `make lessons`");
        fail_msg("`%s` failed with status %d (its messages are above)", command, status);
    }
    free(out);
    free(command);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        build_dir = argv[1];
    setenv("PYTHONDONTWRITEBYTECODE", "1", 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lesson_timelines_match_the_code),
    };
    return cmocka_run_group_tests_name("lessons", tests, NULL, NULL);
}
