/*
 * trace_model.h -- a trace, loaded: tasks, their states over time, sections.
 *
 * A program built on libawaitlab writes its trace as JSON Lines, one event per
 * line in the order things happened (docs/trace-format.md).  Events are easy
 * to write but awkward to draw from: a renderer wants to ask "what was task 3
 * doing at t = 0.25 s?", not replay the whole file each time.  The model
 * replays the events once and keeps, for every task, the intervals of time it
 * spent in each state, and for every resource (semaphore, lock, queue, ...)
 * the history of its level.  The text timeline (timeline_text.h), the SVG
 * and Chrome exports and the live viewer read only this model.
 *
 * A model can be loaded in one go (tv_model_load) or fed a line at a time
 * while the program that writes the trace is still running (trace_feed.h):
 * the live viewer draws the same model the other renderers draw, only
 * earlier.
 *
 * Times are whole microseconds (tv_time).  The trace prints seconds with six
 * decimals, so a microsecond count holds every time exactly: comparisons and
 * the arithmetic that maps times to columns have no rounding surprises, and
 * the same trace always draws the same picture, byte for byte.
 *
 * The loader is forgiving, because the trace it reads may come from a program
 * that crashed half-way, or from a newer runtime.  A line that is not a JSON
 * object, lacks "ev", or has a known field of the wrong type is recorded as a
 * diagnostic (with its line number) and skipped.  Unknown event kinds and
 * unknown fields are skipped silently.  A trace without its "end" line loads
 * as if it ended at its last timestamp.
 *
 * Every struct below is owned by the model and read-only for its users; it
 * all goes away with tv_model_free().
 */
#ifndef TV_TRACE_MODEL_H
#define TV_TRACE_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A time in microseconds since the run started. */
typedef int64_t tv_time;

#define TV_USEC_PER_SEC 1000000

/* What a task is doing at one instant. */
typedef enum tv_state {
    TV_STATE_ABSENT = 0, /* not spawned yet                                 */
    TV_STATE_READY,      /* spawned or woken, waiting for its turn to run   */
    TV_STATE_RUNNING,    /* running a step; only one task runs at a time    */
    TV_STATE_WAITING,    /* suspended; the interval says on what            */
    TV_STATE_DONE        /* finished; the task's outcome says how           */
} tv_state;

/* What a waiting task waits on: the "on" field of a "wait" event. */
typedef enum tv_wait_kind {
    TV_WAIT_NONE = 0, /* not waiting                                        */
    TV_WAIT_SLEEP,    /* aw_sleep()                                         */
    TV_WAIT_YIELD,    /* aw_yield(): ready again as soon as others had a turn */
    TV_WAIT_TASK,     /* aw_await() on the task in `target`                 */
    TV_WAIT_GATHER,   /* aw_gather()                                        */
    TV_WAIT_OTHER     /* anything else, e.g. "semaphore"; see `on`          */
} tv_wait_kind;

/*
 * One stretch of a task's life in one state: [t0, t1).  In virtual time a
 * step takes no time at all, so many intervals have t1 == t0; they are kept,
 * because they say that something happened at that instant.
 */
typedef struct tv_interval {
    tv_time t0, t1;
    tv_state state;    /* READY, RUNNING or WAITING                          */
    tv_wait_kind wait; /* WAITING: on what kind of thing; else TV_WAIT_NONE  */
    const char *on;    /* WAITING: the "on" text as written; else NULL       */
    uint32_t target;   /* WAITING on a task: its id; else 0                  */
    const char *resource; /* WAITING on a named resource (the wait's "name", */
                          /* e.g. the semaphore "pool"); else NULL           */
    int wake_status;   /* READY after a wake: what the suspending call       */
                       /* returns (0, or -1 when cancelled); else 0          */
} tv_interval;

/* How a task ended. */
typedef enum tv_outcome_kind {
    TV_OUTCOME_NONE = 0, /* it had not finished when the trace ends */
    TV_OUTCOME_OK,
    TV_OUTCOME_ERROR,
    TV_OUTCOME_CANCELLED
} tv_outcome_kind;

typedef struct tv_outcome {
    tv_outcome_kind kind;
    tv_time t;       /* when it finished (unset for TV_OUTCOME_NONE)          */
    int64_t value;   /* OK: the value                                         */
    int code;        /* ERROR: the (negative) status code                     */
    char *message;   /* ERROR: e.g. "item-3: connection refused"; else NULL   */
    char *origin;    /* ERROR: the task the error came from; else NULL        */
} tv_outcome;

