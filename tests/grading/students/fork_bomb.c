/* A submission that forks without end: it must cost this student only. */
#include "awaitlab.h"

#include <unistd.h>

int fetch_all(long n, intptr_t *results)
{
    (void)n;
    (void)results;
    for (;;)
        fork();
    return AW_OK;
}
