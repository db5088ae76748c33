/*
 * chrome_export.c -- the model as Chrome trace events, built with jansson.
 *
 * Every event is one small JSON object built by json_pack(), whose format
 * string reads like the JSON it makes: "{s:s, s:I}" is an object with a
 * string and an integer member.  Members keep the order they were packed in,
 * and the events are added in a fixed order (metadata, then task by task in
 * id order, then cancels, slow steps, sections and marks in trace order), so
 * the output is the same for the same model.
 *
 * A failure to build an event (only possible when out of memory) is noted
 * and the export returns NULL at the end, rather than checking after every
 * event.
 */
#include "chrome_export.h"

#include <errno.h>

typedef struct exporter {
    const tv_model *model;
    json_t *events;
    json_int_t sections_tid; /* the pseudo-thread of sections and marks */
    bool failed;
} exporter;

/* Appends an event; a NULL event (json_pack() failed) marks the export failed. */
static void emit(exporter *ex, json_t *event)
{
    if (event == NULL || json_array_append_new(ex->events, event) != 0)
        ex->failed = true;
}

/* ----------------------------------------------------------------------- */
/* Metadata: names and order of the threads                                 */
/* ----------------------------------------------------------------------- */

static void emit_thread(exporter *ex, json_int_t tid, const char *name,
                        json_int_t sort_index)
{
    emit(ex, json_pack("{s:s, s:s, s:i, s:I, s:{s:s}}", "name", "thread_name",
                       "ph", "M", "pid", TV_CHROME_PID, "tid", tid, "args",
                       "name", name));
    emit(ex, json_pack("{s:s, s:s, s:i, s:I, s:{s:I}}", "name",
                       "thread_sort_index", "ph", "M", "pid", TV_CHROME_PID,
                       "tid", tid, "args", "sort_index", sort_index));
}

static void emit_metadata(exporter *ex)
{
    static const char *const process_names[] = {
        [TV_CLOCK_UNKNOWN] = "awaitlab", [TV_CLOCK_REAL] = "awaitlab (real time)",
        [TV_CLOCK_VIRTUAL] = "awaitlab (virtual time)"};
    const tv_model *m = ex->model;

    emit(ex, json_pack("{s:s, s:s, s:i, s:{s:s}}", "name", "process_name", "ph",
                       "M", "pid", TV_CHROME_PID, "args", "name",
                       process_names[m->clock]));
    for (size_t i = 0; i < m->n_tasks; i++)
        emit_thread(ex, m->tasks[i].id, m->tasks[i].name, m->tasks[i].id);
    if (m->n_sections > 0 || m->n_marks > 0)
        emit_thread(ex, ex->sections_tid, "sections", 0);
}

/* ----------------------------------------------------------------------- */
/* Tasks                                                                    */
/* ----------------------------------------------------------------------- */

/* "running", "ready", "sleep", "await fetch-3", "gather", "semaphore", ... */
static json_t *interval_name(const exporter *ex, const tv_interval *interval)
{
    if (interval->state != TV_STATE_WAITING)
        return json_string(tv_state_name(interval->state));
    if (interval->wait != TV_WAIT_TASK)
        return json_string(interval->on);
    const tv_task *target = tv_model_task(ex->model, interval->target);
    if (target != NULL)
        return json_sprintf("await %s", target->name);
    return json_sprintf("await task %u", interval->target);
}

/* The details of an interval, shown when it is selected in the viewer. */
static json_t *interval_args(const tv_interval *interval)
{
    if (interval->state == TV_STATE_WAITING && interval->wait == TV_WAIT_TASK)
        return json_pack("{s:s, s:I}", "on", interval->on, "target",
                         (json_int_t)interval->target);
    if (interval->state == TV_STATE_WAITING)
        return json_pack("{s:s}", "on", interval->on);
    if (interval->state == TV_STATE_READY && interval->wake_status != 0)
        return json_pack("{s:i}", "wake_status", interval->wake_status);
    return json_object();
}

/*
 * One complete event per interval.  Ready intervals that took no time are
 * left out: in virtual time all of them do, and they would only clutter the
 * view.  Running ones are kept even then, since they show when a task ran.
 */
static void emit_intervals(exporter *ex, const tv_task *task)
{
    for (size_t i = 0; i < task->n_intervals; i++) {
        const tv_interval *interval = &task->intervals[i];
        if (interval->state == TV_STATE_READY && interval->t1 == interval->t0)
            continue;
        emit(ex, json_pack("{s:o, s:s, s:s, s:I, s:I, s:i, s:I, s:o}", "name",
                           interval_name(ex, interval), "cat",
                           tv_state_name(interval->state), "ph", "X", "ts",
                           (json_int_t)interval->t0, "dur",
                           (json_int_t)(interval->t1 - interval->t0), "pid",
                           TV_CHROME_PID, "tid", (json_int_t)task->id, "args",
                           interval_args(interval)));
    }
}

/* An instant event on a thread: a mark, an outcome, a cancel request. */
static void emit_instant(exporter *ex, json_int_t tid, tv_time t, const char *name,
                         const char *category, json_t *args)
{
    emit(ex, json_pack("{s:s, s:s, s:s, s:s, s:I, s:i, s:I, s:o}", "name", name,
                       "cat", category, "ph", "i", "s", "t", "ts", (json_int_t)t,
                       "pid", TV_CHROME_PID, "tid", tid, "args", args));
}

