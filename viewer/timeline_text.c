/*
 * timeline_text.c -- drawing a window of a trace as text, one row per task.
 *
 * The time axis is cut into `width` slices of (nearly) equal length.  For
 * every task and every slice we add up how long the task spent in each kind
 * of activity -- running, awaiting, sleeping, other waits, ready -- and draw
 * the one that took most of the slice.  Then the outcome letter goes in the
 * column of the instant the task finished.
 *
 * The mapping of time to columns, the ruler's steps and the adding up of
 * time per column are shared with the other renderers (time_axis.h,
 * lane_sample.h); what is the text timeline's own is its look: one ASCII
 * glyph per kind of activity, coarser than the live viewer's.
 */
#include "timeline_text.h"

#include "error_text.h"

#include "lane_sample.h"
#include "time_axis.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/*
 * What a stretch of a lane is drawn as here: all waits that are not on a
 * task, a gather or a sleep share one glyph.  On a tie the earlier one wins.
 */
typedef enum activity {
    ACTIVITY_RUNNING,
    ACTIVITY_AWAIT, /* awaiting a task or a gather */
    ACTIVITY_SLEEP,
    ACTIVITY_OTHER, /* waiting on anything else: a lock, a queue, ... */
    ACTIVITY_READY,
    N_ACTIVITIES
} activity;

static const char activity_glyph[N_ACTIVITIES] = {'#', '-', '=', ':', '.'};

static const char legend[] =
    "# run  = sleep  - await  . ready  : wait (other)  o ok  x error  c cancelled";

#define MAX_INDENT 6       /* deeper tasks are indented no further        */
#define MIN_TICK_GAP 8     /* columns between two labels of the ruler     */
#define MAX_UTF8_BYTES 4   /* bytes in one character of a task's name     */
#define NAME_FIELD_BYTES (TV_TIMELINE_NAME_WIDTH * MAX_UTF8_BYTES + 1)
#define SECONDS_BYTES TV_SECONDS_BYTES

/* Everything the drawing functions share. */
typedef struct chart {
    const tv_model *model;
    const tv_section *window;
    tv_time span;       /* window->t1 - window->t0                         */
    int width;          /* slices on the time axis                         */
    tv_axis axis;       /* the window across `width` columns               */
    int max_tasks;      /* rows (and list entries) before summing up       */
    FILE *out;
    char *line;         /* a buffer wide enough for any line of the chart  */
    tv_spent *spent;    /* per slice, time in each activity                */
} chart;

/* ----------------------------------------------------------------------- */
/* Time and columns                                                         */
/* ----------------------------------------------------------------------- */

/* The column of an instant in [t0, t1]; t1 itself is column `width`. */
static int column_of(const chart *c, tv_time t)
{
    return tv_axis_column(&c->axis, t);
}

/* ----------------------------------------------------------------------- */
/* Lines                                                                    */
/* ----------------------------------------------------------------------- */

/* Prints `length` bytes of `text` without trailing blanks, then a newline. */
static void print_trimmed(FILE *out, const char *text, size_t length)
{
    while (length > 0 && text[length - 1] == ' ')
        length--;
    fwrite(text, 1, length, out);
    fputc('\n', out);
}

static bool is_utf8_continuation(unsigned char byte)
{
    return (byte & 0xC0) == 0x80;
}

/* Columns a UTF-8 text takes, counting one per character. */
static int display_length(const char *text)
{
    int columns = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        columns += !is_utf8_continuation(*p);
    return columns;
}

/*
 * Fills `field` with the task's name, indented one space per level below
 * main, padded to TV_TIMELINE_NAME_WIDTH columns.  A name that does not fit
 * is cut and ends in '~'.  Control characters become '?', so that a strange
 * name cannot break the layout.  Returns the length of the field in bytes.
 */
