/*
 * trace_events.c -- one line of a JSON Lines trace, applied to a tv_model.
 *
 * Each line is parsed with jansson and handed, by its "ev", to one handler
 * that changes the model:
 *
 *     spawn            adds a task, ready from that instant
 *     run, wait, wake  end the task's current interval and begin the next
 *     done             ends the last interval and records the outcome
 *     mark             keeps the marker; "section X" / "section-end X"
 *                      open and close sections
 *     cancel, slow     are kept as they are
 *     resource         adds a reading to the history of a semaphore, lock,
 *                      queue, event, ...
 *     end              ends the run; nothing may follow
 *
 * Spawns, outcomes, cancels, slow steps, marks and problems also go in the
 * journal (model->notes), the model's log of what a person would read.
 * Cutting the input into lines, and closing what is still open when a
 * renderer wants to draw, is trace_feed.c's work.
 *
 * A trace is input from outside, so nothing in it may crash the loader: every
 * field is checked before it is used, and a malformed line is recorded as a
 * diagnostic and skipped as a whole, never half applied.  A few well-formed
 * lines that make no sense -- a time earlier than the one before, a parent
 * that was never spawned, a section-end without its section -- are reported
 * too, and then loaded as well as they can be.
 */
#include "trace_internal.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ----------------------------------------------------------------------- */
/* Growable arrays, the journal and diagnostics                             */
/* ----------------------------------------------------------------------- */

void *tv__grow(void *items, size_t count, size_t *capacity, size_t item_size)
{
    if (count < *capacity)
        return items;
    size_t bigger = *capacity ? *capacity * 2 : 8;
    void *moved = reallocarray(items, bigger, item_size);
    if (moved != NULL)
        *capacity = bigger;
    return moved;
}

static bool remember_oom(tv_feed *ld)
{
    ld->out_of_memory = true;
    return false;
}

/* Adds a note to the journal; false when out of memory. */
static bool note(tv_feed *ld, tv_note_kind kind, tv_time t, uint32_t task,
                 size_t index)
{
    tv_model *m = ld->model;
    tv_note *notes = tv__grow(m->notes, m->n_notes, &m->notes_capacity, sizeof *notes);
    if (notes == NULL)
        return remember_oom(ld);
    m->notes = notes;
    notes[m->n_notes++] = (tv_note){.t = t, .kind = kind, .task = task, .index = index};
    return true;
}

void tv__diagnose(tv_feed *ld, const char *format, ...)
{
    tv_model *m = ld->model;
    char *message;
    va_list args;

    va_start(args, format);
    int length = vasprintf(&message, format, args);
    va_end(args);
    if (length < 0) {
        remember_oom(ld);
        return;
    }
    tv_diagnostic *d = tv__grow(m->diagnostics, m->n_diagnostics,
                            &m->diagnostics_capacity, sizeof *d);
    if (d == NULL) {
        free(message);
        remember_oom(ld);
        return;
    }
    m->diagnostics = d;
    d[m->n_diagnostics++] = (tv_diagnostic){.line = ld->line, .message = message};
    note(ld, TV_NOTE_PROBLEM, ld->last_t, 0, m->n_diagnostics - 1);
}

/* strdup() that notes running out of memory.  NULL stays NULL. */
static char *copy_text(tv_feed *ld, const char *text)
{
    if (text == NULL)
        return NULL;
    char *copy = strdup(text);
    if (copy == NULL)
        remember_oom(ld);
    return copy;
}

/* ----------------------------------------------------------------------- */
/* Reading fields                                                           */
/*                                                                          */
/* Each reader returns false, after a diagnostic, when the field is of the  */
/* wrong type, or missing although `required`.  An optional field that is   */
/* missing leaves *out as the caller set it.                                */
/* ----------------------------------------------------------------------- */

static bool missing(tv_feed *ld, const char *key, bool required)
{
    if (required)
        tv__diagnose(ld, "missing \"%s\"", key);
    return !required;
}

/* An integer in [min, max]; `what` names it in the diagnostic. */
static bool read_integer(tv_feed *ld, json_t *event, const char *key,
                         bool required, int64_t min, int64_t max,
                         const char *what, int64_t *out)
{
    json_t *field = json_object_get(event, key);
    if (field == NULL)
        return missing(ld, key, required);
    if (!json_is_integer(field) || json_integer_value(field) < min ||
        json_integer_value(field) > max) {
        tv__diagnose(ld, "\"%s\" must be %s", key, what);
        return false;
    }
    *out = json_integer_value(field);
    return true;
}

