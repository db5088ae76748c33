/*
 * notes.h -- the log kept by the tests of what tasks wait on (locks,
 * semaphores, events, conditions, queues): who got through which point,
 * with what status (and which item), and when.
 *
 * A task notes each point it gets through; once aw_run() has returned, the
 * test body checks the notes in order:
 *
 *     note(me(), aw_lock_acquire(&lock));        in a task body
 *
 *     assert_int_equal(notes.length, 2);         in the test
 *     assert_log(0, "w0", AW_OK, MS(500));
 */
#ifndef NOTES_H
#define NOTES_H

#include "runtime_test.h"

enum { MAX_NOTES = 32 };

static struct {
    struct {
        char who[8];
        int status;
        intptr_t item; /* a queue's item put or got; 0 elsewhere */
        int64_t at_ns;
    } log[MAX_NOTES];
    int length;
} notes;

/* Forgets every note; each test's reset() calls it. */
static inline void clear_notes(void) { memset(&notes, 0, sizeof notes); }

/* The name of the task that is running. */
static inline const char *me(void) { return aw_task_name(aw_current()); }

/* Notes that `who` got through a point with `status` and `item`, now. */
static inline void note_item(const char *who, int status, intptr_t item)
{
    if (notes.length < MAX_NOTES) {
        snprintf(notes.log[notes.length].who, sizeof notes.log[0].who, "%s", who);
        notes.log[notes.length].status = status;
        notes.log[notes.length].item = item;
        notes.log[notes.length].at_ns = now_ns();
        notes.length++;
    }
}

/* Notes that `who` got through a point with `status`, now. */
static inline void note(const char *who, int status) { note_item(who, status, 0); }

/* The i-th note says `who` got through with `status` and `item` at `at_ns`. */
static inline void assert_log_item(int i, const char *who, int status, intptr_t item,
                                   int64_t at_ns)
{
    assert_true(i < notes.length);
    assert_string_equal(notes.log[i].who, who);
    assert_int_equal(notes.log[i].status, status);
    assert_int_equal(notes.log[i].item, item);
    assert_int_equal(notes.log[i].at_ns, at_ns);
}

/* The i-th note says `who` got through with `status` at `at_ns`. */
static inline void assert_log(int i, const char *who, int status, int64_t at_ns)
{
    assert_log_item(i, who, status, 0, at_ns);
}

#endif /* NOTES_H */
