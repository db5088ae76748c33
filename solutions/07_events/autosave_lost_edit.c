/*
 * Exercise autosave_lost_edit -- chapter 07, fix the bug.  A solution.
 *
 * An editor calls document_edited() after every change, and the autosaver
 * task saves the document whenever there are unsaved changes.  Usually it
 * works; but an edit made while a save is running is sometimes never saved:
 * when the user stops typing, the saved copy stays an edit or two behind,
 * and the autosaver just waits.  Find out why, and fix it.
 *
 * Lesson:   chapters/07_events.md#common-mistakes
 * Check it: awaitlab check autosave_lost_edit
 */
#include "awaitlab.h"

/*
 * Given -- the check provides it: writes the document, as it is when the
 * call begins, to disk.  It takes a while (the check decides how long).
 * In Python: `await save_document()`.
 */
int save_document(void);

static aw_event dirty; /* set: there are changes not yet saved */

/* Called by the editor after every change: dirty.set(). */
void document_edited(void)
{
    aw_event_set(&dirty);
}

/*
 * async def autosaver():
 *     while True:
 *         await dirty.wait()
 *         dirty.clear()
 *         await save_document()
 *
 * The flag is lowered *before* the save, not after it: a change made
 * while the save runs (and so not in it) sets the flag again, and the
 * next turn of the loop saves it.  Lowered after the save, the flag would
 * wipe out that change's signal, and nothing would ever save it.
 */
int autosaver(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    for (;;) {
        int status = aw_event_wait(&dirty);
        if (status != AW_OK)
            return status;
        aw_event_clear(&dirty); /* everything up to now goes into this save */
        status = save_document();
        if (status != AW_OK)
            return status;
    }
}

/* Starts the autosaver; the editor runs beside it. */
aw_task *start_autosave(void)
{
    aw_event_init(&dirty, "dirty");
    return aw_spawn(autosaver, NULL, "autosaver");
}
