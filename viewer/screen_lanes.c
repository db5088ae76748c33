/*
 * screen_lanes.c -- the ruler, the lanes and the legend of the live screen.
 *
 * A lane is drawn the way the text timeline draws a row -- each column shows
 * the activity that took most of its slice of time (lane_sample.h), and an
 * outcome mark sits in the column of the instant the task finished -- with
 * two differences.  Time stops at the playhead: nothing after it is drawn,
 * so a replay unfolds as the run did.  And a lane may stand for a group of
 * siblings (lanes.h): its columns then add up the time of all of them, and
 * its marks are their failures, plus one outcome once all have finished.
 */
#include "screen_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_INDENT 6     /* deeper lanes are indented no further           */
#define MIN_TICK_GAP 8   /* columns from one ruler label to the next       */

/* The first column of the time axis. */
static int axis_x(const tv__painter *p)
{
    return p->layout->lanes.x + p->layout->name_width + 1;
}

/* Whether an instant is on the axis and not after the playhead. */
static bool shown_at(const tv__painter *p, tv_time t)
{
    const tv_axis *a = &p->layout->axis;
    return t >= a->t0 && t <= a->t0 + a->span && t <= p->view->playhead;
}

/* ----------------------------------------------------------------------- */
/* Ruler                                                                    */
/* ----------------------------------------------------------------------- */

/*
 * The playhead's mark, on the ruler: a glyph in a blank cell, or, where a
 * label is, the label's character highlighted, so no digit is lost.
 */
static void draw_playhead_mark(const tv__painter *p, int x0, int y)
{
    if (!shown_at(p, p->view->playhead))
        return;
    int x = x0 + tv_axis_column(&p->layout->axis, p->view->playhead);
    const tv_cell *cell = tv_grid_at(p->grid, x, y);
    if (cell != NULL && cell->ch != ' ')
        tv_grid_restyle(p->grid, x, y, 1, TV_STYLE_PLAYHEAD);
    else
        tv_grid_put(p->grid, x, y, p->glyphs->playhead, TV_STYLE_PLAYHEAD);
}

void tv__draw_ruler(const tv__painter *p)
{
    const tv_axis *a = &p->layout->axis;
    int y = p->layout->ruler.y, x0 = axis_x(p);
    tv_grid_text(p->grid, p->layout->ruler.x, y, p->layout->name_width, TV_STYLE_DIM,
                 "seconds");

    tv_time step = tv_axis_ruler_step(a, MIN_TICK_GAP);
    int decimals = step ? tv_step_decimals(step) : 0;
    tv_time first = step ? (a->t0 + step - 1) / step * step : a->t0;
    int free_from = x0; /* labels never overlap: the next starts past this */
    for (tv_time t = first; t <= a->t0 + a->span; t += step) {
        char label[TV_SECONDS_BYTES];
        tv_format_seconds(label, sizeof label, t, decimals);
        int x = x0 + tv_axis_column(a, t), width = tv_text_columns(label);
        if (x >= free_from && x + width <= p->layout->ruler.x + p->layout->ruler.width)
            free_from = x + tv_grid_text(p->grid, x, y, width, TV_STYLE_DIM, label) + 1;
        if (step == 0)
            break;
    }
    draw_playhead_mark(p, x0, y);
}

/* ----------------------------------------------------------------------- */
/* Names                                                                    */
/* ----------------------------------------------------------------------- */

/* The length of the run of digits that ends `text`. */
static size_t trailing_digits(const char *text)
{
    size_t length = strlen(text), n = 0;
    while (n < length && isdigit((unsigned char)text[length - 1 - n]))
        n++;
    return n;
}

/*
 * A group's name, the longest that fits in `room`: "fetch-35…69 (35)" when
 * its first and last names differ only in a final number, then
 * "fetch-35…69", then "fetch-35 +34".
 */
