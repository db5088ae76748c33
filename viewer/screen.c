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

#define SIDE_PANEL_FROM 160 /* columns from which a side panel shows   */
#define SIDE_PANEL_WIDTH 56

/*
 * Rows of the bottom panels: the lanes come first on a laptop's 24 rows; a
 * projector's tall screen gives the log a quarter of its height.
 */
static int panel_height(int height)
{
    return height >= 48 ? height / 4 : height >= 34 ? 10 : height >= 28 ? 8 : 6;
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
    /* A projector's width: the counts and the resources' waiters beside
     * the lanes, which still get more than 100 columns. */
    if (width >= SIDE_PANEL_FROM) {
        l.side = (tv_rect){width - SIDE_PANEL_WIDTH, l.ruler.y, SIDE_PANEL_WIDTH,
                           l.legend.y - l.ruler.y};
        l.ruler.width = l.lanes.width = width - SIDE_PANEL_WIDTH;
    }
    return l;
}

/*
 * On a tall screen, the rows the lanes will not need (a lane per task and
 * a divider per section, for every task the trace has so far) go to the
 * panels below, so that the log shows more instead of the screen staying
 * empty.  Small screens keep their layout: there every row is wanted.
 */
static void give_spare_rows(tv_layout *l, const tv_model *model, int height)
{
    enum { LEAST_LANES = 8 };
    int needed = (int)(model->n_tasks + model->n_sections);
    if (height < 34 || needed >= l->lanes.height)
        return;
    int spare = l->lanes.height - (needed > LEAST_LANES ? needed : LEAST_LANES);
    if (spare <= 0)
        return;
    l->lanes.height -= spare;
    l->legend.y -= spare;
    l->resources.y -= spare, l->resources.height += spare;
    l->log.y -= spare, l->log.height += spare;
    if (l->side.width > 0)
        l->side.height -= spare;
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

    /* Lines of the trace that could not be read: the picture may lack
     * something, and the log may have scrolled past them. */
    if (p->model->n_diagnostics > 0) {
        char bad[80];
        snprintf(bad, sizeof bad, " ! %zu bad trace line%s ", p->model->n_diagnostics,
                 p->model->n_diagnostics == 1 ? "" : "s");
        int width = tv_text_columns(bad);
        if (width < room / 2) {
            room -= width;
            tv_grid_text(p->grid, r.x + room, r.y, width, TV_STYLE_WARNING, bad);
        }
    }

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

/*
 * The status row's parts, most important first: the clock and the
 * playhead, then the knobs with their values (the keys that turn them mean
 * nothing without them), then the state of the program, the end of the run
 * and the speed.  On a narrow screen the least important part that is left
 * goes first, whole; nothing is ever cut in the middle of a word.
 */
enum { PART_CLOCK, PART_END, PART_SPEED, PART_KNOBS, PART_STATE, N_PARTS };

static void draw_status_row(const tv__painter *p)
{
    const tv_view *v = p->view;
    const tv_model *m = p->model;
    const tv_rect r = p->layout->header;
    static const char *const clocks[] = {
        [TV_CLOCK_UNKNOWN] = "?", [TV_CLOCK_REAL] = "real", [TV_CLOCK_VIRTUAL] = "virtual"};
    static const int dropped_first[] = {PART_END, PART_SPEED, PART_STATE, PART_KNOBS};
    char now[TV_SECONDS_BYTES], end[TV_SECONDS_BYTES], speed[32];
    char text[N_PARTS][256];

    tv__format_time(now, sizeof now, v->playhead);
    tv__format_time(end, sizeof end, m->end);
    format_speed(speed, sizeof speed, v, p->glyphs);
    snprintf(text[PART_CLOCK], sizeof text[0], "clock %s  t %s s", clocks[m->clock], now);
    snprintf(text[PART_END], sizeof text[0], "%s%s", m->ended ? "of " : "",
             m->ended ? end : "");
    snprintf(text[PART_SPEED], sizeof text[0], "speed %s%s", speed,
             v->speed_fixed ? " (real time)" : "");
    snprintf(text[PART_KNOBS], sizeof text[0], "%s", v->knobs ? v->knobs : "");
    snprintf(text[PART_STATE], sizeof text[0], "%s", v->source_state ? v->source_state : "");

    /* Three columns between parts, the state at the right: drop parts,
     * least important first, until what is left fits. */
    bool shown[N_PARTS];
    int cost[N_PARTS], total = 0;
    for (int i = 0; i < N_PARTS; i++) {
        shown[i] = text[i][0] != '\0';
        /* "of 5.500" follows the playhead's time after one space */
        cost[i] = tv_text_columns(text[i]) + (i == PART_END ? 1 : 3);
        total += shown[i] ? cost[i] : 0;
    }
    for (size_t k = 0; total > r.width - 1 && k < sizeof dropped_first / sizeof *dropped_first;
         k++) {
        int part = dropped_first[k];
        if (shown[part])
            total -= cost[part], shown[part] = false;
    }
    int x = r.x + 1;
    for (int i = 0; i < PART_STATE; i++) {
        if (!shown[i])
            continue;
        if (i == PART_END)
            x -= 2;
        tv_style style = i == PART_KNOBS ? TV_STYLE_KEY : TV_STYLE_NORMAL;
        x += tv_grid_text(p->grid, x, r.y + 1, r.x + r.width - x, style, text[i]) + 3;
    }
    if (shown[PART_STATE]) {
        int width = tv_text_columns(text[PART_STATE]);
        tv_grid_text(p->grid, r.x + r.width - width - 1, r.y + 1, width,
                     v->source_failed ? TV_STYLE_WARNING : TV_STYLE_DIM, text[PART_STATE]);
    }
}

/* Whether a key of the footer means anything for what is watched. */
static bool applies(const tv__painter *p, tv_command command)
{
    const tv_view *v = p->view;
    switch (command) {
    case TV_CMD_SECTION:
        return p->model->n_sections > 1;
    case TV_CMD_LESSON:
        return v->lesson;
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

/* A message for the footer; one too long is cut after a whole word. */
static void draw_message(const tv__painter *p, tv_rect r, const char *message)
{
    int room = r.width - 2;
    if (tv_text_columns(message) <= room) {
        tv_grid_text(p->grid, r.x + 1, r.y, room, TV_STYLE_WARNING, message);
        return;
    }
    char cut[640];
    snprintf(cut, sizeof cut, "%s", message);
    char *space;
    while (tv_text_columns(cut) > room - 1 && (space = strrchr(cut, ' ')) != NULL)
        *space = '\0';
    int x = r.x + 1 + tv_grid_text(p->grid, r.x + 1, r.y, room - 1, TV_STYLE_WARNING, cut);
    tv_grid_put(p->grid, x, r.y, p->glyphs->ellipsis, TV_STYLE_WARNING);
}

/*
 * The footer's keys in order of importance: what a newcomer at a demo needs
 * first (pause, the knobs, speed, details) before the rest.  Keys not named
 * here come last, in the table's order.
 */
static int importance(tv_command command)
{
    static const tv_command order[] = {
        TV_CMD_PAUSE, TV_CMD_KNOB_DOWN, TV_CMD_N_DOWN, TV_CMD_FASTER, TV_CMD_DETAILS,
        TV_CMD_TABLE, TV_CMD_BACK, TV_CMD_SECTION, TV_CMD_LESSON, TV_CMD_UP,
        TV_CMD_RERUN, TV_CMD_ZOOM, TV_CMD_NEXT};
    for (size_t i = 0; i < sizeof order / sizeof *order; i++)
        if (order[i] == command)
            return (int)i;
    return (int)(sizeof order / sizeof *order);
}

/* Whether the footer shows a binding at all (help and quit are apart). */
static bool in_key_bar(const tv__painter *p, const tv_binding *b)
{
    return b->short_what != NULL && applies(p, b->command) && b->command != TV_CMD_QUIT &&
           b->command != TV_CMD_HELP;
}

/*
 * The keys: help and quit always, at the right, so that a narrow screen
 * still says how to learn the rest and how to leave; then as many of the
 * others as fit, the most important first, drawn in the table's order.
 */
static void draw_footer(const tv__painter *p)
{
    const tv_rect r = p->layout->footer;
    if (p->view->message != NULL) {
        draw_message(p, r, p->view->message);
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
    bool chosen[64] = {false};
    int room = end - (r.x + 1);
    for (int rank = 0; rank <= importance(TV_CMD_NONE); rank++)
        for (size_t i = 0; i < count && i < 64; i++)
            if (importance(b[i].command) == rank && in_key_bar(p, &b[i]) &&
                key_width(p, &b[i]) + 2 <= room)
                chosen[i] = true, room -= key_width(p, &b[i]) + 2;
    int x = r.x + 1;
    for (size_t i = 0; i < count && i < 64; i++)
        if (chosen[i])
            x += draw_key(p, x, r.y, &b[i]) + 2;
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
    if (p->view->table) {
        tv__draw_task_table(p);
    } else {
        tv__draw_ruler(p);
        tv__draw_lanes(p);
    }
    if (p->layout->side.width > 0)
        tv__draw_side_panel(p);
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
    give_spare_rows(&layout, model, grid->height);
    bool group = !view->ungrouped;
    if (tv_lanes_build(lanes, model, view->playhead, (size_t)layout.lanes.height, group) != 0) {
        tv_grid_text(grid, 0, 0, grid->width, TV_STYLE_WARNING, "out of memory");
        return -1;
    }
    layout.name_width = tv__name_width(lanes, layout.name_width, layout.lanes.width);
    int columns = layout.lanes.width - layout.name_width - 2;
    layout.axis = tv_screen_axis(model, view, columns);
    tv_spent *spent = calloc((size_t)columns + 1, sizeof *spent);
    if (spent == NULL) {
        tv_grid_text(grid, 0, 0, grid->width, TV_STYLE_WARNING, "out of memory");
        return -1;
    }
    follow_selection(view, lanes, layout.lanes.height);
    unsigned drawn = 0;
    tv__painter painter = {.grid = grid, .model = model, .view = view,
                           .glyphs = tv_glyphs_get(view->utf8), .layout = &layout,
                           .lanes = lanes, .spent = spent, .drawn = &drawn};
    draw_parts(&painter);
    free(spent);
    return 0;
}
