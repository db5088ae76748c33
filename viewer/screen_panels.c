/*
 * screen_panels.c -- the two panels under the lanes: the resources, as they
 * are at the playhead, and the log of what happened up to it.
 *
 * Both read the model at the playhead only -- a resource's reading in force
 * then (tv_resource_at), the journal's notes up to then
 * (tv_model_notes_until) -- so scrubbing back and forth shows each panel as
 * it was at that moment, and a replay tells the story in order.
 */
#include "screen_internal.h"

#include "error_text.h"

#include <stdio.h>
#include <string.h>

/* ----------------------------------------------------------------------- */
/* Resources                                                                */
/* ----------------------------------------------------------------------- */

/* A bar of `width` cells, filled in proportion to level / capacity. */
static int draw_gauge(const tv__painter *p, int x, int y, int width, int64_t level,
                      int64_t capacity, tv_style style)
{
    int64_t filled = capacity > 0 ? (level * width + capacity - 1) / capacity : 0;
    if (filled > width)
        filled = width;
    for (int i = 0; i < width; i++)
        tv_grid_put(p->grid, x + i, y, i < filled ? p->glyphs->gauge_full
                                                  : p->glyphs->gauge_empty,
                    i < filled ? style : TV_STYLE_DIM);
    return width;
}

/*
 * "3/5 in use", "held by fetch-3", "set": a resource's state in words; in
 * `brief`, only the numbers ("3/5") where there are numbers.
 */
static void describe_state(const tv__painter *p, const tv_resource *r,
                           const tv_resource_sample *s, bool brief, char *text, size_t size)
{
    char name[32];
    if (strcmp(r->kind, "lock") == 0 && s->level == 0)
        snprintf(text, size, "free");
    else if (strcmp(r->kind, "lock") == 0)
        snprintf(text, size, "held by %s",
                 s->owner ? tv__task_name(p->model, s->owner, name, sizeof name) : "?");
    else if (strcmp(r->kind, "event") == 0)
        snprintf(text, size, "%s", s->level ? "set" : "clear");
    else if (strcmp(r->kind, "condition") == 0)
        text[0] = '\0';
    else if (s->capacity > 0)
        snprintf(text, size, "%lld/%lld%s", (long long)s->level, (long long)s->capacity,
                 brief ? "" : strcmp(r->kind, "semaphore") == 0 ? " in use"
                            : strcmp(r->kind, "queue") == 0 ? " queued" : "");
    else
        snprintf(text, size, "%lld%s", (long long)s->level,
                 !brief && strcmp(r->kind, "queue") == 0 ? " queued" : "");
}

/* "semaphore pool", or only "pool" when the panel is narrow. */
static void resource_label(const tv_resource *r, bool with_kind, char *text, size_t size)
{
    snprintf(text, size, "%s%s%s", with_kind ? r->kind : "", with_kind ? " " : "", r->name);
}

/*
 * How a panel of `width` columns says it, the same for every row so that
 * the columns line up: the kind in the label, the gauge's cells, the state
 * in words.  The bars and numbers stay longest; the words go first.
 */
typedef struct resource_style {
    bool with_kind, brief;
    int label_width, gauge;
} resource_style;

static int widest_label(const tv_model *m, bool with_kind)
{
    int widest = 0;
    for (size_t i = 0; i < m->n_resources; i++) {
        char label[160];
        resource_label(&m->resources[i], with_kind, label, sizeof label);
        if (tv_text_columns(label) > widest)
            widest = tv_text_columns(label);
    }
    return widest;
}