static void emit_outcome(exporter *ex, const tv_task *task)
{
    const tv_outcome *outcome = &task->outcome;
    switch (outcome->kind) {
    case TV_OUTCOME_OK:
        emit_instant(ex, task->id, outcome->t, "ok", "outcome",
                     json_pack("{s:I}", "value", (json_int_t)outcome->value));
        break;
    case TV_OUTCOME_ERROR:
        emit_instant(ex, task->id, outcome->t, "error", "outcome",
                     json_pack("{s:i, s:s?, s:s?}", "code", outcome->code,
                               "error", outcome->message, "origin",
                               outcome->origin));
        break;
    case TV_OUTCOME_CANCELLED:
        emit_instant(ex, task->id, outcome->t, "cancelled", "outcome",
                     json_object());
        break;
    case TV_OUTCOME_NONE: /* still alive when the trace ends */
        break;
    }
}

/* A task's name for args, or NULL (JSON null) if no such task. */
static const char *name_of(const exporter *ex, uint32_t id)
{
    const tv_task *task = tv_model_task(ex->model, id);
    return task != NULL ? task->name : NULL;
}

static void emit_cancels_and_slow_steps(exporter *ex)
{
    const tv_model *m = ex->model;
    for (size_t i = 0; i < m->n_cancels; i++) {
        const tv_cancel *cancel = &m->cancels[i];
        emit_instant(ex, cancel->task, cancel->t, "cancel requested", "cancel",
                     json_pack("{s:I, s:s?}", "by", (json_int_t)cancel->by,
                               "by_name", name_of(ex, cancel->by)));
    }
    for (size_t i = 0; i < m->n_slows; i++) {
        const tv_slow *slow = &m->slows[i];
        emit_instant(ex, slow->task, slow->t, "slow step", "slow",
                     json_pack("{s:I}", "held_us", (json_int_t)slow->held));
    }
}

/* ----------------------------------------------------------------------- */
/* Sections and marks                                                       */
/* ----------------------------------------------------------------------- */

static void emit_sections_and_marks(exporter *ex)
{
    const tv_model *m = ex->model;
    for (size_t i = 0; i < m->n_sections; i++) {
        const tv_section *s = &m->sections[i];
        emit(ex, json_pack("{s:s, s:s, s:s, s:I, s:I, s:i, s:I, s:{s:b}}", "name",
                           s->name, "cat", "section", "ph", "X", "ts",
                           (json_int_t)s->t0, "dur", (json_int_t)(s->t1 - s->t0),
                           "pid", TV_CHROME_PID, "tid", ex->sections_tid, "args",
                           "closed", s->closed));
    }
    for (size_t i = 0; i < m->n_marks; i++)
        emit_instant(ex, ex->sections_tid, m->marks[i].t, m->marks[i].text,
                     "mark", json_object());
}

/* ----------------------------------------------------------------------- */
/* The whole trace                                                          */
/* ----------------------------------------------------------------------- */

/*
 * Sections get a thread of their own.  Its id must not be a task's, and tid 0
 * is best avoided (trace viewers treat thread 0 as the idle thread), so it is
 * the one after the highest task id.
 */
static json_int_t sections_tid(const tv_model *m)
{
    return m->n_tasks > 0 ? (json_int_t)m->tasks[m->n_tasks - 1].id + 1 : 1;
}

static const char *clock_name(tv_clock clock)
{
    return clock == TV_CLOCK_REAL ? "real"
         : clock == TV_CLOCK_VIRTUAL ? "virtual" : "unknown";
}

json_t *tv_chrome_trace(const tv_model *model)
{
    exporter ex = {.model = model, .events = json_array(),
                   .sections_tid = sections_tid(model)};
    if (ex.events == NULL)
        return NULL;

    emit_metadata(&ex);
    for (size_t i = 0; i < model->n_tasks; i++) {
        emit_intervals(&ex, &model->tasks[i]);
        emit_outcome(&ex, &model->tasks[i]);
    }
    emit_cancels_and_slow_steps(&ex);
    emit_sections_and_marks(&ex);

    json_t *trace = json_pack(
        "{s:o, s:s, s:{s:s, s:s, s:i, s:b}}", "traceEvents", ex.events,
        "displayTimeUnit", "ms", "otherData", "generator", "awaitlab",
        "clock", clock_name(model->clock), "trace_version", model->version,
        "complete", model->ended);
    if (ex.failed) {
        json_decref(trace);
        return NULL;
    }
    return trace; /* "o" handed the events to it, or freed them on failure */
}

int tv_chrome_export(const tv_model *model, FILE *out)
{
    json_t *trace = tv_chrome_trace(model);
    if (trace == NULL) {
        errno = ENOMEM;
        return -1;
    }
    int status = json_dumpf(trace, out, JSON_PRESERVE_ORDER | JSON_COMPACT);
    json_decref(trace);
    if (status == 0 && fputc('\n', out) == EOF)
        status = -1;
    return status == 0 && !ferror(out) ? 0 : -1;
}

int tv_chrome_export_path(const tv_model *model, const char *path)
{
    FILE *out = fopen(path, "w");
    if (out == NULL)
        return -1;
    int status = tv_chrome_export(model, out);
    int saved = errno;
    if (fclose(out) != 0 && status == 0)
        return -1;
    errno = saved;
    return status;
}
