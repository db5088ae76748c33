/*
 * replay.c -- a fuzz target without libFuzzer: feeds it every input kept
 * for it, the seed corpus and the inputs that once crashed it.
 *
 *     build/tests/fuzz/test_fuzz_NAME [BUILD]
 *
 * reads tests/fuzz/NAME/corpus/ and tests/fuzz/NAME/regressions/ (run
 * from the repository root, as every test is).  A crash, a sanitizer
 * report or a leak fails the program; each directory is one cmocka test,
 * so the suite counts them with the rest.
 */
#include "fuzz.h"

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#ifndef FUZZ_NAME
#error "build with -DFUZZ_NAME='\"name\"'"
#endif

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

/* The whole of `path`, in a buffer of exactly its size (so ASan sees overreads). */
static uint8_t *read_input(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long length = ftell(f);
    assert_true(length >= 0);
    rewind(f);
    uint8_t *data = malloc(length ? (size_t)length : 1);
    assert_non_null(data);
    assert_int_equal(fread(data, 1, (size_t)length, f), (size_t)length);
    fclose(f);
    *size = (size_t)length;
    return data;
}

/* Feeds every file of tests/fuzz/NAME/<kind>; returns how many. */
static int replay_dir(const char *kind)
{
    char dir[256];
    snprintf(dir, sizeof dir, "tests/fuzz/%s/%s", FUZZ_NAME, kind);
    struct dirent **names;
    int n = scandir(dir, &names, NULL, by_name);
    if (n < 0)
        return 0;   /* no regressions yet */
    int fed = 0;
    for (int i = 0; i < n; i++) {
        if (names[i]->d_name[0] != '.') {
            char path[512];
            snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
            size_t size;
            uint8_t *data = read_input(path, &size);
            LLVMFuzzerTestOneInput(data, size);
            free(data);
            fed++;
        }
        free(names[i]);
    }
    free(names);
    return fed;
}

static void test_the_seed_corpus_parses_without_a_fault(void **state)
{
    (void)state;
    assert_true(replay_dir("corpus") > 0);   /* an empty corpus would test nothing */
}

static void test_every_input_that_once_crashed_is_handled(void **state)
{
    (void)state;
    int fed = replay_dir("regressions");
    print_message("%s: %d regression input%s\n", FUZZ_NAME, fed, fed == 1 ? "" : "s");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_seed_corpus_parses_without_a_fault),
        cmocka_unit_test(test_every_input_that_once_crashed_is_handled),
    };
    return cmocka_run_group_tests_name(FUZZ_NAME, tests, NULL, NULL);
}