static void group_name(const tv__painter *p, const tv_lane *lane, int room, char *text,
                       size_t size)
{
    const tv_task *first = p->lanes->tasks[lane->first];
    const tv_task *last = p->lanes->tasks[lane->first + lane->count - 1];
    size_t digits_first = trailing_digits(first->name);
    size_t digits_last = trailing_digits(last->name);
    size_t stem = strlen(first->name) - digits_first;
    snprintf(text, size, "%s +%zu", first->name, lane->count - 1);
    if (digits_first == 0 || digits_last == 0 || strlen(last->name) - digits_last != stem ||
        strncmp(first->name, last->name, stem) != 0)
        return;
    /* A range only when it has no gaps (tasks that ended otherwise are in
     * other lanes, and then the numbers skip). */
    unsigned long long from = strtoull(first->name + stem, NULL, 10);
    unsigned long long to = strtoull(last->name + stem, NULL, 10);
    if (to < from || to - from + 1 != lane->count)
        return;
    char range[200];
    snprintf(range, sizeof range, "%s%s%s", first->name,
             p->view->utf8 ? "\xe2\x80\xa6" : "..", last->name + stem);
    char counted[240];
    snprintf(counted, sizeof counted, "%s (%zu)", range, lane->count);
    if (tv_text_columns(counted) <= room)
        snprintf(text, size, "%s", counted);
    else if (tv_text_columns(range) <= room || tv_text_columns(text) > room)
        snprintf(text, size, "%s", range);
}

int tv__name_width(const tv_lanes *lanes, int least, int width)
{
    int most = width / 4 > least ? width / 4 : least, wanted = least;
    for (size_t i = 0; i < lanes->n_lanes && wanted < most; i++) {
        const tv_lane *lane = &lanes->lanes[i];
        if (lane->divider)
            continue;
        const tv_task *first = lanes->tasks[lane->first];
        const tv_task *last = lanes->tasks[lane->first + lane->count - 1];
        int depth = lane->depth < MAX_INDENT ? lane->depth : MAX_INDENT;
        /* "fetch-35…69": the first name, a mark, the last one's number */
        int name = tv_text_columns(first->name) +
                   (lane->count > 1 ? 1 + (int)trailing_digits(last->name) : 0);
        int need = 2 * depth + name + 1;
        if (need > wanted)
            wanted = need;
    }
    return wanted < most ? wanted : most;
}

/* Writes `text` in at most `room` columns, cut with an ellipsis if longer. */
static void fitted_text(const tv__painter *p, int x, int y, int room, tv_style style,
                        const char *text)
{
    if (room <= 0)
        return;
    if (tv_text_columns(text) <= room) {
        tv_grid_text(p->grid, x, y, room, style, text);
        return;
    }
    tv_grid_text(p->grid, x, y, room - 1, style, text);
    tv_grid_put(p->grid, x + room - 1, y, p->glyphs->ellipsis, style);
}

/* The name field: indentation, the tree mark, the name; highlighted if selected. */
static void draw_name(const tv__painter *p, const tv_lane *lane, int y, bool selected)
{
    int x = p->layout->lanes.x, width = p->layout->name_width;
    int depth = lane->depth < MAX_INDENT ? lane->depth : MAX_INDENT;
    int at = x;
    if (depth > 0) {
        at += 2 * (depth - 1);
        tv_grid_put(p->grid, at, y,
                    lane->last_sibling ? p->glyphs->last_branch : p->glyphs->branch,
                    TV_STYLE_BORDER);
        at += 2;
    }
    char group[256];
    const char *name = tv_lane_task(p->lanes, lane)->name;
    int room = x + width - 1 - at;
    if (lane->count > 1) {
        group_name(p, lane, room, group, sizeof group);
        name = group;
    }
    fitted_text(p, at, y, room, TV_STYLE_NORMAL, name);
    if (selected)
        tv_grid_restyle(p->grid, x, y, width, TV_STYLE_SELECTED);
}

/* ----------------------------------------------------------------------- */
/* Cells                                                                    */
/* ----------------------------------------------------------------------- */

static void put_activity(const tv__painter *p, int column, int y, int activity)
{
    *p->drawn |= 1u << activity;
    tv_grid_put(p->grid, axis_x(p) + column, y, p->glyphs->activity[activity],
                tv__activity_style((tv_activity)activity));
}

