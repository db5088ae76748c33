/*
 * lesson_pager.h -- a chapter's lesson on the terminal, to scroll through.
 */
#ifndef AWAITLAB_LESSON_PAGER_H
#define AWAITLAB_LESSON_PAGER_H

#include "catalog.h"
#include "term.h"

/*
 * Shows the lesson of `chapter` until q, Esc or s.  Returns 0, the signal
 * that interrupted it, or -1 when the lesson cannot be read (errno).
 */
int lesson_pager(tv_term *term, const chapter_info *chapter);

/* The same for any text file (a chapter's C source), under `title`. */
int file_pager(tv_term *term, const char *title, const char *path);

/*
 * Waits up to `ms` milliseconds for a key and returns it (TV_KEY_NONE if
 * none came); the gallery and the pager share it.
 */
int wait_for_key(tv_term *term, int ms);

#endif /* AWAITLAB_LESSON_PAGER_H */
