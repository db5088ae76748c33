/*
 * A submission that tries to write where it must not: a file in /tmp, one
 * in the awaitlab home, and its own results in the grader's output
 * (AWAITLAB_TEST_HOME and AWAITLAB_TEST_OUT are replaced by the test).
 */
#include "awaitlab.h"

#include <stdio.h>

static void try_write(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

int fetch_all(long n, intptr_t *results)
{
    (void)n;
    (void)results;
    try_write("/tmp/awaitlab-escaped", "out\n");
    try_write("AWAITLAB_TEST_HOME/escaped", "out\n");
    try_write("AWAITLAB_TEST_OUT/students/escape.json",
              "{\"student\": \"escape\", \"points\": 600, \"max_points\": 600, \"exercises\": []}");
    return AW_OK;
}