static void put_outcome(const tv__painter *p, tv_time t, int y, tv_outcome_kind kind)
{
    if (shown_at(p, t))
        tv_grid_put(p->grid, axis_x(p) + tv_axis_column(&p->layout->axis, t), y,
                    tv__outcome_glyph(p->glyphs, kind), tv__outcome_style(kind));
}

/*
 * A column can hold no time at all, when the axis spans fewer microseconds
 * than it has columns; a single task's column then shows what the task was
 * doing at that instant.
 */
static void draw_instant(const tv__painter *p, const tv_task *task, int column, int y)
{
    const tv_axis *a = &p->layout->axis;
    tv_time at = tv_axis_slice_start(a, column);
    const tv_interval *interval;
    if (at != tv_axis_slice_start(a, column + 1) || at > p->view->playhead)
        return;
    tv_task_state_at(task, at, &interval);
    if (interval != NULL)
        put_activity(p, column, y, tv_activity_of(interval));
}

/*
 * Whether a group's tasks ran one after another, each spawned once the one
 * before it had finished: a staircase folded into one lane.
 */
static bool one_after_another(const tv__painter *p, const tv_lane *lane)
{
    for (size_t k = lane->first + 1; k < lane->first + lane->count; k++) {
        const tv_outcome *before = &p->lanes->tasks[k - 1]->outcome;
        if (before->kind == TV_OUTCOME_NONE || p->lanes->tasks[k]->spawned < before->t)
            return false;
    }
    return true;
}

/*
 * A group's marks: every failure, and the last outcome once all are done;
 * when they ran one after another, every finish, so the steps still show.
 */
static void draw_group_outcomes(const tv__painter *p, const tv_lane *lane, int y)
{
    const tv_task *last = NULL;
    bool all_done = true;
    if (one_after_another(p, lane)) {
        for (size_t k = lane->first; k < lane->first + lane->count; k++) {
            const tv_outcome *o = &p->lanes->tasks[k]->outcome;
            if (o->kind != TV_OUTCOME_NONE && o->t <= p->view->playhead)
                put_outcome(p, o->t, y, o->kind);
        }
        return;
    }
    for (tv_outcome_kind kind = TV_OUTCOME_CANCELLED;; kind = TV_OUTCOME_ERROR) {
        for (size_t k = lane->first; k < lane->first + lane->count; k++) {
            const tv_outcome *o = &p->lanes->tasks[k]->outcome;
            if (o->kind == kind && o->t <= p->view->playhead)
                put_outcome(p, o->t, y, kind);
        }
        if (kind == TV_OUTCOME_ERROR)
            break;
    }
    for (size_t k = lane->first; k < lane->first + lane->count; k++) {
        const tv_task *task = p->lanes->tasks[k];
        if (task->outcome.kind == TV_OUTCOME_NONE || task->outcome.t > p->view->playhead)
            all_done = false;
        else if (last == NULL || task->outcome.t >= last->outcome.t)
            last = task;
    }
    if (all_done && last != NULL && last->outcome.kind == TV_OUTCOME_OK)
        put_outcome(p, last->outcome.t, y, TV_OUTCOME_OK);
}

/* The time per column and activity of the lane's tasks, from its memo if it can. */
static void sample(const tv__painter *p, size_t index, const tv_lane *lane)
{
    const tv_axis *a = &p->layout->axis;
    const tv_task *const *tasks = &p->lanes->tasks[lane->first];
    tv_lane_memo *memo = tv_lanes_memo(p->lanes, index);
    memset(p->spent, 0, ((size_t)a->width + 1) * sizeof *p->spent);
    if (memo != NULL) {
        tv_lane_memo_sample(memo, tasks, lane->count, a, p->view->playhead,
                            p->model->last_event, p->spent);
        return;
    }
    for (size_t k = 0; k < lane->count; k++)
        tv_lane_add_spent(tasks[k], a, p->view->playhead, p->spent);
}