static size_t format_name(const tv_task *task, char field[NAME_FIELD_BYTES])
{
    int indent = task->depth < MAX_INDENT ? task->depth : MAX_INDENT;
    int room = TV_TIMELINE_NAME_WIDTH - indent;
    int length = display_length(task->name);
    int kept = length <= room ? length : room - 1;
    size_t n = 0;

    memset(field, ' ', (size_t)indent);
    n += (size_t)indent;
    const unsigned char *p = (const unsigned char *)task->name;
    for (int columns = 0; columns < kept; columns++) {
        field[n++] = *p < 0x20 || *p == 0x7F ? '?' : (char)*p;
        for (p++; is_utf8_continuation(*p); p++)
            field[n++] = (char)*p;
    }
    if (kept < length)
        field[n++] = '~';
    for (int columns = indent + kept + (kept < length); columns < TV_TIMELINE_NAME_WIDTH;
         columns++)
        field[n++] = ' ';
    return n;
}

/* The first line: what is drawn, how long it lasted, and on which clock. */
static void print_header(const chart *c)
{
    static const char *const clock_words[] = {
        [TV_CLOCK_UNKNOWN] = "", [TV_CLOCK_REAL] = " of real time",
        [TV_CLOCK_VIRTUAL] = " of virtual time"};
    char duration[SECONDS_BYTES], from[SECONDS_BYTES], to[SECONDS_BYTES];

    tv_format_seconds(duration, sizeof duration, c->span, 3);
    tv_format_seconds(from, sizeof from, c->window->t0, 3);
    tv_format_seconds(to, sizeof to, c->window->t1, 3);
    if (c->window->name != NULL)
        fprintf(c->out, "section %s: ", c->window->name);
    else
        fprintf(c->out, "run: ");
    fprintf(c->out, "%s s%s (t = %s .. %s)\n", duration,
            clock_words[c->model->clock], from, to);
}

/* ----------------------------------------------------------------------- */
/* The ruler                                                                */
/* ----------------------------------------------------------------------- */

/* "seconds  0.0  0.1 ...": times from the start of the window. */
static void print_ruler(const chart *c)
{
    char *line = c->line;
    size_t length = (size_t)snprintf(line, NAME_FIELD_BYTES, "%-*s ",
                                     TV_TIMELINE_NAME_WIDTH, "seconds");
    size_t axis = length;
    tv_time step = tv_axis_ruler_step(&c->axis, MIN_TICK_GAP);
    int decimals = step ? tv_step_decimals(step) : 0;

    memset(line + axis, ' ', (size_t)c->width + 1);
    length = axis + (size_t)c->width + 1;
    for (tv_time r = 0; r <= c->span; r += step) {
        char label[SECONDS_BYTES];
        tv_format_seconds(label, sizeof label, r, decimals);
        size_t at = axis + (size_t)column_of(c, c->window->t0 + r);
        memcpy(line + at, label, strlen(label));
        if (at + strlen(label) > length)
            length = at + strlen(label);
        if (step == 0) /* only the start fits */
            break;
    }
    print_trimmed(c->out, line, length);
}

/* ----------------------------------------------------------------------- */
/* Lanes                                                                    */
/* ----------------------------------------------------------------------- */

static int activity_of(const tv_interval *interval)
{
    switch (tv_activity_of(interval)) {
    case TV_ACT_RUNNING:
        return ACTIVITY_RUNNING;
    case TV_ACT_SLEEP:
        return ACTIVITY_SLEEP;
    case TV_ACT_READY:
        return ACTIVITY_READY;
    default: /* the text timeline's "await" is only a task or a gather */
        return interval->wait == TV_WAIT_TASK || interval->wait == TV_WAIT_GATHER
                   ? ACTIVITY_AWAIT
                   : ACTIVITY_OTHER;
    }
}

static char outcome_glyph(tv_outcome_kind kind)
{
    switch (kind) {
    case TV_OUTCOME_OK: return 'o';
    case TV_OUTCOME_ERROR: return 'x';
    case TV_OUTCOME_CANCELLED: return 'c';
    default: return ' ';
    }
}

/*
 * The glyph of one slice: the activity that took most of it.  A slice can
 * hold no time at all when the window lasts fewer microseconds than it has
 * columns; it then shows what the task was doing at its instant.
 */
