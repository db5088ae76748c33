/*
 * grid.h -- a screen as a grid of characters, each with a style.
 *
 * The live viewer draws into a grid, never into the terminal directly.  The
 * terminal back end (term.h) copies a finished grid to the screen; the tests
 * turn a grid into plain text and compare it with golden screens, without a
 * terminal at all.  So everything about layout can be tested exactly, and
 * the back end is left with nothing to decide.
 *
 * A cell holds one Unicode code point that takes one column.  Styles say
 * what a cell means (a running task, an error, the header...), not how it
 * looks: colours and attributes are the back end's business, and a
 * monochrome terminal can still tell them apart.
 */
#ifndef TV_GRID_H
#define TV_GRID_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum tv_style {
    TV_STYLE_NORMAL = 0,
    TV_STYLE_DIM,       /* secondary text: times, hints              */
    TV_STYLE_TITLE,     /* the header bar                            */
    TV_STYLE_HEADING,   /* a panel's title                           */
    TV_STYLE_BORDER,
    TV_STYLE_KEY,       /* a key in the footer or help               */
    TV_STYLE_SELECTED,  /* the selected lane's name                  */
    TV_STYLE_PLAYHEAD,  /* the playhead's mark on the ruler          */
    TV_STYLE_RUNNING,   /* lanes, by activity (lane_sample.h)        */
    TV_STYLE_AWAIT,
    TV_STYLE_SLEEP,
    TV_STYLE_RESOURCE,
    TV_STYLE_IO,
    TV_STYLE_READY,
    TV_STYLE_OK,        /* outcomes                                  */
    TV_STYLE_ERROR,
    TV_STYLE_CANCELLED,
    TV_STYLE_SLOW,      /* debug mode's warning                      */
    TV_STYLE_WARNING,   /* problems: bad trace lines, a crash        */
    TV_STYLE_LIVE,      /* the "live" badge                          */
    TV_STYLE_PAUSED,    /* the "paused" badge                        */
    TV_N_STYLES
} tv_style;

typedef struct tv_cell {
    uint32_t ch;   /* a code point one column wide; ' ' when blank */
    uint8_t style; /* a tv_style                                  */
} tv_cell;

typedef struct tv_grid {
    int width, height;
    tv_cell *cells; /* row by row: cells[y * width + x] */
} tv_grid;

/* A blank grid; NULL when out of memory.  Sizes below 1 become 1. */
tv_grid *tv_grid_new(int width, int height);
void tv_grid_free(tv_grid *grid);

/* Changes the size and blanks the grid; -1 when out of memory (size kept). */
int tv_grid_resize(tv_grid *grid, int width, int height);

/* Makes every cell a blank of TV_STYLE_NORMAL. */
void tv_grid_clear(tv_grid *grid);

/* Sets one cell; a cell outside the grid is ignored. */
void tv_grid_put(tv_grid *grid, int x, int y, uint32_t ch, tv_style style);

/* The cell at (x, y), or NULL outside the grid. */
const tv_cell *tv_grid_at(const tv_grid *grid, int x, int y);

/* Fills a rectangle with one character. */
void tv_grid_fill(tv_grid *grid, int x, int y, int width, int height, uint32_t ch,
                  tv_style style);

/* Gives the cells of a row segment another style, keeping their characters. */
void tv_grid_restyle(tv_grid *grid, int x, int y, int width, tv_style style);

/*
 * Writes UTF-8 text from (x, y), at most `max` columns (and never past the
 * grid's edge).  Characters that would not take exactly one column -- control
 * characters, combining marks, wide East Asian characters, bytes that are
 * not UTF-8 -- are written as '?', so that no text can break the layout.
 * Returns the columns written.
 */
int tv_grid_text(tv_grid *grid, int x, int y, int max, tv_style style,
                 const char *text);

/* The same with printf formatting. */
int tv_grid_printf(tv_grid *grid, int x, int y, int max, tv_style style,
                   const char *format, ...) __attribute__((format(printf, 6, 7)));

/* Columns a UTF-8 text takes when written with tv_grid_text(). */
int tv_text_columns(const char *text);

/* Whether two grids have the same size, characters and styles. */
bool tv_grid_equal(const tv_grid *a, const tv_grid *b);

/* Copies `from` into `to` (resizing it); -1 when out of memory. */
int tv_grid_copy(tv_grid *to, const tv_grid *from);

/*
 * The characters as UTF-8 text, one line per row, each without trailing
 * blanks and ending in '\n'.  The caller frees it; NULL when out of memory.
 */
char *tv_grid_to_text(const tv_grid *grid);

/*
 * The styles as text, one letter per cell (tv_style_letter), rows as in
 * tv_grid_to_text(), trailing normal cells left out.  For tests that check
 * what a screen means, not only what it says.
 */
char *tv_grid_styles_to_text(const tv_grid *grid);

/* One letter per style, e.g. 'R' running, 'E' error, '.' normal. */
char tv_style_letter(tv_style style);

#ifdef __cplusplus
}
#endif

#endif /* TV_GRID_H */
