/*
 * screen.c -- laying out the live screen, and drawing its header and footer.
 *
 * The order of drawing is the order of layers: the parts that tile the
 * screen first, then the overlays (details, help) on top of them.  Each part
 * draws only inside its rectangle, so parts cannot spoil one another however
 * long a name or message is.
 */
#include "screen_internal.h"

#include "keys.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ----------------------------------------------------------------------- */
/* Layout                                                                   */
/* ----------------------------------------------------------------------- */

/* Rows of the bottom panels: more room for them on a tall screen. */
static int panel_height(int height)
{
    return height >= 34 ? 10 : height >= 24 ? 8 : 6;
}

tv_layout tv_screen_layout(int width, int height, bool has_resources)
{
    tv_layout l = {0};
    if (width < TV_SCREEN_MIN_WIDTH || height < TV_SCREEN_MIN_HEIGHT) {
        l.too_small = true;
        return l;
    }
    int panels = panel_height(height);
    l.header = (tv_rect){0, 0, width, 2};
    l.ruler = (tv_rect){0, 2, width, 1};
    l.footer = (tv_rect){0, height - 1, width, 1};
    l.legend = (tv_rect){0, height - 2 - panels, width, 1};
    l.lanes = (tv_rect){0, 3, width, l.legend.y - 3};
    int resources_width = 0;
    if (has_resources) {
        resources_width = width * 9 / 20;
        resources_width = resources_width < 36 ? 36 : resources_width > 64 ? 64 : resources_width;
    }
    l.resources = (tv_rect){0, l.legend.y + 1, resources_width, panels};
    l.log = (tv_rect){resources_width, l.legend.y + 1, width - resources_width, panels};
    l.name_width = width >= 120 ? 24 : width >= 90 ? 20 : 16;
    return l;
}

int tv_screen_lane_rows(int width, int height, bool has_resources)
{
    tv_layout l = tv_screen_layout(width, height, has_resources);
    return l.too_small ? 0 : l.lanes.height;
}

/* The smallest of 1, 2, 5, 10, 20, ... microseconds that is at least t. */
static tv_time round_up(tv_time t)
{
    for (int n = 0;; n++)
        if (tv_nice_step(n) >= t)
            return tv_nice_step(n);
}

tv_axis tv_screen_axis(const tv_model *model, const tv_view *view, int columns)
{
    tv_time full = model->ended ? model->end
                 : round_up(view->playhead > TV_USEC_PER_SEC / 10 ? view->playhead
                                                                  : TV_USEC_PER_SEC / 10);
    tv_time span = full;
    for (int i = 0; i < view->zoom && span / 2 >= columns; i++)
        span /= 2;
    tv_time t0 = view->playhead - span / 2;
    if (t0 > full - span)
        t0 = full - span;
    if (t0 < 0)
        t0 = 0;
    return (tv_axis){.t0 = t0, .span = span, .width = columns};
}

/* ----------------------------------------------------------------------- */
/* Helpers the parts share                                                  */
/* ----------------------------------------------------------------------- */

tv_rect tv__draw_box(const tv__painter *p, tv_rect r, const char *title)
{
    const tv_glyphs *g = p->glyphs;
    int right = r.x + r.width - 1, bottom = r.y + r.height - 1;
    tv_grid_fill(p->grid, r.x, r.y, r.width, r.height, ' ', TV_STYLE_NORMAL);
    tv_grid_fill(p->grid, r.x + 1, r.y, r.width - 2, 1, g->horizontal, TV_STYLE_BORDER);
    tv_grid_fill(p->grid, r.x + 1, bottom, r.width - 2, 1, g->horizontal, TV_STYLE_BORDER);
    tv_grid_fill(p->grid, r.x, r.y + 1, 1, r.height - 2, g->vertical, TV_STYLE_BORDER);
    tv_grid_fill(p->grid, right, r.y + 1, 1, r.height - 2, g->vertical, TV_STYLE_BORDER);
    tv_grid_put(p->grid, r.x, r.y, g->top_left, TV_STYLE_BORDER);
    tv_grid_put(p->grid, right, r.y, g->top_right, TV_STYLE_BORDER);
    tv_grid_put(p->grid, r.x, bottom, g->bottom_left, TV_STYLE_BORDER);
    tv_grid_put(p->grid, right, bottom, g->bottom_right, TV_STYLE_BORDER);
    if (title != NULL && r.width > 6) {
        tv_grid_put(p->grid, r.x + 2, r.y, ' ', TV_STYLE_BORDER);
        int n = tv_grid_text(p->grid, r.x + 3, r.y, r.width - 6, TV_STYLE_HEADING, title);
        tv_grid_put(p->grid, r.x + 3 + n, r.y, ' ', TV_STYLE_BORDER);
    }
    return (tv_rect){r.x + 2, r.y + 1, r.width - 4, r.height - 2};
}

