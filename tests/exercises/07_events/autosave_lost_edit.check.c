/*
 * Check of autosave_lost_edit: every edit is saved, by the first save that
 * can include it.
 *
 * An "editor" task makes edits at the check's times and calls
 * document_edited() after each; some come while a save is running.  Once
 * the editor stops, the check gives the autosaver three saves' worth of
 * time, then cancels it.  The world notes every save: when it ran and how
 * many edits the document held when it began.  A correct autosaver saves an
 * edit made during a save right after that save ends; the check computes
 * that schedule and compares, edit by edit.  An autosaver that never clears
 * the flag saves over and over with nothing new, which is caught too.
 */
#include "check.h"

#include <stdio.h>

aw_task *start_autosave(void);
void document_edited(void);

enum { MAX_EDITS = 16, MAX_SAVES = 256 };

typedef struct save_record {
    double start, end;
    int version; /* edits in the document when the save began */
} save_record;

/* The world of one case. */
static struct {
    int edits;                /* how many the editor makes                */
    double edit_at[MAX_EDITS];
    double save_s;
    int version;              /* edits made so far                        */
    save_record saves[MAX_SAVES];
    int save_count;           /* may exceed MAX_SAVES; only those recorded */
} world;

int save_document(void)
{
    int n = world.save_count++;
    if (n < MAX_SAVES)
        world.saves[n] = (save_record){.start = aw_now(), .end = -1, .version = world.version};
    int status = aw_sleep(world.save_s);
    if (status == AW_OK && n < MAX_SAVES)
        world.saves[n].end = aw_now();
    return status;
}

/* The user: edits at the case's times, one document_edited() after each. */
static int editor(void *arg, intptr_t *result)
{
    (void)arg;
    *result = 0;
    for (int k = 0; k < world.edits; k++) {
        int status = aw_sleep(world.edit_at[k] - aw_now());
        if (status != AW_OK)
            return status;
        world.version++;
        document_edited();
    }
    return AW_OK;
}

static int drive(void *arg)
{
    (void)arg;
    aw_task *saver = start_autosave();
    if (!saver)
        return aw_raise(AW_ESTATE, "start_autosave() returned NULL instead of the task");
    aw_task *user = aw_spawn(editor, NULL, "editor");
    int status = aw_await(user);
    if (status == AW_OK)
        status = aw_sleep(3 * world.save_s); /* time to save the last edits */
    aw_cancel(saver);
    aw_await(saver);
    return status;
}

/* ----------------------------------------------------------------------- */

/*
 * The schedule of a correct autosaver: a save begins at the first edit
 * not yet saved, or at the end of the save before if that edit came while
 * it ran; it holds every edit made by the moment it begins.
 */
static int expected_schedule(save_record *saves)
{
    int count = 0, saved = 0;
    double end = 0;
    while (saved < world.edits) {
        double start = world.edit_at[saved] > end ? world.edit_at[saved] : end;
        int version = 0;
        while (version < world.edits && world.edit_at[version] <= start + 1e-9)
            version++;
        end = start + world.save_s;
        saves[count++] = (save_record){.start = start, .end = end, .version = version};
        saved = version;
    }
    return count;
}

/* The first finished save holding edit k (1-based), or NULL. */
static const save_record *first_save_with(const save_record *saves, int count, int k)
{
    for (int i = 0; i < count; i++)
        if (saves[i].version >= k && saves[i].end >= 0)
            return &saves[i];
    return NULL;
}

/* The save running when edit k (1-based) was made, or NULL. */
static const save_record *save_running_at_edit(int k)
{
    double at = world.edit_at[k - 1];
    int recorded = world.save_count < MAX_SAVES ? world.save_count : MAX_SAVES;
    for (int i = 0; i < recorded; i++)
        if (world.saves[i].start < at && (world.saves[i].end < 0 || world.saves[i].end > at))
            return &world.saves[i];
    return NULL;
}

