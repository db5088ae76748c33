/*
 * screen_overlays.c -- boxes drawn over the lanes: the selected lane's
 * details (Enter) and the keys (?).
 *
 * The details tell a task's story up to the playhead, in words: who spawned
 * it, each state it went through with the time it began, and how it ended
 * -- the error message in full, which a lane has no room for.  A group's
 * details count its tasks by state and list its failures.
 */
#include "screen_internal.h"

#include "error_text.h"

#include "keys.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/*
 * The box of an overlay: over the ruler, the lanes and the legend, at the
 * right, so that the lane names -- the selected one among them -- stay in
 * sight when there is room.
 */
static tv_rect overlay_rect(const tv__painter *p, int wanted_width)
{
    const tv_layout *l = p->layout;
    int room = l->lanes.width - l->name_width - 1;
    int width = wanted_width < room ? wanted_width : room;
    if (width < 40)
        width = l->lanes.width < 44 ? l->lanes.width : 44;
    return (tv_rect){l->lanes.x + l->lanes.width - width, l->ruler.y, width,
                     l->legend.y - l->ruler.y + 1};
}

#define WRAP_INDENT 10 /* continuation lines line up after "outcome   " */

/*
 * Writes one line of an overlay, wrapped onto as many rows as it needs and
 * has; moves *y on.
 */
static void line(const tv__painter *p, tv_rect inside, int *y, tv_style style,
                 const char *format, ...) __attribute__((format(printf, 5, 6)));

static void line(const tv__painter *p, tv_rect inside, int *y, tv_style style,
                 const char *format, ...)
{
    char text[512];
    va_list args;
    va_start(args, format);
    vsnprintf(text, sizeof text, format, args);
    va_end(args);
    const char *rest = text;
    int indent = 0;
    while (*y < inside.y + inside.height) {
        int n = tv_grid_text(p->grid, inside.x + indent, (*y)++, inside.width - indent,
                             style, rest);
        while (n-- > 0) /* skip the characters written, however many bytes */
            for (rest++; (*rest & 0xC0) == 0x80; rest++)
                ;
        if (*rest == '\0' || inside.width <= WRAP_INDENT)
            return;
        indent = WRAP_INDENT;
    }
}

/* ----------------------------------------------------------------------- */
/* A task                                                                   */
/* ----------------------------------------------------------------------- */

/* "sleeping", "waiting on semaphore pool", "awaiting fetch-3", ... */
static void describe_interval(const tv__painter *p, const tv_interval *i, char *text,
                              size_t size)
{
    char name[32];
    if (i->state == TV_STATE_READY) {
        snprintf(text, size, "ready%s", i->wake_status < 0 ? " (woken to be cancelled)" : "");
    } else if (i->state == TV_STATE_RUNNING) {
        snprintf(text, size, "running");
    } else if (i->wait == TV_WAIT_SLEEP) {
        snprintf(text, size, "sleeping");
    } else if (i->wait == TV_WAIT_YIELD) {
        snprintf(text, size, "yielded");
    } else if (i->wait == TV_WAIT_TASK) {
        snprintf(text, size, "awaiting %s", tv__task_name(p->model, i->target, name, sizeof name));
    } else {
        snprintf(text, size, "waiting on %s%s%s", i->on, i->resource ? " " : "",
                 i->resource ? i->resource : "");
    }
}

static void describe_outcome(const tv_outcome *o, char *text, size_t size)
{
    if (o->kind == TV_OUTCOME_OK)
        snprintf(text, size, "ok, value %lld", (long long)o->value);
    else if (o->kind == TV_OUTCOME_CANCELLED)
        snprintf(text, size, "cancelled");
    else
        tv_error_text(o, text, size);
}

/* " (from fetch-3)": where an error came from, when not from the task itself. */
static const char *origin_of(const tv_task *task, char *text, size_t size)
{
    const char *origin = task->outcome.origin;
    if (task->outcome.kind != TV_OUTCOME_ERROR || origin == NULL || *origin == '\0' ||
        strcmp(origin, task->name) == 0)
        return "";
    snprintf(text, size, " (from %s)", origin);
    return text;
}

