/*
 * workspace.h -- a student's workspace and the progress kept in it.
 *
 * A workspace is a directory made by `awaitlab init`: a copy of exercises/
 * and a hidden .awaitlab/ holding workspace.json (what it is) and
 * state.json (which exercises pass, how many hints were shown).  The
 * awaitlab home itself -- the source tree -- is a workspace too, so that
 * the project's developers can use every command on its own exercises.
 *
 * The state file is only ever replaced whole (write a temporary file, flush
 * it to disk, rename it over the old one) under a lock, so a crash or two
 * commands at once can never leave half a file.  A state file that does not
 * parse is an error, never silently reset: it may be the only record of a
 * student's progress.
 */
#ifndef AWAITLAB_WORKSPACE_H
#define AWAITLAB_WORKSPACE_H

#include <jansson.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct ex_workspace {
    char root[PATH_MAX];
    bool is_home;            /* the source tree itself                      */
} ex_workspace;

/*
 * Finds the workspace holding directory `start` (or one above it).
 * Returns 0, or -1 with a message in `error`.
 */
int ex_workspace_find(const char *start, const char *home, ex_workspace *ws, char *error,
                      size_t size);

/* Makes a workspace in `dir` (new or empty) from the home's exercises/. */
int ex_workspace_create(const char *dir, const char *home, char *error, size_t size);

/* Reads the state; a missing file is a fresh start.  -1 and a message if
 * it cannot be read or does not parse. */
int ex_state_load(const ex_workspace *ws, json_t **state, char *error, size_t size);

/*
 * Re-reads the state under the lock, sets exercise `name`'s "done" (when
 * done >= 0) and "hints" shown (when hints >= 0), and writes it back
 * atomically.  Returns 0 or -1 with a message.
 */
int ex_state_update(const ex_workspace *ws, const char *name, int done, int hints, char *error,
                    size_t size);

bool ex_state_done(json_t *state, const char *name);
/* How many of the exercise's hints were shown: 0 to EX_MAX_HINTS, whatever the file says. */
int ex_state_hints_shown(json_t *state, const char *name);

/* path of a file in the workspace, from a path relative to its root. */
void ex_workspace_path(const ex_workspace *ws, const char *relative, char *buf, size_t size);

#endif /* AWAITLAB_WORKSPACE_H */
