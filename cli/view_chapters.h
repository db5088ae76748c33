/*
 * view_chapters.h -- watching chapters live, knobs and all.
 *
 * The live viewer (viewer/watch.h) runs one program and hands back what it
 * cannot do itself: turn a chapter's knob, go to the next chapter.  This is
 * the other half: it knows the chapters, asks them to check new values
 * (knobs.h), and starts the viewer again with the new flags, on the same
 * terminal, until the person watching quits.  `awaitlab view NN` and the
 * gallery both watch chapters through it.
 */
#ifndef AWAITLAB_VIEW_CHAPTERS_H
#define AWAITLAB_VIEW_CHAPTERS_H

#include "catalog.h"
#include "term.h"

/*
 * Watches chapters[index] with `flags` (its own flags, already checked) at
 * `speed`, and whatever the keys lead to after it.  Returns 0 when the
 * viewer was quit, or the number of the signal that interrupted it; -1 if
 * a chapter could not be started (a message is on the terminal's footer
 * while it can be, else errno says why).  When `summary` is not NULL it
 * receives, on quit, what the last chapter printed if it ran to its end
 * (else NULL), to print once the terminal is given back; the caller frees it.
 */
int view_chapters(tv_term *term, const chapter_info *chapters, int count, int index,
                  char *const *flags, int n_flags, double speed, char **summary);

#endif /* AWAITLAB_VIEW_CHAPTERS_H */