/* The first request to cancel the task, if any. */
static const tv_cancel *first_cancel(const tv_model *m, uint32_t id)
{
    for (size_t i = 0; i < m->n_cancels; i++)
        if (m->cancels[i].task == id)
            return &m->cancels[i];
    return NULL;
}

/* The states the task went through up to the playhead, as many as fit. */
static void draw_history(const tv__painter *p, const tv_task *task, tv_rect inside, int *y)
{
    tv_time now = p->view->playhead;
    size_t shown = 0;
    while (shown < task->n_intervals && task->intervals[shown].t0 <= now)
        shown++;
    bool finished = task->outcome.kind != TV_OUTCOME_NONE && task->outcome.t <= now;
    int room = inside.y + inside.height - *y - 1 - finished;
    size_t first = room > 0 && shown > (size_t)room ? shown - (size_t)room + 1 : 0;
    line(p, inside, y, TV_STYLE_HEADING, "history");
    if (first > 0)
        line(p, inside, y, TV_STYLE_DIM, "  ... %zu earlier", first);
    for (size_t i = first; i < shown; i++) {
        char when[TV_SECONDS_BYTES], what[200];
        tv__format_time(when, sizeof when, task->intervals[i].t0);
        describe_interval(p, &task->intervals[i], what, sizeof what);
        line(p, inside, y, TV_STYLE_NORMAL, "  %8s  %s", when, what);
    }
    if (finished) {
        char when[TV_SECONDS_BYTES];
        tv__format_time(when, sizeof when, task->outcome.t);
        line(p, inside, y, tv__outcome_style(task->outcome.kind), "  %8s  done: %s", when,
             task->outcome.kind == TV_OUTCOME_OK ? "ok"
             : task->outcome.kind == TV_OUTCOME_ERROR ? "error" : "cancelled");
    }
}

static void draw_task_details(const tv__painter *p, const tv_task *task, tv_rect inside)
{
    const tv_model *m = p->model;
    tv_time now = p->view->playhead;
    char text[400], name[32], when[TV_SECONDS_BYTES];
    int y = inside.y;

    line(p, inside, &y, TV_STYLE_NORMAL, "parent    %s",
         task->parent ? tv__task_name(m, task->parent, name, sizeof name) : "(none: the root)");
    tv__format_time(when, sizeof when, task->spawned);
    line(p, inside, &y, TV_STYLE_NORMAL, "spawned   at %s s", when);
    const tv_interval *interval;
    tv_state state = tv_task_state_at(task, now, &interval);
    if (task->outcome.kind != TV_OUTCOME_NONE && task->outcome.t <= now) {
        char origin[64];
        describe_outcome(&task->outcome, text, sizeof text);
        tv__format_time(when, sizeof when, task->outcome.t);
        line(p, inside, &y, tv__outcome_style(task->outcome.kind), "outcome   %s%s, at %s s",
             text, origin_of(task, origin, sizeof origin), when);
    } else if (interval != NULL) {
        describe_interval(p, interval, text, sizeof text);
        line(p, inside, &y, TV_STYLE_NORMAL, "now       %s", text);
    } else {
        line(p, inside, &y, TV_STYLE_NORMAL, "now       %s", tv_state_name(state));
    }
    const tv_cancel *cancel = first_cancel(m, task->id);
    if (cancel != NULL && cancel->t <= now) {
        tv__format_time(when, sizeof when, cancel->t);
        line(p, inside, &y, TV_STYLE_CANCELLED, "cancel    requested by %s at %s s",
             cancel->by ? tv__task_name(m, cancel->by, name, sizeof name) : "the runtime",
             when);
    }
    draw_history(p, task, inside, &y);
}

/* ----------------------------------------------------------------------- */
/* A group                                                                  */
/* ----------------------------------------------------------------------- */

