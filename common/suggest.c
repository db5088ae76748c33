/*
 * suggest.c -- edit distance, the classic two-row dynamic program.
 *
 * row[j] holds the distance between the first i bytes of a and the first j
 * bytes of b; each new row needs only the previous one, so one array and the
 * saved diagonal value are enough.
 */
#include "suggest.h"

#include <string.h>

size_t suggest_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), row[64];
    if (la >= 63 || lb >= 63)
        return 99;
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diagonal = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t above = row[j];
            size_t best = diagonal + (a[i - 1] != b[j - 1]); /* substitute */
            if (above + 1 < best)
                best = above + 1;                            /* delete     */
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;                       /* insert     */
            row[j] = best;
            diagonal = above;
        }
    }
    return row[lb];
}

const char *suggest_closest(const char *typed, const char *const *candidates)
{
    const char *best = NULL;
    size_t best_distance = 3;
    for (const char *const *c = candidates; *c; c++) {
        size_t d = suggest_distance(typed, *c);
        if (d < best_distance) {
            best_distance = d;
            best = *c;
        }
    }
    return best;
}