static resource_style choose_style(const tv_model *m, int width)
{
    enum { STATE = 12, WAITING = 12 }; /* "12/20 in use", "  60 waiting" */
    static const resource_style tries[] = {
        {true, false, 0, 8}, {false, false, 0, 8}, {false, true, 0, 8}, {false, true, 0, 4}};
    resource_style style = tries[3];
    for (size_t i = 0; i < sizeof tries / sizeof *tries; i++) {
        int label = widest_label(m, tries[i].with_kind);
        int state = tries[i].brief ? 7 : STATE;
        if (label + 1 + tries[i].gauge + 1 + state + WAITING <= width) {
            style = tries[i];
            break;
        }
    }
    style.label_width = widest_label(m, style.with_kind);
    if (style.label_width > width / 3)
        style.label_width = width / 3;
    return style;
}

/* One row: "semaphore pool  ######.. 3/8 in use  2 waiting". */
static void draw_resource(const tv__painter *p, tv_rect inside, int y, resource_style style,
                          const tv_resource *r, const tv_resource_sample *s)
{
    char label[160], state[128], waiting[48];
    resource_label(r, style.with_kind, label, sizeof label);
    int x = inside.x, right = inside.x + inside.width;
    tv_grid_text(p->grid, x, y, style.label_width, TV_STYLE_NORMAL, label);
    x += style.label_width + 1;
    /* A gauge says "how full": nothing to say for a lock, an event. */
    if (s->capacity > 1)
        x += draw_gauge(p, x, y, style.gauge, s->level, s->capacity, TV_STYLE_RESOURCE) + 1;
    describe_state(p, r, s, style.brief, state, sizeof state);
    x += tv_grid_text(p->grid, x, y, right - x, TV_STYLE_NORMAL, state);
    if (s->waiters > 0) {
        snprintf(waiting, sizeof waiting, "%lld waiting", (long long)s->waiters);
        if (x + 2 + tv_text_columns(waiting) > right)
            snprintf(waiting, sizeof waiting, "+%lld", (long long)s->waiters);
        tv_grid_text(p->grid, x + 2, y, right - x - 2, TV_STYLE_RESOURCE, waiting);
    }
}

void tv__draw_resources(const tv__painter *p)
{
    tv_rect inside = tv__draw_box(p, p->layout->resources, "resources");
    resource_style style = choose_style(p->model, inside.width);
    int row = 0, hidden = 0;
    for (size_t i = 0; i < p->model->n_resources; i++) {
        const tv_resource *r = &p->model->resources[i];
        const tv_resource_sample *s = tv_resource_at(r, p->view->playhead);
        if (s == NULL) /* not made yet, at the playhead */
            continue;
        if (row == inside.height - 1 && i + 1 < p->model->n_resources) {
            hidden++;
            continue;
        }
        if (row < inside.height)
            draw_resource(p, inside, inside.y + row++, style, r, s);
    }
    if (hidden > 0)
        tv_grid_printf(p->grid, inside.x, inside.y + row, inside.width, TV_STYLE_DIM,
                       "... and %d more", hidden);
    else if (row == 0)
        tv_grid_text(p->grid, inside.x, inside.y, inside.width, TV_STYLE_DIM, "(none yet)");
}

/* ----------------------------------------------------------------------- */
/* The event log                                                            */
/* ----------------------------------------------------------------------- */

/* "x fetch-2 failed: item-2: connection refused", and its look. */
static tv_style describe_outcome(const tv__painter *p, const tv_task *task, char *text,
                                 size_t size, uint32_t *glyph)
{
    const tv_outcome *o = &task->outcome;
    *glyph = tv__outcome_glyph(p->glyphs, o->kind);
    if (o->kind == TV_OUTCOME_OK)
        snprintf(text, size, "%s ok", task->name);
    else if (o->kind == TV_OUTCOME_CANCELLED)
        snprintf(text, size, "%s cancelled", task->name);
    else {
        char error[300];
        tv_error_text(o, error, sizeof error);
        snprintf(text, size, "%s failed: %s", task->name, error);
    }
    return tv__outcome_style(o->kind);
}