static void draw_group_details(const tv__painter *p, const tv_lane *lane, tv_rect inside)
{
    tv_time now = p->view->playhead;
    size_t by_activity[TV_N_ACTIVITIES] = {0}, by_outcome[4] = {0};
    const tv_task *first = p->lanes->tasks[lane->first];
    const tv_task *last = p->lanes->tasks[lane->first + lane->count - 1];
    char name[32];
    int y = inside.y;

    for (size_t k = lane->first; k < lane->first + lane->count; k++) {
        const tv_task *task = p->lanes->tasks[k];
        const tv_interval *interval;
        tv_state state = tv_task_state_at(task, now, &interval);
        if (state == TV_STATE_DONE)
            by_outcome[task->outcome.kind]++;
        else if (interval != NULL)
            by_activity[tv_activity_of(interval)]++;
    }
    line(p, inside, &y, TV_STYLE_NORMAL, "parent    %s",
         first->parent ? tv__task_name(p->model, first->parent, name, sizeof name) : "(none)");
    line(p, inside, &y, TV_STYLE_NORMAL, "tasks     %zu, from %s to %s", lane->count,
         first->name, last->name);
    line(p, inside, &y, TV_STYLE_HEADING, "now");
    for (int a = 0; a < TV_N_ACTIVITIES; a++)
        if (by_activity[a] > 0)
            line(p, inside, &y, tv__activity_style((tv_activity)a), "  %6zu %s",
                 by_activity[a], tv_activity_name((tv_activity)a));
    for (int o = TV_OUTCOME_OK; o <= TV_OUTCOME_CANCELLED; o++)
        if (by_outcome[o] > 0)
            line(p, inside, &y, tv__outcome_style((tv_outcome_kind)o), "  %6zu %s",
                 by_outcome[o], o == TV_OUTCOME_OK ? "ok" : o == TV_OUTCOME_ERROR ? "failed"
                                                                               : "cancelled");
    for (size_t k = lane->first; k < lane->first + lane->count; k++) {
        const tv_task *task = p->lanes->tasks[k];
        if (task->outcome.kind != TV_OUTCOME_ERROR || task->outcome.t > now)
            continue;
        char text[400];
        describe_outcome(&task->outcome, text, sizeof text);
        line(p, inside, &y, TV_STYLE_ERROR, "%s: %s", task->name, text);
    }
}

void tv__draw_details(const tv__painter *p)
{
    size_t at = tv_lanes_find(p->lanes, p->view->selected);
    if (at == SIZE_MAX)
        return;
    const tv_lane *lane = &p->lanes->lanes[at];
    const tv_task *task = tv_lane_task(p->lanes, lane);
    char title[200];
    if (lane->count > 1)
        snprintf(title, sizeof title, "a group of %zu tasks (enter: close)", lane->count);
    else
        snprintf(title, sizeof title, "%s, task %u (enter: close)", task->name, task->id);
    tv_rect inside = tv__draw_box(p, overlay_rect(p, 76), title);
    if (lane->count > 1)
        draw_group_details(p, lane, inside);
    else
        draw_task_details(p, task, inside);
}

/* ----------------------------------------------------------------------- */
/* Help                                                                     */
/* ----------------------------------------------------------------------- */

void tv__draw_help(const tv__painter *p)
{
    const tv_layout *l = p->layout;
    int width = l->lanes.width - 4 < 84 ? l->lanes.width - 4 : 84;
    size_t count;
    const tv_binding *b = tv_bindings(&count);
    /* As tall as the keys need, from the ruler down, or higher up when the
     * screen is short: every key listed, above the footer. */
    int needed = 2, bottom = l->footer.y;
    for (size_t i = 0; i < count; i++)
        needed += b[i].what != NULL;
    int top = bottom - needed < l->ruler.y ? bottom - needed : l->ruler.y;
    top = top < 0 ? 0 : top;
    tv_rect box = {l->lanes.x + (l->lanes.width - width) / 2, top, width,
                   needed < bottom - top ? needed : bottom - top};
    tv_rect inside = tv__draw_box(p, box, "keys (? or esc: close)");
    int y = inside.y;
    for (size_t i = 0; i < count; i++) {
        if (b[i].what == NULL || y >= inside.y + inside.height)
            continue;
        const char *keys = p->view->utf8 ? b[i].utf8_keys : b[i].ascii_keys;
        tv_grid_text(p->grid, inside.x, y, 12, TV_STYLE_KEY, keys);
        tv_grid_text(p->grid, inside.x + 13, y++, inside.width - 13, TV_STYLE_NORMAL,
                     b[i].what);
    }
}