static bool read_task_id(tv_feed *ld, json_t *event, const char *key,
                         bool required, uint32_t *out)
{
    int64_t id = *out;
    if (!read_integer(ld, event, key, required, 0, UINT32_MAX, "a task id", &id))
        return false;
    *out = (uint32_t)id;
    return true;
}

static bool read_int(tv_feed *ld, json_t *event, const char *key, bool required,
                     int *out)
{
    int64_t value = *out;
    if (!read_integer(ld, event, key, required, INT32_MIN, INT32_MAX,
                      "a 32-bit integer", &value))
        return false;
    *out = (int)value;
    return true;
}

/*
 * Seconds, as the trace writes them, to whole microseconds.  Rounding (not
 * truncating) matters: in doubles, 0.000249 * 1e6 is 248.99999999999997.
 * Times beyond a billion seconds (some 30 years) are refused, which keeps
 * every microsecond count far from overflowing, even multiplied by a count
 * of columns in a renderer.
 */
static bool read_seconds(tv_feed *ld, json_t *event, const char *key,
                         bool required, tv_time *out)
{
    json_t *field = json_object_get(event, key);
    if (field == NULL)
        return missing(ld, key, required);
    double seconds = json_number_value(field);
    if (!json_is_number(field) || fabs(seconds) > 1e9) {
        tv__diagnose(ld, "\"%s\" must be a number of seconds", key);
        return false;
    }
    *out = (tv_time)llround(seconds * TV_USEC_PER_SEC);
    return true;
}

/* The string stays owned by `event`. */
static bool read_string(tv_feed *ld, json_t *event, const char *key,
                        bool required, const char **out)
{
    json_t *field = json_object_get(event, key);
    if (field == NULL)
        return missing(ld, key, required);
    if (!json_is_string(field)) {
        tv__diagnose(ld, "\"%s\" must be a string", key);
        return false;
    }
    *out = json_string_value(field);
    return true;
}

/* ----------------------------------------------------------------------- */
/* Tasks and their intervals                                                */
/* ----------------------------------------------------------------------- */

/* Where the task with this id is, or would be inserted, in the sorted array. */
static size_t task_position(const tv_model *m, uint32_t id)
{
    size_t low = 0, high = m->n_tasks;
    while (low < high) {
        size_t middle = low + (high - low) / 2;
        if (m->tasks[middle].id < id)
            low = middle + 1;
        else
            high = middle;
    }
    return low;
}

static tv_task *find_task(tv_feed *ld, uint32_t id)
{
    tv_model *m = ld->model;
    size_t i = task_position(m, id);
    return i < m->n_tasks && m->tasks[i].id == id ? &m->tasks[i] : NULL;
}

/* The task an event is about, if it exists and has not finished yet. */
static tv_task *live_task(tv_feed *ld, uint32_t id)
{
    tv_task *task = find_task(ld, id);
    if (task == NULL)
        tv__diagnose(ld, "task %u was never spawned", id);
    else if (task->outcome.kind != TV_OUTCOME_NONE)
        tv__diagnose(ld, "task %u has already finished", id);
    return task != NULL && task->outcome.kind == TV_OUTCOME_NONE ? task : NULL;
}

/*
 * Ends the task's current interval at t and begins a new one in `state`.
 * The new interval's t1 stays equal to t0 until the next event ends it.
 * Returns NULL when out of memory.
 */
static tv_interval *begin_interval(tv_feed *ld, tv_task *task, tv_time t,
                                   tv_state state)
{
    tv_interval *intervals = tv__grow(task->intervals, task->n_intervals,
                                  &task->intervals_capacity, sizeof *intervals);
    if (intervals == NULL) {
        remember_oom(ld);
        return NULL;
    }
    task->intervals = intervals;
    if (task->n_intervals > 0)
        intervals[task->n_intervals - 1].t1 = t;
    tv_interval *next = &intervals[task->n_intervals++];
    *next = (tv_interval){.t0 = t, .t1 = t, .state = state};
    return next;
}

/*
 * A text that many waits share -- an "on" kind of wait, a resource's name --
 * kept once in the model, however many intervals point to it.  Finding it
 * again is a linear search, which is fine while programs wait on a handful
 * of kinds of things and resources; a hash table would be the cure if they
 * ever waited on thousands.
 */
