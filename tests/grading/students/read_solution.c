/*
 * A submission that looks for the reference solution where the awaitlab
 * home keeps it (AWAITLAB_TEST_HOME is replaced by that path when the test
 * writes this file out) and prints what it finds.  In the sandbox there is
 * nothing to find.
 */
#include "awaitlab.h"

#include <stdio.h>

int fetch_all(long n, intptr_t *results)
{
    (void)n;
    (void)results;
    FILE *f = fopen("AWAITLAB_TEST_HOME/solutions/01_sequential_vs_gather/gather_fetches.c", "r");
    if (!f) {
        printf("no solution to read\n");
        return AW_OK;
    }
    char line[256];
    while (fgets(line, sizeof line, f))
        fputs(line, stdout);
    fclose(f);
    return AW_OK;
}