static char slice_glyph(const chart *c, const tv_task *task, int column)
{
    int most = tv_dominant_activity(c->spent[column], N_ACTIVITIES);
    if (most >= 0)
        return activity_glyph[most];

    tv_time at = tv_axis_slice_start(&c->axis, column);
    const tv_interval *interval;
    if (at != tv_axis_slice_start(&c->axis, column + 1))
        return ' ';
    tv_task_state_at(task, at, &interval);
    return interval != NULL ? activity_glyph[activity_of(interval)] : ' ';
}

/* Draws one task's lane into `cells`: width slices, then the end instant. */
static void draw_lane(const chart *c, const tv_task *task, char *cells)
{
    memset(c->spent, 0, (size_t)c->width * sizeof *c->spent);
    tv_lane_add_spent_by(task, &c->axis, c->window->t1, activity_of, c->spent);

    int slices = c->span > 0 ? c->width : 1; /* an instant is one column */
    memset(cells, ' ', (size_t)c->width + 1);
    for (int column = 0; column < slices; column++)
        cells[column] = slice_glyph(c, task, column);

    const tv_outcome *outcome = &task->outcome;
    if (outcome->kind != TV_OUTCOME_NONE && outcome->t >= c->window->t0 &&
        outcome->t <= c->window->t1)
        cells[column_of(c, outcome->t)] = outcome_glyph(outcome->kind);
}

static void print_lane(const chart *c, const tv_task *task)
{
    size_t length = format_name(task, c->line);
    c->line[length++] = ' ';
    draw_lane(c, task, c->line + length);
    print_trimmed(c->out, c->line, length + (size_t)c->width + 1);
}

static void print_lanes(const chart *c, const tv_task *const *tasks, size_t n)
{
    size_t shown = n < (size_t)c->max_tasks ? n : (size_t)c->max_tasks;
    for (size_t i = 0; i < shown; i++)
        print_lane(c, tasks[i]);
    if (n > shown)
        fprintf(c->out, "... and %zu more task%s\n", n - shown,
                n - shown == 1 ? "" : "s");
}

/* ----------------------------------------------------------------------- */
/* What went wrong                                                          */
/* ----------------------------------------------------------------------- */

static bool finished_in_window(const chart *c, const tv_task *task)
{
    return task->outcome.kind != TV_OUTCOME_NONE &&
           task->outcome.t >= c->window->t0 && task->outcome.t <= c->window->t1;
}

/* "by main": who asked first to cancel the task, if the trace says. */
static void print_cancelled_by(const chart *c, const tv_task *task)
{
    for (size_t i = 0; i < c->model->n_cancels; i++) {
        const tv_cancel *cancel = &c->model->cancels[i];
        if (cancel->task != task->id)
            continue;
        const tv_task *by = tv_model_task(c->model, cancel->by);
        if (by != NULL)
            fprintf(c->out, " by %s", by->name);
        else if (cancel->by == 0)
            fprintf(c->out, " by the runtime");
        return;
    }
}

/* "  x fetch-3  item-3: connection refused", or "  c ...". */
static void print_failure(const chart *c, const tv_task *task)
{
    const tv_outcome *outcome = &task->outcome;
    fprintf(c->out, "  %c %s  ", outcome_glyph(outcome->kind), task->name);
    if (outcome->kind == TV_OUTCOME_CANCELLED) {
        fprintf(c->out, "cancelled");
        print_cancelled_by(c, task);
    } else {
        char error[400];
        tv_error_text(outcome, error, sizeof error);
        fprintf(c->out, "%s", error);
        if (outcome->origin != NULL && outcome->origin[0] != '\0' &&
            strcmp(outcome->origin, task->name) != 0)
            fprintf(c->out, " (from %s)", outcome->origin);
    }
    fputc('\n', c->out);
}

static void print_failures(const chart *c, const tv_task *const *tasks, size_t n)
{
    size_t listed = 0, more = 0;
    for (size_t i = 0; i < n; i++) {
        tv_outcome_kind kind = tasks[i]->outcome.kind;
        if ((kind != TV_OUTCOME_ERROR && kind != TV_OUTCOME_CANCELLED) ||
            !finished_in_window(c, tasks[i]))
            continue;
        if (listed < (size_t)c->max_tasks) {
            print_failure(c, tasks[i]);
            listed++;
        } else {
            more++;
        }
    }
    if (more > 0)
        fprintf(c->out, "  ... and %zu more\n", more);
}