typedef struct tv_task {
    uint32_t id;     /* 1 is main; ids are never reused                       */
    char *name;
    uint32_t parent; /* the spawning task's id, 0 for main                    */
    int depth;       /* 0 for main, 1 for the tasks it spawned, and so on     */
    tv_time spawned;
    tv_interval *intervals; /* in time order, back to back, from `spawned`    */
    size_t n_intervals;     /* to the finish (or to the end of the trace)     */
    tv_outcome outcome;
    /* Where in the file the task was spawned and finished (SIZE_MAX if it
     * did not), so that "which tasks belong to a section" can be answered
     * in event order even when everything happens at the same instant. */
    size_t spawn_line, finish_line;
    size_t intervals_capacity; /* the loader's bookkeeping */
} tv_task;

/* A "mark" event: a marker the program put in its own trace. */
typedef struct tv_mark {
    tv_time t;
    size_t line;
    char *text;
} tv_mark;

/*
 * A named part of the run, from the marks "section NAME" and
 * "section-end NAME".  A section that is never closed runs to the end of the
 * trace.  tv_model_window() and tv_model_whole_run() make unnamed ones, so
 * that renderers can draw any stretch of time the way they draw a section.
 */
typedef struct tv_section {
    char *name;        /* NULL for a window that is not a section           */
    tv_time t0, t1;
    size_t line0;      /* the line of the opening mark (0 for a window)     */
    size_t line1;      /* the line of the closing mark, SIZE_MAX if none    */
    bool closed;       /* false when the trace has no "section-end NAME"    */
} tv_section;

/* A "cancel" event: cancellation of `task` was requested by task `by`. */
typedef struct tv_cancel {
    tv_time t;
    uint32_t task;
    uint32_t by; /* 0: the runtime itself */
} tv_cancel;

/* A "slow" event: one step of `task` held the loop for `held`. */
typedef struct tv_slow {
    tv_time t;
    uint32_t task;
    tv_time held;
} tv_slow;

/*
 * One reading of a resource, from a "resource" event: what it looked like
 * from that instant until the next reading.
 */
typedef struct tv_resource_sample {
    tv_time t;
    int64_t level;    /* permits in use, items queued, 1 if locked or set     */
    int64_t capacity; /* permits, maxsize; 0 when it has none (unbounded)    */
    int64_t waiters;  /* tasks waiting on it                                  */
    uint32_t owner;   /* a lock's holder (task id); else 0                    */
} tv_resource_sample;

/*
 * A semaphore, lock, queue, event, condition, HTTP session, ...: anything
 * the trace reports with "resource" events.  A resource is known by its kind
 * and name together, so a lock and a queue may both be called "jobs".
 */
typedef struct tv_resource {
    char *kind;                  /* "semaphore", "lock", "queue", "event", ... */
    char *name;
    tv_resource_sample *samples; /* in time order                            */
    size_t n_samples;
    size_t samples_capacity;     /* the loader's bookkeeping                 */
} tv_resource;

/*
 * The journal: the events a person watching the run would want to read
 * about, in trace order -- a log, where the rest of the model is a picture.
 * Steps (run, wait, wake) and resource readings are left out: there are too
 * many of them to read, and the lanes and the resources panel show them.
 */
typedef enum tv_note_kind {
    TV_NOTE_SPAWN,   /* `task` was spawned                                   */
    TV_NOTE_DONE,    /* `task` finished; its outcome says how                */
    TV_NOTE_CANCEL,  /* cancels[index]                                       */
    TV_NOTE_SLOW,    /* slows[index]                                         */
    TV_NOTE_MARK,    /* marks[index]                                         */
    TV_NOTE_PROBLEM  /* diagnostics[index]: a line that was skipped or odd   */
} tv_note_kind;

typedef struct tv_note {
    tv_time t;
    tv_note_kind kind;
    uint32_t task;   /* SPAWN, DONE: the task's id; else 0                   */
    size_t index;    /* CANCEL, SLOW, MARK, PROBLEM: where in their array    */
} tv_note;

/* A problem found while loading, e.g. line 7: "not a JSON object". */
typedef struct tv_diagnostic {
    size_t line; /* 1 for the first line of the file */
    char *message;
} tv_diagnostic;

typedef enum tv_clock {
    TV_CLOCK_UNKNOWN = 0, /* no "start" line, or a clock we do not know */
    TV_CLOCK_REAL,
    TV_CLOCK_VIRTUAL
} tv_clock;