void tv__format_time(char *text, size_t size, tv_time t)
{
    tv_format_seconds(text, size, t, 3);
}

const char *tv__task_name(const tv_model *model, uint32_t id, char *buffer,
                          size_t size)
{
    const tv_task *task = tv_model_task(model, id);
    if (task != NULL)
        return task->name;
    snprintf(buffer, size, "task %u", id);
    return buffer;
}

tv_style tv__activity_style(tv_activity activity)
{
    static const tv_style styles[TV_N_ACTIVITIES] = {
        [TV_ACT_RUNNING] = TV_STYLE_RUNNING, [TV_ACT_AWAIT] = TV_STYLE_AWAIT,
        [TV_ACT_SLEEP] = TV_STYLE_SLEEP, [TV_ACT_RESOURCE] = TV_STYLE_RESOURCE,
        [TV_ACT_IO] = TV_STYLE_IO, [TV_ACT_READY] = TV_STYLE_READY};
    return activity < TV_N_ACTIVITIES ? styles[activity] : TV_STYLE_NORMAL;
}

tv_style tv__outcome_style(tv_outcome_kind kind)
{
    return kind == TV_OUTCOME_OK ? TV_STYLE_OK
         : kind == TV_OUTCOME_ERROR ? TV_STYLE_ERROR
         : kind == TV_OUTCOME_CANCELLED ? TV_STYLE_CANCELLED : TV_STYLE_NORMAL;
}

uint32_t tv__outcome_glyph(const tv_glyphs *glyphs, tv_outcome_kind kind)
{
    return kind == TV_OUTCOME_OK ? glyphs->ok
         : kind == TV_OUTCOME_ERROR ? glyphs->error
         : kind == TV_OUTCOME_CANCELLED ? glyphs->cancelled : ' ';
}

const tv_section *tv__section_at(const tv_model *model, tv_time t)
{
    const tv_section *found = NULL;
    for (size_t i = 0; i < model->n_sections; i++)
        if (model->sections[i].t0 <= t)
            found = &model->sections[i];
    if (found != NULL && found->closed && found->t1 < t)
        return NULL; /* between sections */
    return found;
}

/* ----------------------------------------------------------------------- */
/* Header and footer                                                        */
/* ----------------------------------------------------------------------- */

/* "1x", "0.5x", "10x". */
static void format_speed(char *text, size_t size, const tv_view *view,
                         const tv_glyphs *g)
{
    snprintf(text, size, "%g%s", view->speed, g->times);
}

static void draw_title_row(const tv__painter *p)
{
    const tv_view *v = p->view;
    const tv_rect r = p->layout->header;
    const tv_glyphs *g = p->glyphs;
    tv_grid_fill(p->grid, r.x, r.y, r.width, 1, ' ', TV_STYLE_TITLE);

    const char *badge = v->paused ? g->paused
                      : v->at_end ? (v->utf8 ? "\xe2\x96\xa0 end" : "# end")
                      : v->replay ? (v->utf8 ? "\xe2\x96\xb6 replay" : "> replay")
                      : g->live;
    tv_style badge_style = v->paused ? TV_STYLE_PAUSED
                         : v->at_end || v->replay ? TV_STYLE_TITLE : TV_STYLE_LIVE;
    int badge_width = tv_text_columns(badge) + 2;
    int room = r.width - badge_width - 1;

    const tv_section *section = tv__section_at(p->model, v->playhead);
    char title[400];
    snprintf(title, sizeof title, " awaitlab %s %s%s%s", v->utf8 ? "\xc2\xb7" : "-",
             v->title ? v->title : "trace", section ? "  section " : "",
             section ? section->name : "");
    tv_grid_text(p->grid, r.x, r.y, room, TV_STYLE_TITLE, title);
    int x = r.x + r.width - badge_width;
    tv_grid_put(p->grid, x, r.y, ' ', badge_style);
    tv_grid_text(p->grid, x + 1, r.y, badge_width - 2, badge_style, badge);
    tv_grid_put(p->grid, x + badge_width - 1, r.y, ' ', badge_style);
}