/* The words of one note, its mark and its style. */
static tv_style describe_note(const tv__painter *p, const tv_note *note, char *text,
                              size_t size, uint32_t *glyph)
{
    const tv_model *m = p->model;
    char by[32], held[TV_SECONDS_BYTES];
    *glyph = ' ';
    switch (note->kind) {
    case TV_NOTE_SPAWN:
        *glyph = '+';
        snprintf(text, size, "%s", tv__task_name(m, note->task, by, sizeof by));
        return TV_STYLE_DIM;
    case TV_NOTE_DONE:
        return describe_outcome(p, tv_model_task(m, note->task), text, size, glyph);
    case TV_NOTE_CANCEL: {
        const tv_cancel *c = &m->cancels[note->index];
        char target[32];
        snprintf(text, size, "%s cancels %s",
                 c->by ? tv__task_name(m, c->by, by, sizeof by) : "the runtime",
                 tv__task_name(m, c->task, target, sizeof target));
        return TV_STYLE_CANCELLED;
    }
    case TV_NOTE_SLOW: {
        const tv_slow *s = &m->slows[note->index];
        *glyph = p->glyphs->slow;
        tv__format_time(held, sizeof held, s->held);
        snprintf(text, size, "%s held the loop for %s s",
                 tv__task_name(m, s->task, by, sizeof by), held);
        return TV_STYLE_SLOW;
    }
    case TV_NOTE_MARK:
        *glyph = p->view->utf8 ? 0x25B8 : '>'; /* ▸ */
        snprintf(text, size, "%s", m->marks[note->index].text);
        return TV_STYLE_HEADING;
    case TV_NOTE_PROBLEM:
        *glyph = '?';
        snprintf(text, size, "trace line %zu: %s", m->diagnostics[note->index].line,
                 m->diagnostics[note->index].message);
        return TV_STYLE_WARNING;
    }
    return TV_STYLE_NORMAL;
}

static void draw_note(const tv__painter *p, tv_rect inside, int y, const tv_note *note)
{
    char when[TV_SECONDS_BYTES], text[400];
    uint32_t glyph;
    tv__format_time(when, sizeof when, note->t);
    tv_style style = describe_note(p, note, text, sizeof text, &glyph);
    int x = inside.x;
    tv_grid_printf(p->grid, x, y, 9, TV_STYLE_DIM, "%8s", when);
    tv_grid_put(p->grid, x + 9, y, glyph, style);
    tv_grid_text(p->grid, x + 11, y, inside.width - 11, style == TV_STYLE_DIM ? TV_STYLE_NORMAL
                                                                            : style, text);
}

static void draw_output(const tv__painter *p, tv_rect inside)
{
    const tv_view *v = p->view;
    size_t rows = (size_t)inside.height;
    size_t first = v->n_output_lines > rows ? v->n_output_lines - rows : 0;
    for (size_t i = first; i < v->n_output_lines; i++)
        tv_grid_text(p->grid, inside.x, inside.y + (int)(i - first), inside.width,
                     TV_STYLE_NORMAL, v->output_lines[i]);
    if (v->n_output_lines == 0)
        tv_grid_text(p->grid, inside.x, inside.y, inside.width, TV_STYLE_DIM,
                     "(the program has printed nothing)");
}

void tv__draw_log(const tv__painter *p)
{
    tv_rect inside = tv__draw_box(p, p->layout->log,
                                  p->view->output ? "program output (o: events)" : "events");
    if (p->view->output) {
        draw_output(p, inside);
        return;
    }
    size_t until = tv_model_notes_until(p->model, p->view->playhead);
    size_t rows = (size_t)inside.height;
    size_t first = until > rows ? until - rows : 0;
    for (size_t i = first; i < until; i++)
        draw_note(p, inside, inside.y + (int)(i - first), &p->model->notes[i]);
    if (until == 0)
        tv_grid_text(p->grid, inside.x, inside.y, inside.width, TV_STYLE_DIM,
                     "(nothing yet)");
}
