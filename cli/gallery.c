/*
 * gallery.c -- `awaitlab` alone, on a terminal: the chapters to choose from.
 *
 * The numbered chapters with their one-line summaries; Enter watches the
 * chosen one live in the viewer (in real time, the way a lecture shows it),
 * `s` opens its lesson, q leaves.  Quitting the viewer or the lesson comes
 * back here.  Without a terminal `awaitlab` prints the list instead
 * (main.c), so scripts and pipes never meet a full-screen program.
 */
#include "catalog.h"
#include "commands.h"
#include "grid.h"
#include "keys.h"
#include "lesson_pager.h"
#include "term.h"
#include "view_chapters.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIN_WIDTH 40
#define MIN_HEIGHT 8
#define LIST_TOP 2    /* the first row of the list              */

typedef struct gallery {
    chapter_info *chapters;
    int count;
    int selected;
    int scroll;       /* the first chapter on screen            */
    char message[256];
} gallery;

/* ----------------------------------------------------------------------- */
/* Drawing                                                                  */
/* ----------------------------------------------------------------------- */

/* The title column: as wide as the longest title, up to half the window. */
static int title_width(const gallery *g, int width)
{
    int widest = 0;
    for (int i = 0; i < g->count; i++)
        if (tv_text_columns(g->chapters[i].title) > widest)
            widest = tv_text_columns(g->chapters[i].title);
    return widest < width / 2 - 8 ? widest : width / 2 - 8;
}

static void draw_list(tv_grid *grid, gallery *g, int rows)
{
    int titles = title_width(g, grid->width);
    if (g->selected < g->scroll)
        g->scroll = g->selected;
    if (g->selected >= g->scroll + rows)
        g->scroll = g->selected - rows + 1;
    for (int y = 0; y < rows && g->scroll + y < g->count; y++) {
        const chapter_info *c = &g->chapters[g->scroll + y];
        int row = LIST_TOP + y;
        tv_grid_printf(grid, 2, row, 4, TV_STYLE_KEY, "%s", c->number);
        tv_grid_text(grid, 6, row, titles, TV_STYLE_HEADING, c->title);
        tv_grid_text(grid, 8 + titles, row, grid->width - 9 - titles, TV_STYLE_NORMAL,
                     c->summary);
        if (g->scroll + y == g->selected)
            tv_grid_restyle(grid, 1, row, grid->width - 2, TV_STYLE_SELECTED);
    }
}

static void draw(tv_grid *grid, gallery *g, bool utf8)
{
    tv_grid_clear(grid);
    if (grid->width < MIN_WIDTH || grid->height < MIN_HEIGHT) {
        tv_grid_text(grid, 0, 0, grid->width, TV_STYLE_WARNING, "awaitlab: a bigger window, please");
        return;
    }
    tv_grid_fill(grid, 0, 0, grid->width, 1, ' ', TV_STYLE_TITLE);
    tv_grid_text(grid, 0, 0, grid->width, TV_STYLE_TITLE,
                 " awaitlab: asyncio's patterns, in C, one chapter at a time");
    int rows = grid->height - LIST_TOP - 4;
    draw_list(grid, g, rows);
    const chapter_info *c = &g->chapters[g->selected];
    tv_grid_printf(grid, 2, grid->height - 3, grid->width - 4, TV_STYLE_DIM,
                   "from a shell: awaitlab view %s    awaitlab run %s --timeline    awaitlab show %s",
                   c->number, c->number, c->number);
    if (g->message[0])
        tv_grid_text(grid, 2, grid->height - 2, grid->width - 4, TV_STYLE_WARNING, g->message);
    tv_grid_text(grid, 1, grid->height - 1, grid->width - 2, TV_STYLE_DIM,
                 utf8 ? "\xe2\x86\x91/\xe2\x86\x93 choose   \xe2\x8f\x8e watch it live   "
                        "s read the lesson   q quit"
                      : "up/down choose   enter watch it live   s read the lesson   q quit");
}

/* ----------------------------------------------------------------------- */
/* Keys                                                                     */
/* ----------------------------------------------------------------------- */

/* Watches the selected chapter live, in real time; returns a signal or 0. */
static int watch_selected(tv_term *term, gallery *g)
{
    char *flags[] = {"--clock", "real"};
    int result = view_chapters(term, g->chapters, g->count, g->selected, flags, 2, 1.0, NULL);
    if (result < 0)
        snprintf(g->message, sizeof g->message, "chapter %s could not be started",
                 g->chapters[g->selected].number);
    tv_term_invalidate(term);
    return result > 0 ? result : 0;
}

static int read_selected(tv_term *term, gallery *g)
{
    int result = lesson_pager(term, &g->chapters[g->selected]);
    if (result < 0)
        snprintf(g->message, sizeof g->message, "chapter %s has no lesson here",
                 g->chapters[g->selected].number);
    tv_term_invalidate(term);
    return result > 0 ? result : 0;
}

/* Acts on a key; returns a signal number, -1 to leave, or 0 to go on. */
static int on_key(tv_term *term, gallery *g, int key)
{
    g->message[0] = '\0';
    switch (key) {
    case TV_KEY_UP: case 'k':
        g->selected = g->selected > 0 ? g->selected - 1 : 0;
        return 0;
    case TV_KEY_DOWN: case 'j':
        g->selected = g->selected + 1 < g->count ? g->selected + 1 : g->count - 1;
        return 0;
    case TV_KEY_HOME:
        g->selected = 0;
        return 0;
    case TV_KEY_END:
        g->selected = g->count - 1;
        return 0;
    case TV_KEY_ENTER: case ' ':
        return watch_selected(term, g);
    case 's':
        return read_selected(term, g);
    case 'q': case 'Q': case TV_KEY_ESCAPE:
        return -1;
    case TV_KEY_RESIZE:
        tv_term_invalidate(term);
        return 0;
    default:
        return 0;
    }
}

int gallery_run(void)
{
    gallery g = {0};
    g.count = catalog_load(&g.chapters);
    if (g.count <= 0) {
        free(g.chapters);
        return EXIT_FAILED;
    }
    tv_term *term = tv_term_open();
    tv_grid *grid = tv_grid_new(1, 1);
    if (term == NULL || grid == NULL) {
        tv_term_close(term);
        tv_grid_free(grid);
        free(g.chapters);
        return cmd_list(0, NULL);
    }
    int result = 0;
    while (result == 0) {
        int width, height;
        tv_term_size(term, &width, &height);
        if (tv_grid_resize(grid, width, height) != 0)
            break;
        draw(grid, &g, tv_term_utf8(term));
        tv_term_present(term, grid);
        if ((result = tv_term_interrupted()) != 0)
            break;
        int key = wait_for_key(term, 200);
        if (key != TV_KEY_NONE)
            result = on_key(term, &g, key);
    }
    tv_term_close(term);
    tv_grid_free(grid);
    free(g.chapters);
    return result > 0 ? 128 + result : 0;
}