static const char *intern(tv_feed *ld, const char *text)
{
    tv_model *m = ld->model;
    for (size_t i = 0; i < m->n_wait_names; i++)
        if (strcmp(text, m->wait_names[i]) == 0)
            return m->wait_names[i];
    char **names = tv__grow(m->wait_names, m->n_wait_names,
                            &m->wait_names_capacity, sizeof *names);
    if (names == NULL) {
        remember_oom(ld);
        return NULL;
    }
    m->wait_names = names;
    char *copy = copy_text(ld, text);
    if (copy != NULL)
        names[m->n_wait_names++] = copy;
    return copy;
}

/* The "on" text of a wait: known kinds point to string constants. */
static const char *wait_name(tv_feed *ld, const char *on, tv_wait_kind *kind)
{
    static const struct {
        const char *name;
        tv_wait_kind kind;
    } known[] = {
        {"sleep", TV_WAIT_SLEEP},
        {"yield", TV_WAIT_YIELD},
        {"task", TV_WAIT_TASK},
        {"gather", TV_WAIT_GATHER},
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        if (strcmp(on, known[i].name) == 0) {
            *kind = known[i].kind;
            return known[i].name;
        }
    }
    *kind = TV_WAIT_OTHER;
    return intern(ld, on);
}

/* ----------------------------------------------------------------------- */
/* One handler per kind of event                                            */
/*                                                                          */
/* A handler reads and checks every field first and changes the model only  */
/* once all of them are good.  It returns whether it applied the event.     */
/* ----------------------------------------------------------------------- */

static bool on_start(tv_feed *ld, json_t *event, tv_time t)
{
    (void)t;
    int version = 0;
    const char *clock = NULL;
    if (!read_int(ld, event, "version", false, &version) ||
        !read_string(ld, event, "clock", false, &clock))
        return false;
    if (ld->saw_start) {
        tv__diagnose(ld, "a second \"start\" line");
        return false;
    }
    ld->saw_start = true;
    ld->model->version = version;
    if (clock != NULL && strcmp(clock, "real") == 0)
        ld->model->clock = TV_CLOCK_REAL;
    else if (clock != NULL && strcmp(clock, "virtual") == 0)
        ld->model->clock = TV_CLOCK_VIRTUAL;
    return true;
}

/* Makes room for a task with this id at its place in the sorted array. */
static tv_task *insert_task(tv_feed *ld, uint32_t id)
{
    tv_model *m = ld->model;
    tv_task *tasks = tv__grow(m->tasks, m->n_tasks, &m->tasks_capacity, sizeof *tasks);
    if (tasks == NULL) {
        remember_oom(ld);
        return NULL;
    }
    m->tasks = tasks;
    size_t at = task_position(m, id);
    memmove(&tasks[at + 1], &tasks[at], (m->n_tasks - at) * sizeof *tasks);
    m->n_tasks++;
    tasks[at] = (tv_task){.id = id, .finish_line = SIZE_MAX};
    return &tasks[at];
}

static bool on_spawn(tv_feed *ld, json_t *event, tv_time t)
{
    uint32_t id = 0, parent_id = 0;
    const char *name = NULL;
    if (!read_task_id(ld, event, "task", true, &id) ||
        !read_string(ld, event, "name", true, &name) ||
        !read_task_id(ld, event, "parent", false, &parent_id))
        return false;
    if (id == 0) {
        tv__diagnose(ld, "task ids start at 1");
        return false;
    }
    if (find_task(ld, id) != NULL) {
        tv__diagnose(ld, "task %u is spawned twice", id);
        return false;
    }
    /* A parent must exist before its child.  Without one, the task becomes
     * a root of its own, so the task tree can never contain a cycle. */
    int depth = 0;
    if (parent_id != 0) {
        const tv_task *parent = find_task(ld, parent_id);
        if (parent == NULL) {
            tv__diagnose(ld, "parent %u of task %u was never spawned", parent_id, id);
            parent_id = 0;
        } else {
            depth = parent->depth + 1;
        }
    }
    char *name_copy = copy_text(ld, name);
    tv_task *task = name_copy != NULL ? insert_task(ld, id) : NULL;
    if (task == NULL) {
        free(name_copy);
        return false;
    }
    task->name = name_copy;
    task->parent = parent_id;
    task->depth = depth;
    task->spawned = t;
    task->spawn_line = ld->line;
    ld->tree_stale = true;
    return begin_interval(ld, task, t, TV_STATE_READY) != NULL &&
           note(ld, TV_NOTE_SPAWN, t, id, 0);
}

