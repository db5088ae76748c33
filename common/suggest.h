/*
 * suggest.h -- "did you mean ...?" for mistyped names.
 *
 * Shared by the `awaitlab` command (commands, chapters) and the chapter
 * programs (flags), so that every typo gets the same kind of help.
 */
#ifndef AWAITLAB_SUGGEST_H
#define AWAITLAB_SUGGEST_H

#include <stddef.h>

/*
 * The candidate closest to `typed` by edit distance (insertions, deletions,
 * substitutions), or NULL when none is within 2 edits -- beyond that a
 * suggestion is more confusing than helpful.  `candidates` ends with NULL.
 */
const char *suggest_closest(const char *typed, const char *const *candidates);

/* The edit distance between a and b; names longer than 63 bytes count as far. */
size_t suggest_distance(const char *a, const char *b);

#endif /* AWAITLAB_SUGGEST_H */