static void draw_cells(const tv__painter *p, size_t index, const tv_lane *lane, int y)
{
    const tv_axis *a = &p->layout->axis;
    sample(p, index, lane);

    int columns = a->span > 0 ? a->width : 1; /* an instant is one column */
    for (int column = 0; column < columns; column++) {
        int most = tv_dominant_activity(p->spent[column], TV_N_ACTIVITIES);
        if (most >= 0)
            put_activity(p, column, y, most);
        else if (lane->count == 1)
            draw_instant(p, tv_lane_task(p->lanes, lane), column, y);
    }
    if (lane->count > 1) {
        draw_group_outcomes(p, lane, y);
        return;
    }
    const tv_outcome *o = &tv_lane_task(p->lanes, lane)->outcome;
    if (o->kind != TV_OUTCOME_NONE)
        put_outcome(p, o->t, y, o->kind);
}

/* Debug mode's warnings, on the lane of the task, where they happened. */
static void draw_slow_steps(const tv__painter *p)
{
    const tv_layout *l = p->layout;
    for (size_t i = 0; i < p->model->n_slows; i++) {
        const tv_slow *slow = &p->model->slows[i];
        size_t lane = tv_lanes_find(p->lanes, slow->task);
        if (!shown_at(p, slow->t) || lane == SIZE_MAX || lane < p->view->scroll ||
            lane >= p->view->scroll + (size_t)l->lanes.height)
            continue;
        tv_grid_put(p->grid, axis_x(p) + tv_axis_column(&l->axis, slow->t),
                    l->lanes.y + (int)(lane - p->view->scroll), p->glyphs->slow,
                    TV_STYLE_SLOW);
    }
}

/* "── section gather ─────────": where a section's lanes begin. */
static void draw_divider(const tv__painter *p, const tv_lane *lane, int y)
{
    const tv_rect r = p->layout->lanes;
    const tv_section *section = &p->model->sections[lane->section];
    tv_grid_fill(p->grid, r.x, y, r.width, 1, p->glyphs->horizontal, TV_STYLE_BORDER);
    char title[200];
    snprintf(title, sizeof title, " section %s ", section->name ? section->name : "");
    tv_grid_text(p->grid, r.x + 2, y, r.width - 4, TV_STYLE_HEADING, title);
}

/*
 * No task, and lines that were not trace events: most likely not a trace
 * at all.  Said where the timeline would be, not only in the log.
 */
static void draw_unreadable(const tv__painter *p)
{
    const tv_rect r = p->layout->lanes;
    const tv_model *m = p->model;
    tv_grid_printf(p->grid, r.x + 1, r.y, r.width - 2, TV_STYLE_WARNING,
                   "This trace could not be read: %zu of its %zu lines %s not trace events.",
                   m->n_diagnostics, m->n_lines, m->n_diagnostics == 1 ? "is" : "are");
    int row = 1;
    for (size_t i = 0; i < m->n_diagnostics && row < r.height - 1; i++, row++)
        tv_grid_printf(p->grid, r.x + 3, r.y + row, r.width - 4, TV_STYLE_WARNING,
                       "line %zu: %s", m->diagnostics[i].line, m->diagnostics[i].message);
    if (row < r.height)
        tv_grid_text(p->grid, r.x + 1, r.y + row, r.width - 2, TV_STYLE_DIM,
                     "A trace is what `awaitlab run NN --trace FILE` writes "
                     "(docs/trace-format.md).");
}

void tv__draw_lanes(const tv__painter *p)
{
    const tv_layout *l = p->layout;
    for (int row = 0; row < l->lanes.height; row++) {
        size_t i = p->view->scroll + (size_t)row;
        if (i >= p->lanes->n_lanes)
            break;
        const tv_lane *lane = &p->lanes->lanes[i];
        if (lane->divider) {
            draw_divider(p, lane, l->lanes.y + row);
            continue;
        }
        bool selected = tv_lanes_find(p->lanes, p->view->selected) == i;
        draw_name(p, lane, l->lanes.y + row, selected);
        draw_cells(p, i, lane, l->lanes.y + row);
    }
    draw_slow_steps(p);
    if (p->lanes->n_lanes == 0 && p->model->n_diagnostics > 0)
        draw_unreadable(p);
    else if (p->lanes->n_lanes == 0)
        tv_grid_text(p->grid, axis_x(p), l->lanes.y, l->lanes.width - axis_x(p),
                     TV_STYLE_DIM, "waiting for the first task...");
}