static bool on_run(tv_feed *ld, json_t *event, tv_time t)
{
    uint32_t id = 0;
    if (!read_task_id(ld, event, "task", true, &id))
        return false;
    tv_task *task = live_task(ld, id);
    return task != NULL && begin_interval(ld, task, t, TV_STATE_RUNNING) != NULL;
}

static bool on_wait(tv_feed *ld, json_t *event, tv_time t)
{
    uint32_t id = 0, target = 0;
    const char *on = NULL, *resource = NULL;
    if (!read_task_id(ld, event, "task", true, &id) ||
        !read_string(ld, event, "on", true, &on) ||
        !read_task_id(ld, event, "target", false, &target) ||
        !read_string(ld, event, "name", false, &resource))
        return false;
    tv_task *task = live_task(ld, id);
    if (task == NULL)
        return false;
    tv_wait_kind kind;
    const char *name = wait_name(ld, on, &kind);
    if (name != NULL && resource != NULL && (resource = intern(ld, resource)) == NULL)
        return false;
    tv_interval *waiting = name ? begin_interval(ld, task, t, TV_STATE_WAITING) : NULL;
    if (waiting == NULL)
        return false;
    waiting->wait = kind;
    waiting->on = name;
    waiting->target = kind == TV_WAIT_TASK ? target : 0;
    waiting->resource = resource;
    return true;
}

static bool on_wake(tv_feed *ld, json_t *event, tv_time t)
{
    uint32_t id = 0;
    int status = 0;
    if (!read_task_id(ld, event, "task", true, &id) ||
        !read_int(ld, event, "status", false, &status))
        return false;
    tv_task *task = live_task(ld, id);
    tv_interval *ready = task ? begin_interval(ld, task, t, TV_STATE_READY) : NULL;
    if (ready == NULL)
        return false;
    ready->wake_status = status;
    return true;
}

/* Reads the fields of a "done" event that depend on its outcome. */
static bool read_outcome(tv_feed *ld, json_t *event, tv_outcome *outcome)
{
    const char *kind = NULL, *message = NULL, *origin = NULL;
    if (!read_string(ld, event, "outcome", true, &kind))
        return false;
    if (strcmp(kind, "ok") == 0) {
        outcome->kind = TV_OUTCOME_OK;
        return read_integer(ld, event, "value", false, INT64_MIN, INT64_MAX,
                            "an integer", &outcome->value);
    }
    if (strcmp(kind, "cancelled") == 0) {
        outcome->kind = TV_OUTCOME_CANCELLED;
        return true;
    }
    if (strcmp(kind, "error") != 0) {
        tv__diagnose(ld, "unknown outcome \"%s\"", kind);
        return false;
    }
    outcome->kind = TV_OUTCOME_ERROR;
    if (!read_int(ld, event, "code", true, &outcome->code) ||
        !read_string(ld, event, "error", false, &message) ||
        !read_string(ld, event, "origin", false, &origin))
        return false;
    outcome->message = copy_text(ld, message);
    outcome->origin = copy_text(ld, origin);
    return !ld->out_of_memory;
}

static bool on_done(tv_feed *ld, json_t *event, tv_time t)
{
    uint32_t id = 0;
    tv_outcome outcome = {.t = t};
    if (!read_task_id(ld, event, "task", true, &id))
        return false;
    tv_task *task = live_task(ld, id);
    if (task == NULL || !read_outcome(ld, event, &outcome)) {
        free(outcome.message);
        free(outcome.origin);
        return false;
    }
    task->intervals[task->n_intervals - 1].t1 = t;
    task->outcome = outcome;
    task->finish_line = ld->line;
    return note(ld, TV_NOTE_DONE, t, id, 0);
}

static bool on_cancel(tv_feed *ld, json_t *event, tv_time t)
{
    uint32_t id = 0, by = 0;
    if (!read_task_id(ld, event, "task", true, &id) ||
        !read_task_id(ld, event, "by", false, &by))
        return false;
    if (find_task(ld, id) == NULL) {
        tv__diagnose(ld, "task %u was never spawned", id);
        return false;
    }
    tv_model *m = ld->model;
    tv_cancel *cancels = tv__grow(m->cancels, m->n_cancels, &m->cancels_capacity,
                              sizeof *cancels);
    if (cancels == NULL)
        return remember_oom(ld);
    m->cancels = cancels;
    cancels[m->n_cancels++] = (tv_cancel){.t = t, .task = id, .by = by};
    return note(ld, TV_NOTE_CANCEL, t, 0, m->n_cancels - 1);
}

