/*
 * trace_internal.h -- what the loader's two files share, and nobody else.
 *
 * trace_feed.c cuts the input into lines and keeps the model drawable;
 * trace_events.c turns one line into changes of the model.  Both work on
 * the feed below.  Names with a double underscore are internal to the
 * viewer's model (the libuv habit).
 */
#ifndef TV_TRACE_INTERNAL_H
#define TV_TRACE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "trace_feed.h"
#include "trace_model.h"

struct tv_feed {
    tv_model *model;
    size_t line;         /* number of the line being read, from 1           */
    tv_time last_t;      /* the latest time seen so far                     */
    bool saw_start;
    bool saw_end;
    bool stopped;        /* a line came after "end": the rest is ignored    */
    bool out_of_memory;  /* once set, the feed ignores all it is given      */
    bool tree_stale;     /* tasks were spawned since the tree order was made */
    char *partial;       /* an unfinished last line, waiting for the rest   */
    size_t partial_length, partial_capacity;
};

/*
 * Returns `items` with room for at least count + 1 elements, moved to a
 * bigger block (twice the size) when it is full.  Returns NULL when out of
 * memory, in which case `items` is left as it was.
 */
void *tv__grow(void *items, size_t count, size_t *capacity, size_t item_size);

/* Records a problem with the current line, in the diagnostics and the journal. */
void tv__diagnose(tv_feed *feed, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

/* Applies one line of the trace to the model (trace_events.c). */
void tv__apply_line(tv_feed *feed, const char *text, size_t length);

/* Whether a line holds nothing but blanks (and so is no event at all). */
bool tv__is_blank(const char *text, size_t length);

#endif /* TV_TRACE_INTERNAL_H */