/* check_seconds() with more buffers: some messages hold many times. */
static const char *secs(double s)
{
    static char buffers[12][32];
    static int next;
    char *b = buffers[next++ % 12];
    snprintf(b, sizeof buffers[0], "%s", check_seconds(s));
    return b;
}

/* " while a save was running (0.5 s .. 0.8 s)", or "". */
static const char *during(int k)
{
    static char text[120];
    const save_record *s = save_running_at_edit(k);
    text[0] = '\0';
    if (s)
        snprintf(text, sizeof text, " while a save was running (%s .. %s)",
                 secs(s->start), secs(s->end));
    return text;
}

static void judge(int status)
{
    if (status != AW_OK) {
        check_fail("the run ended with %d (%s) -- the check starts your autosaver with "
                   "start_autosave() and cancels it at the end", status,
                   aw_strerror(status));
        return;
    }
    int recorded = world.save_count < MAX_SAVES ? world.save_count : MAX_SAVES;
    for (int i = 1; i < recorded; i++)
        if (world.saves[i].version == world.saves[i - 1].version) {
            check_fail("the save at %s wrote the same %d edit%s as the save before it (at %s): "
                       "nothing had changed in between (%d saves for %d edits in all). Once "
                       "a save has begun, only a new edit should start another. An event "
                       "stays set until somebody clears it, and wait() on a set event "
                       "returns at once.", secs(world.saves[i].start), world.saves[i].version,
                       world.saves[i].version == 1 ? "" : "s", secs(world.saves[i - 1].start),
                       world.save_count, world.edits);
            return;
        }
    save_record want[MAX_EDITS];
    int want_count = expected_schedule(want);
    for (int k = 1; k <= world.edits; k++) {
        const save_record *should = first_save_with(want, want_count, k);
        const save_record *did = first_save_with(world.saves, recorded, k);
        double at = world.edit_at[k - 1];
        if (!did) {
            int last = recorded > 0 ? world.saves[recorded - 1].version : 0;
            char held[40];
            snprintf(held, sizeof held, last == 0 ? "none of them" : last == 1
                     ? "only the first edit" : "only the first %d edits", last);
            check_fail("the editor made %d edits and stopped at %s; %s later the saved copy "
                       "still held %s. Edit %d, made at %s%s, was never saved, and the "
                       "autosaver sat waiting. What became of the signal that edit sent?",
                       world.edits, secs(world.edit_at[world.edits - 1]),
                       secs(3 * world.save_s), held, k, secs(at), during(k));
            return;
        }
        if (did->end > should->end + 1e-6) {
            check_fail("edit %d, made at %s%s, should go into the save that begins at %s and "
                       "be on disk at %s; your autosaver did not save it until %s .. %s%s. "
                       "What became of the signal that edit sent?", k, secs(at),
                       during(k), secs(should->start), secs(should->end),
                       secs(did->start), secs(did->end),
                       did->version > k ? ", when a later edit woke it" : "");
            return;
        }
    }
}

static void run_case(double save_s, int edits, const double *edit_at)
{
    world.save_s = save_s;
    world.edits = edits;
    world.version = 0;
    world.save_count = 0;
    for (int k = 0; k < edits; k++)
        world.edit_at[k] = edit_at[k];
    check_case("%d edits, saves of %s", edits, check_seconds(save_s));
    int status = check_run(drive, NULL, edit_at[edits - 1] + 10 * save_s + 1);
    if (!check_failed())
        judge(status);
    check_case_end();
}

void exercise_check(void)
{
    static const double last_one_lost[] = {0.1, 0.2, 0.5, 0.55};
    run_case(0.3, 4, last_one_lost);

    static const double saved_late[] = {0.05, 0.1, 0.12, 0.4, 0.6, 0.62, 0.9};
    run_case(0.25, 7, saved_late);

    static const double burst[] = {0.2, 0.5, 0.9, 1.1};
    run_case(1.0, 4, burst);
}