static bool on_slow(tv_feed *ld, json_t *event, tv_time t)
{
    uint32_t id = 0;
    tv_time held = 0;
    if (!read_task_id(ld, event, "task", true, &id) ||
        !read_seconds(ld, event, "held", true, &held))
        return false;
    if (find_task(ld, id) == NULL) {
        tv__diagnose(ld, "task %u was never spawned", id);
        return false;
    }
    tv_model *m = ld->model;
    tv_slow *slows = tv__grow(m->slows, m->n_slows, &m->slows_capacity, sizeof *slows);
    if (slows == NULL)
        return remember_oom(ld);
    m->slows = slows;
    slows[m->n_slows++] = (tv_slow){.t = t, .task = id, .held = held};
    return note(ld, TV_NOTE_SLOW, t, 0, m->n_slows - 1);
}

static bool open_section(tv_feed *ld, const char *name, tv_time t)
{
    tv_model *m = ld->model;
    tv_section *sections = tv__grow(m->sections, m->n_sections,
                                &m->sections_capacity, sizeof *sections);
    if (sections == NULL)
        return remember_oom(ld);
    m->sections = sections;
    char *name_copy = copy_text(ld, name);
    if (name_copy == NULL)
        return false;
    sections[m->n_sections++] = (tv_section){
        .name = name_copy, .t0 = t, .t1 = t, .line0 = ld->line, .line1 = SIZE_MAX};
    return true;
}

/* Closes the most recent open section of that name: sections may nest. */
static void close_section(tv_feed *ld, const char *name, tv_time t)
{
    tv_model *m = ld->model;
    for (size_t i = m->n_sections; i-- > 0;) {
        tv_section *s = &m->sections[i];
        if (!s->closed && strcmp(s->name, name) == 0) {
            s->t1 = t;
            s->line1 = ld->line;
            s->closed = true;
            return;
        }
    }
    tv__diagnose(ld, "\"section-end %s\" without \"section %s\"", name, name);
}

static bool on_mark(tv_feed *ld, json_t *event, tv_time t)
{
    const char *text = NULL;
    if (!read_string(ld, event, "text", true, &text))
        return false;
    tv_model *m = ld->model;
    tv_mark *marks = tv__grow(m->marks, m->n_marks, &m->marks_capacity, sizeof *marks);
    if (marks == NULL)
        return remember_oom(ld);
    m->marks = marks;
    char *text_copy = copy_text(ld, text);
    if (text_copy == NULL)
        return false;
    marks[m->n_marks++] = (tv_mark){.t = t, .line = ld->line, .text = text_copy};
    if (!note(ld, TV_NOTE_MARK, t, 0, m->n_marks - 1))
        return false;

    static const char opening[] = "section ", closing[] = "section-end ";
    if (strncmp(text, closing, strlen(closing)) == 0)
        close_section(ld, text + strlen(closing), t);
    else if (strncmp(text, opening, strlen(opening)) == 0)
        return open_section(ld, text + strlen(opening), t);
    return true;
}

/* The resource of that kind and name, added if it is new; NULL when out of memory. */
static tv_resource *find_or_add_resource(tv_feed *ld, const char *kind,
                                         const char *name)
{
    tv_model *m = ld->model;
    for (size_t i = 0; i < m->n_resources; i++) /* few: see intern() */
        if (strcmp(m->resources[i].kind, kind) == 0 &&
            strcmp(m->resources[i].name, name) == 0)
            return &m->resources[i];
    tv_resource *resources = tv__grow(m->resources, m->n_resources,
                                      &m->resources_capacity, sizeof *resources);
    if (resources == NULL) {
        remember_oom(ld);
        return NULL;
    }
    m->resources = resources;
    char *kind_copy = copy_text(ld, kind), *name_copy = copy_text(ld, name);
    if (kind_copy == NULL || name_copy == NULL) {
        free(kind_copy);
        free(name_copy);
        return NULL;
    }
    tv_resource *r = &resources[m->n_resources++];
    *r = (tv_resource){.kind = kind_copy, .name = name_copy};
    return r;
}