/* "  ! fetch-2  held the loop for 0.151 s": debug mode's warnings. */
static void print_slow_steps(const chart *c)
{
    size_t listed = 0, more = 0;
    for (size_t i = 0; i < c->model->n_slows; i++) {
        const tv_slow *slow = &c->model->slows[i];
        if (slow->t < c->window->t0 || slow->t > c->window->t1)
            continue;
        if (listed++ >= (size_t)c->max_tasks) {
            more++;
            continue;
        }
        const tv_task *task = tv_model_task(c->model, slow->task);
        char held[SECONDS_BYTES];
        tv_format_seconds(held, sizeof held, slow->held, 3);
        fprintf(c->out, "  ! %s  held the loop for %s s\n", task->name, held);
    }
    if (more > 0)
        fprintf(c->out, "  ... and %zu more\n", more);
}

/* ----------------------------------------------------------------------- */
/* The whole chart                                                          */
/* ----------------------------------------------------------------------- */

/* Checks the options and fills in the chart's sizes; false with errno set. */
static bool set_up_chart(chart *c, const tv_section *window,
                         const tv_timeline_options *options)
{
    tv_timeline_options none = {0};
    if (options == NULL)
        options = &none;
    c->width = options->width ? options->width : TV_TIMELINE_WIDTH;
    c->max_tasks = options->max_tasks ? options->max_tasks : TV_TIMELINE_MAX_TASKS;
    c->window = window;
    /* Bounding the span keeps span * width, and so every column
     * computation, far from overflowing 64 bits. */
    if (c->width < 1 || c->width > TV_TIMELINE_MAX_WIDTH || c->max_tasks < 0 ||
        __builtin_sub_overflow(window->t1, window->t0, &c->span) || c->span < 0 ||
        c->span > INT64_MAX / (4 * TV_TIMELINE_MAX_WIDTH)) {
        errno = EINVAL;
        return false;
    }
    c->axis = (tv_axis){.t0 = window->t0, .span = c->span, .width = c->width};
    /* a name, a space, the columns, and a ruler label that may stick out */
    c->line = malloc(NAME_FIELD_BYTES + 1 + (size_t)c->width + 1 + SECONDS_BYTES);
    c->spent = calloc((size_t)c->width, sizeof *c->spent);
    if (c->line == NULL || c->spent == NULL) {
        errno = ENOMEM;
        return false;
    }
    return true;
}

static void draw_chart(const chart *c, const tv_task *const *tasks, size_t n)
{
    print_header(c);
    print_ruler(c);
    print_lanes(c, tasks, n);
    fprintf(c->out, "%s\n", legend);
    print_failures(c, tasks, n);
    print_slow_steps(c);
    if (!c->model->ended && c->window->t1 >= c->model->end)
        fprintf(c->out, "note: the trace stops without an \"end\" line: "
                        "the program may have crashed\n");
}

int tv_timeline_render(const tv_model *model, const tv_section *window,
                       const tv_timeline_options *options, FILE *out)
{
    chart c = {.model = model, .out = out};
    const tv_task **tasks = NULL;
    int status = -1;

    if (!set_up_chart(&c, window, options))
        goto done;
    size_t n = tv_model_section_tasks(model, window, NULL, 0);
    tasks = calloc(n ? n : 1, sizeof *tasks);
    if (tasks == NULL) {
        errno = ENOMEM;
        goto done;
    }
    tv_model_section_tasks(model, window, tasks, n);
    draw_chart(&c, tasks, n);
    status = ferror(out) ? -1 : 0;
done:
    free(tasks);
    free(c.line);
    free(c.spent);
    return status;
}

char *tv_timeline_render_string(const tv_model *model, const tv_section *window,
                                const tv_timeline_options *options)
{
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    if (out == NULL)
        return NULL;
    int status = tv_timeline_render(model, window, options, out);
    int saved = errno;
    if (fclose(out) != 0 && status == 0) {
        status = -1;
        saved = errno;
    }
    if (status != 0) {
        free(text);
        errno = saved;
        return NULL;
    }
    return text;
}