static void draw_status_row(const tv__painter *p)
{
    const tv_view *v = p->view;
    const tv_model *m = p->model;
    const tv_rect r = p->layout->header;
    static const char *const clocks[] = {
        [TV_CLOCK_UNKNOWN] = "?", [TV_CLOCK_REAL] = "real", [TV_CLOCK_VIRTUAL] = "virtual"};
    char now[TV_SECONDS_BYTES], end[TV_SECONDS_BYTES], speed[32], line[400];

    tv__format_time(now, sizeof now, v->playhead);
    tv__format_time(end, sizeof end, m->end);
    format_speed(speed, sizeof speed, v, p->glyphs);
    int n = snprintf(line, sizeof line, " clock %s   t %s s", clocks[m->clock], now);
    if (m->ended)
        n += snprintf(line + n, sizeof line - (size_t)n, " of %s", end);
    snprintf(line + n, sizeof line - (size_t)n, "   speed %s%s", speed,
             v->speed_fixed ? " (real time)" : "");

    const char *state = v->source_state ? v->source_state : "";
    int state_width = tv_text_columns(state);
    if (state_width > r.width / 2)
        state_width = r.width / 2;
    int room = r.width - state_width - 2;
    int x = r.x + tv_grid_text(p->grid, r.x, r.y + 1, room, TV_STYLE_NORMAL, line);
    if (v->knobs != NULL && x + 3 < r.x + room)
        tv_grid_text(p->grid, x + 3, r.y + 1, r.x + room - x - 3, TV_STYLE_KEY, v->knobs);
    tv_grid_text(p->grid, r.x + r.width - state_width - 1, r.y + 1, state_width,
                 v->source_failed ? TV_STYLE_WARNING : TV_STYLE_DIM, state);
}

/* Whether a key of the footer means anything for what is watched. */
static bool applies(const tv_view *v, tv_command command)
{
    switch (command) {
    case TV_CMD_KNOB_DOWN:
    case TV_CMD_N_DOWN:
        return v->knobs != NULL;
    case TV_CMD_NEXT:
        return v->chapters;
    case TV_CMD_FASTER:
        return !v->speed_fixed;
    default:
        return true;
    }
}

/* "space pause": a key and what it does; returns the columns taken. */
static int draw_key(const tv__painter *p, int x, int y, const tv_binding *b)
{
    const char *keys = p->view->utf8 ? b->utf8_keys : b->ascii_keys;
    x += tv_grid_text(p->grid, x, y, 40, TV_STYLE_KEY, keys) + 1;
    return tv_text_columns(keys) + 1 + tv_grid_text(p->grid, x, y, 40, TV_STYLE_DIM,
                                                     b->short_what);
}

static int key_width(const tv__painter *p, const tv_binding *b)
{
    return tv_text_columns(p->view->utf8 ? b->utf8_keys : b->ascii_keys) + 1 +
           tv_text_columns(b->short_what);
}

/*
 * The keys, as many as fit; help and quit always, at the right, so that a
 * narrow screen still says how to learn the rest and how to leave.
 */