static bool on_resource(tv_feed *ld, json_t *event, tv_time t)
{
    const char *kind = NULL, *name = "";
    tv_resource_sample sample = {.t = t};
    if (!read_string(ld, event, "kind", true, &kind) ||
        !read_string(ld, event, "name", false, &name) ||
        !read_integer(ld, event, "level", true, INT64_MIN, INT64_MAX,
                      "an integer", &sample.level) ||
        !read_integer(ld, event, "capacity", false, 0, INT64_MAX,
                      "a count of 0 or more", &sample.capacity) ||
        !read_integer(ld, event, "waiters", false, 0, INT64_MAX,
                      "a count of 0 or more", &sample.waiters) ||
        !read_task_id(ld, event, "owner", false, &sample.owner))
        return false;
    tv_resource *r = find_or_add_resource(ld, kind, name);
    if (r == NULL)
        return false;
    tv_resource_sample *samples = tv__grow(r->samples, r->n_samples,
                                           &r->samples_capacity, sizeof *samples);
    if (samples == NULL)
        return remember_oom(ld);
    r->samples = samples;
    samples[r->n_samples++] = sample;
    return true;
}

static bool on_end(tv_feed *ld, json_t *event, tv_time t)
{
    (void)event;
    ld->saw_end = true;
    ld->model->ended = true;
    ld->model->end = t;
    return true;
}

/* ----------------------------------------------------------------------- */
/* Lines                                                                    */
/* ----------------------------------------------------------------------- */

typedef bool (*event_handler)(tv_feed *ld, json_t *event, tv_time t);

typedef struct event_kind {
    const char *ev;
    event_handler handle;
    bool timed; /* the line carries a "t"; only "start" does not */
} event_kind;

static const event_kind event_kinds[] = {
    {"start", on_start, false}, {"spawn", on_spawn, true},
    {"run", on_run, true},      {"wait", on_wait, true},
    {"wake", on_wake, true},    {"done", on_done, true},
    {"cancel", on_cancel, true}, {"mark", on_mark, true},
    {"slow", on_slow, true},    {"resource", on_resource, true},
    {"end", on_end, true},
};

/* The kind named by an "ev" text, or NULL: unknown kinds are skipped. */
static const event_kind *event_kind_named(const char *ev)
{
    for (size_t i = 0; i < sizeof event_kinds / sizeof event_kinds[0]; i++)
        if (strcmp(ev, event_kinds[i].ev) == 0)
            return &event_kinds[i];
    return NULL;
}

/*
 * The event's time.  Times must not go backwards: a trace is written in the
 * order things happened, and intervals of negative length would break every
 * renderer.  A time earlier than one already seen is reported and replaced
 * by the latest time.
 */
static bool read_event_time(tv_feed *ld, json_t *event, tv_time *t)
{
    if (!read_seconds(ld, event, "t", true, t))
        return false;
    if (*t < ld->last_t) {
        tv__diagnose(ld, "time goes backwards, from %.6f s to %.6f s",
                 (double)ld->last_t / TV_USEC_PER_SEC,
                 (double)*t / TV_USEC_PER_SEC);
        *t = ld->last_t;
    }
    return true;
}

static void load_event(tv_feed *ld, json_t *event)
{
    const char *ev = NULL;
    if (!read_string(ld, event, "ev", true, &ev))
        return;
    const event_kind *kind = event_kind_named(ev);
    if (kind == NULL)
        return;
    tv_time t = ld->last_t;
    if (kind->timed && !read_event_time(ld, event, &t))
        return;
    if (kind->handle(ld, event, t))
        ld->last_t = t;
}

bool tv__is_blank(const char *text, size_t length)
{
    for (size_t i = 0; i < length; i++)
        if (strchr(" \t\r\n", text[i]) == NULL)
            return false;
    return true;
}

void tv__apply_line(tv_feed *ld, const char *text, size_t length)
{
    if (tv__is_blank(text, length))
        return;
    json_error_t error;
    json_t *event = json_loadb(text, length, JSON_DECODE_ANY, &error);
    if (event == NULL)
        tv__diagnose(ld, "not JSON: %s", error.text);
    else if (!json_is_object(event))
        tv__diagnose(ld, "not a JSON object");
    else
        load_event(ld, event);
    json_decref(event);
}

