/*
 * knobs.h -- a chapter's parameters, as the live viewer turns them.
 *
 * A chapter program says what its parameters are (`--describe`), and -- a
 * property the viewer leans on -- it checks the flags before it describes
 * itself: `NN_slug --limit 0 --describe` fails with the chapter's own
 * message ("--limit 0: must be a whole number from 1 to 100").  So the
 * viewer never keeps a copy of a chapter's ranges: it proposes a value,
 * asks the chapter, and either gets the new values back or the reason why
 * not.
 */
#ifndef AWAITLAB_KNOBS_H
#define AWAITLAB_KNOBS_H

#include <stdbool.h>
#include <stddef.h>

enum { KNOBS_MAX = 24 };

typedef struct knob {
    char name[32];      /* the flag is --name                      */
    double value;       /* what the flags given so far make it     */
    bool integer;
    bool rate;          /* a probability, 0 to 1                   */
} knob;

typedef struct knob_set {
    knob items[KNOBS_MAX];
    int count;
    char main_knob[32]; /* the one [ and ] turn; "" if none         */
} knob_set;

/*
 * Runs `program flags... --describe` and fills `set` with the values those
 * flags give.  Returns 0, or -1 with the chapter's complaint (or why it
 * could not run) in `error`.
 */
int knobs_describe(const char *program, char *const *flags, int n_flags, knob_set *set,
                   char *error, size_t size);

/* The knob with this name, or NULL. */
const knob *knobs_find(const knob_set *set, const char *name);

/*
 * The next value of a knob, one step up (direction > 0) or down: whole
 * numbers by 1 below 10 and along 10, 20, 50, 100, ... above; seconds along
 * ..., 0.1, 0.2, 0.5, 1, 2, ...; rates by 0.1 within 0 to 1.
 */
double knob_step(const knob *k, int direction);

/* "0.5", "10": a value as a flag takes it. */
void knob_format(const knob *k, double value, char *text, size_t size);

/* The header's line for the knobs: "[ ] delay=0.5   { } n=10". */
void knobs_header(const knob_set *set, char *text, size_t size);

#endif /* AWAITLAB_KNOBS_H */