typedef struct tv_model {
    int version;     /* from the "start" line; 0 if there was none           */
    tv_clock clock;
    tv_time end;     /* the "end" line's time, or the last time seen          */
                     /* (or later: a live model is settled at "now")        */
    tv_time last_event; /* the latest time an event carried: nothing before */
                        /* it can change any more, whatever lines come next */
    bool ended;      /* false when the trace stops without an "end" line      */
    size_t n_lines;  /* lines read                                            */

    tv_task *tasks;  /* sorted by id                                          */
    size_t n_tasks;
    tv_mark *marks;  /* in trace order                                        */
    size_t n_marks;
    tv_section *sections; /* in order of their opening marks                  */
    size_t n_sections;
    tv_cancel *cancels;
    size_t n_cancels;
    tv_slow *slows;
    size_t n_slows;
    tv_diagnostic *diagnostics;
    size_t n_diagnostics;
    tv_resource *resources; /* in order of their first reading               */
    size_t n_resources;
    tv_note *notes;         /* the journal, in trace order                   */
    size_t n_notes;

    /* All tasks in tree order: main, then its first child and that child's
     * descendants, then its second child, and so on; siblings by id.  The
     * entries are indexes into `tasks`.  Renderers draw lanes in this order
     * so that children sit under their parent. */
    size_t *tree_order;

    /* The loader's bookkeeping. */
    size_t tasks_capacity, marks_capacity, sections_capacity;
    size_t cancels_capacity, slows_capacity, diagnostics_capacity;
    size_t resources_capacity, notes_capacity;
    char **wait_names; /* distinct "on" and resource names of waits */
    size_t n_wait_names, wait_names_capacity;
} tv_model;

/* ----------------------------------------------------------------------- */
/* Loading                                                                   */
/* ----------------------------------------------------------------------- */

/*
 * Reads a whole trace from `in` (which stays open) and returns its model.
 * Problems in the trace do not make loading fail: they end up in
 * model->diagnostics.  Returns NULL only when out of memory or when reading
 * fails (errno says why).
 */
tv_model *tv_model_load(FILE *in);

/* Same, from a file; NULL with errno set if it cannot be opened. */
tv_model *tv_model_load_path(const char *path);

/* Same, from a string holding the whole trace. */
tv_model *tv_model_load_string(const char *text);

/* Frees the model and everything it points to.  NULL is allowed. */
void tv_model_free(tv_model *model);

/* ----------------------------------------------------------------------- */
/* Questions                                                                 */
/* ----------------------------------------------------------------------- */

/* The task with this id, or NULL. */
const tv_task *tv_model_task(const tv_model *model, uint32_t id);

/* The first section with this name, or NULL. */
const tv_section *tv_model_section(const tv_model *model, const char *name);

/* An unnamed section covering [t0, t1] of the run, e.g. to draw part of it. */
tv_section tv_model_window(tv_time t0, tv_time t1);

/* The unnamed section covering the whole run, from 0 to model->end. */
tv_section tv_model_whole_run(const tv_model *model);

/*
 * What `task` was doing at time t.  At an instant where several events
 * happened (common in virtual time), the answer is the state after the last
 * of them.  Before the spawn it is TV_STATE_ABSENT; from the finish on,
 * TV_STATE_DONE.  After the end of a trace in which the task had not
 * finished, it is the state the task was last seen in.
 *
 * When `interval` is not NULL it receives the interval that holds t, or NULL
 * for ABSENT and DONE.
 */
tv_state tv_task_state_at(const tv_task *task, tv_time t,
                          const tv_interval **interval);

/*
 * The tasks alive at some point of `section`, in tree order (so main, which
 * lives through every section, comes first).  A task belongs to a section if
 * it was spawned before the section closed and finished after it opened --
 * "before" and "after" in the order of the trace's lines, so that a task
 * spawned at the very instant a section ends in virtual time still goes to
 * the next section, not this one.
 *
 * Writes at most `max` task pointers to `tasks` (which may be NULL when max
 * is 0) and returns how many tasks belong to the section, like snprintf: a
 * return value above `max` means the array was too small.
 */
size_t tv_model_section_tasks(const tv_model *model, const tv_section *section,
                              const tv_task **tasks, size_t max);

/* "ready", "running", ... for messages and exports. */
const char *tv_state_name(tv_state state);

/* The resource of this kind and name, or NULL. */
const tv_resource *tv_model_resource(const tv_model *model, const char *kind,
                                     const char *name);

/*
 * The reading of `resource` in force at time t: the last one taken at or
 * before t (at an instant with several readings, the last of them).  NULL
 * before its first reading.
 */
const tv_resource_sample *tv_resource_at(const tv_resource *resource, tv_time t);

/*
 * How many notes of the journal happened at or before t: the notes up to
 * then are model->notes[0 .. count).  A binary search, so that a log panel
 * can follow a playhead through a long trace.
 */
size_t tv_model_notes_until(const tv_model *model, tv_time t);

#ifdef __cplusplus
}
#endif

#endif /* TV_TRACE_MODEL_H */