static void draw_footer(const tv__painter *p)
{
    const tv_rect r = p->layout->footer;
    if (p->view->message != NULL) {
        tv_grid_text(p->grid, r.x + 1, r.y, r.width - 2, TV_STYLE_WARNING, p->view->message);
        return;
    }
    size_t count;
    const tv_binding *b = tv_bindings(&count);
    int end = r.x + r.width - 1;
    for (size_t i = count; i-- > 0;) {
        if (b[i].command == TV_CMD_QUIT || b[i].command == TV_CMD_HELP) {
            end -= key_width(p, &b[i]);
            draw_key(p, end, r.y, &b[i]);
            end -= 2;
        }
    }
    int x = r.x + 1;
    for (size_t i = 0; i < count; i++) {
        if (b[i].short_what == NULL || !applies(p->view, b[i].command) ||
            b[i].command == TV_CMD_QUIT || b[i].command == TV_CMD_HELP)
            continue;
        if (x + key_width(p, &b[i]) > end)
            break;
        x += draw_key(p, x, r.y, &b[i]) + 2;
    }
}

static void draw_too_small(tv_grid *grid)
{
    char line[160];
    snprintf(line, sizeof line, "The window is %dx%d: the timeline needs %dx%d.",
             grid->width, grid->height, TV_SCREEN_MIN_WIDTH, TV_SCREEN_MIN_HEIGHT);
    const char *lines[] = {line, "Make it bigger, or press q to quit."};
    for (int i = 0; i < 2; i++) {
        int width = tv_text_columns(lines[i]);
        int x = width < grid->width ? (grid->width - width) / 2 : 0;
        tv_grid_text(grid, x, grid->height / 2 - 1 + i, grid->width, TV_STYLE_WARNING,
                     lines[i]);
    }
}

/* ----------------------------------------------------------------------- */
/* The whole screen                                                         */
/* ----------------------------------------------------------------------- */

/*
 * Keeps the selection on a lane that exists (the first one if none is
 * selected) and scrolls so that it is on screen.
 */
static void follow_selection(tv_view *view, const tv_lanes *lanes, int rows)
{
    if (lanes->n_lanes == 0) {
        view->scroll = 0;
        return;
    }
    size_t at = tv_lanes_find(lanes, view->selected);
    if (at == SIZE_MAX) {
        at = view->scroll < lanes->n_lanes ? view->scroll : 0;
        view->selected = tv_lane_task(lanes, &lanes->lanes[at])->id;
    }
    size_t shown = rows > 0 ? (size_t)rows : 1;
    if (at < view->scroll)
        view->scroll = at;
    if (at >= view->scroll + shown)
        view->scroll = at - shown + 1;
    if (view->scroll + shown > lanes->n_lanes)
        view->scroll = lanes->n_lanes > shown ? lanes->n_lanes - shown : 0;
}

static void draw_parts(const tv__painter *p)
{
    draw_title_row(p);
    draw_status_row(p);
    tv__draw_ruler(p);
    tv__draw_lanes(p);
    tv__draw_legend(p);
    if (p->layout->resources.width > 0)
        tv__draw_resources(p);
    tv__draw_log(p);
    draw_footer(p);
    if (p->view->details)
        tv__draw_details(p);
    if (p->view->help)
        tv__draw_help(p);
}

int tv_screen_render(tv_grid *grid, const tv_model *model, tv_view *view,
                     tv_lanes *lanes)
{
    tv_grid_clear(grid);
    tv_layout layout = tv_screen_layout(grid->width, grid->height, model->n_resources > 0);
    if (layout.too_small) {
        draw_too_small(grid);
        return 0;
    }
    int columns = layout.lanes.width - layout.name_width - 2;
    layout.axis = tv_screen_axis(model, view, columns);
    bool group = !view->ungrouped;
    tv_spent *spent = calloc((size_t)columns + 1, sizeof *spent);
    if (spent == NULL ||
        tv_lanes_build(lanes, model, view->playhead, (size_t)layout.lanes.height, group) != 0) {
        free(spent);
        tv_grid_text(grid, 0, 0, grid->width, TV_STYLE_WARNING, "out of memory");
        return -1;
    }
    follow_selection(view, lanes, layout.lanes.height);
    tv__painter painter = {.grid = grid, .model = model, .view = view,
                           .glyphs = tv_glyphs_get(view->utf8), .layout = &layout,
                           .lanes = lanes, .spent = spent};
    draw_parts(&painter);
    free(spent);
    return 0;
}