/* ----------------------------------------------------------------------- */
/* Legend                                                                   */
/* ----------------------------------------------------------------------- */

/* "lanes 1-25 of 300", "1000 tasks in 26 lanes": what is out of sight. */
static void lanes_summary(const tv__painter *p, char *text, size_t size)
{
    const tv_lanes *lanes = p->lanes;
    size_t rows = (size_t)p->layout->lanes.height, first = p->view->scroll + 1;
    size_t last = p->view->scroll + rows < lanes->n_lanes ? p->view->scroll + rows
                                                           : lanes->n_lanes;
    text[0] = '\0';
    if (lanes->n_lanes > rows)
        snprintf(text, size, "%s lanes %zu-%zu of %zu",
                 p->view->utf8 ? "\xe2\x86\x95" : "|", first, last, lanes->n_lanes);
    else if (lanes->grouped)
        snprintf(text, size, "%zu tasks in %zu lanes", lanes->n_tasks, lanes->n_lanes);
}

typedef struct legend_item {
    uint32_t glyph;
    tv_style style;
    const char *name;
} legend_item;

/*
 * The legend's items in order of importance: the outcome marks first (a
 * lane ends in one, and nothing else on screen says what they mean), then
 * the activities the lanes show now, then the others, then "slow".
 */
static int legend_rank(const tv__painter *p, int item)
{
    if (item >= TV_N_ACTIVITIES)
        return item == TV_N_ACTIVITIES + 3 ? 3 * TV_N_ACTIVITIES : item - TV_N_ACTIVITIES;
    bool shown = (*p->drawn >> item) & 1u;
    return 3 + item + (shown ? 0 : TV_N_ACTIVITIES);
}

void tv__draw_legend(const tv__painter *p)
{
    const tv_glyphs *g = p->glyphs;
    const tv_rect r = p->layout->legend;
    legend_item items[TV_N_ACTIVITIES + 4];
    int n = 0;
    for (int a = 0; a < TV_N_ACTIVITIES; a++)
        items[n++] = (legend_item){g->activity[a], tv__activity_style((tv_activity)a),
                                   tv_activity_name((tv_activity)a)};
    items[n++] = (legend_item){g->ok, TV_STYLE_OK, "ok"};
    items[n++] = (legend_item){g->error, TV_STYLE_ERROR, "error"};
    items[n++] = (legend_item){g->cancelled, TV_STYLE_CANCELLED, "cancelled"};
    items[n++] = (legend_item){g->slow, TV_STYLE_SLOW, "slow"};

    /* "lanes 1-25 of 300" says there is more to scroll to: it stays. */
    char summary[96];
    lanes_summary(p, summary, sizeof summary);
    int summary_width = tv_text_columns(summary);
    bool scrolling = p->lanes->n_lanes > (size_t)p->layout->lanes.height;
    bool chosen[TV_N_ACTIVITIES + 4] = {false};
    int room = r.width - 1 - (scrolling ? summary_width + 1 : 0);
    for (int rank = 0; rank <= 3 * TV_N_ACTIVITIES; rank++)
        for (int i = 0; i < n; i++) {
            int width = 4 + tv_text_columns(items[i].name);
            if (legend_rank(p, i) == rank && width <= room)
                chosen[i] = true, room -= width;
            else if (legend_rank(p, i) == rank)
                room = 0; /* none after one that did not fit: the order holds */
        }
    int x = r.x;
    for (int i = 0; i < n; i++) {
        if (!chosen[i])
            continue;
        tv_grid_put(p->grid, x, r.y, items[i].glyph, items[i].style);
        x += 2 + tv_grid_text(p->grid, x + 2, r.y, r.width, TV_STYLE_DIM, items[i].name) + 2;
    }
    /* How many tasks the lanes stand for, when there is room left for it. */
    if (summary_width > 0 && x + summary_width < r.x + r.width)
        tv_grid_text(p->grid, r.x + r.width - summary_width - 1, r.y, summary_width,
                     TV_STYLE_DIM, summary);
}
