/*
 * grid.c -- the character grid the live viewer draws into.
 */
#include "grid.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

tv_grid *tv_grid_new(int width, int height)
{
    tv_grid *grid = calloc(1, sizeof *grid);
    if (grid == NULL)
        return NULL;
    if (tv_grid_resize(grid, width, height) != 0) {
        free(grid);
        return NULL;
    }
    return grid;
}

void tv_grid_free(tv_grid *grid)
{
    if (grid == NULL)
        return;
    free(grid->cells);
    free(grid);
}

int tv_grid_resize(tv_grid *grid, int width, int height)
{
    width = width < 1 ? 1 : width;
    height = height < 1 ? 1 : height;
    if (width != grid->width || height != grid->height) {
        tv_cell *cells = calloc((size_t)width * (size_t)height, sizeof *cells);
        if (cells == NULL)
            return -1;
        free(grid->cells);
        grid->cells = cells;
        grid->width = width;
        grid->height = height;
    }
    tv_grid_clear(grid);
    return 0;
}

void tv_grid_clear(tv_grid *grid)
{
    size_t n = (size_t)grid->width * (size_t)grid->height;
    for (size_t i = 0; i < n; i++)
        grid->cells[i] = (tv_cell){.ch = ' ', .style = TV_STYLE_NORMAL};
}

void tv_grid_put(tv_grid *grid, int x, int y, uint32_t ch, tv_style style)
{
    if (x < 0 || y < 0 || x >= grid->width || y >= grid->height)
        return;
    grid->cells[(size_t)y * (size_t)grid->width + (size_t)x] =
        (tv_cell){.ch = ch, .style = (uint8_t)style};
}

const tv_cell *tv_grid_at(const tv_grid *grid, int x, int y)
{
    if (x < 0 || y < 0 || x >= grid->width || y >= grid->height)
        return NULL;
    return &grid->cells[(size_t)y * (size_t)grid->width + (size_t)x];
}

void tv_grid_fill(tv_grid *grid, int x, int y, int width, int height, uint32_t ch,
                  tv_style style)
{
    for (int row = y; row < y + height; row++)
        for (int column = x; column < x + width; column++)
            tv_grid_put(grid, column, row, ch, style);
}

void tv_grid_restyle(tv_grid *grid, int x, int y, int width, tv_style style)
{
    for (int column = x; column < x + width; column++) {
        const tv_cell *cell = tv_grid_at(grid, column, y);
        if (cell != NULL)
            tv_grid_put(grid, column, y, cell->ch, style);
    }
}

/* ----------------------------------------------------------------------- */
/* Text                                                                     */
/* ----------------------------------------------------------------------- */

/*
 * Decodes one UTF-8 character at *p and moves past it.  Malformed bytes
 * decode as U+FFFD one at a time, so the caller always gets somewhere.
 */
static uint32_t next_code_point(const unsigned char **p)
{
    const unsigned char *s = *p;
    int length = s[0] < 0x80 ? 1 : (s[0] & 0xE0) == 0xC0 ? 2
               : (s[0] & 0xF0) == 0xE0 ? 3 : (s[0] & 0xF8) == 0xF0 ? 4 : 0;
    if (length == 0) {
        *p = s + 1;
        return 0xFFFD;
    }
    uint32_t cp = length == 1 ? s[0] : s[0] & (0x3F >> (length - 1));
    for (int i = 1; i < length; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *p = s + 1;
            return 0xFFFD;
        }
        cp = cp << 6 | (s[i] & 0x3F);
    }
    *p = s + length;
    return cp;
}

/*
 * Whether a code point takes exactly one column on a terminal.  This is a
 * deliberately rough version of wcwidth(): the ranges of combining marks
 * and of wide East Asian characters and emoji that names are likely to
 * hold.  It does not depend on the locale, so a layout is the same in tests
 * and on every terminal; anything doubtful becomes a '?'.
 */
static bool one_column(uint32_t cp)
{
    static const uint32_t not_one[][2] = {
        {0x0000, 0x001F}, {0x007F, 0x009F}, {0x0300, 0x036F}, {0x1100, 0x115F},
        {0x200B, 0x200F}, {0x2E80, 0xA4CF}, {0xAC00, 0xD7A3}, {0xD800, 0xDFFF},
        {0xF900, 0xFAFF}, {0xFE00, 0xFE0F}, {0xFE30, 0xFE4F}, {0xFF00, 0xFF60},
        {0xFFE0, 0xFFE6}, {0xFFFD, 0xFFFD}, {0x1F000, 0x1FAFF}, {0x20000, 0x10FFFF},
    };
    for (size_t i = 0; i < sizeof not_one / sizeof not_one[0]; i++)
        if (cp >= not_one[i][0] && cp <= not_one[i][1])
            return false;
    return true;
}

int tv_grid_text(tv_grid *grid, int x, int y, int max, tv_style style,
                 const char *text)
{
    const unsigned char *p = (const unsigned char *)text;
    int written = 0;
    while (*p != '\0' && written < max && x + written < grid->width) {
        uint32_t cp = next_code_point(&p);
        tv_grid_put(grid, x + written, y, one_column(cp) ? cp : '?', style);
        written++;
    }
    return written;
}

int tv_grid_printf(tv_grid *grid, int x, int y, int max, tv_style style,
                   const char *format, ...)
{
    char text[512];
    va_list args;
    va_start(args, format);
    vsnprintf(text, sizeof text, format, args);
    va_end(args);
    return tv_grid_text(grid, x, y, max, style, text);
}

int tv_text_columns(const char *text)
{
    const unsigned char *p = (const unsigned char *)text;
    int columns = 0;
    while (*p != '\0') {
        next_code_point(&p);
        columns++;
    }
    return columns;
}

/* ----------------------------------------------------------------------- */
/* Comparing and printing                                                   */
/* ----------------------------------------------------------------------- */

bool tv_grid_equal(const tv_grid *a, const tv_grid *b)
{
    if (a->width != b->width || a->height != b->height)
        return false;
    size_t n = (size_t)a->width * (size_t)a->height;
    for (size_t i = 0; i < n; i++)
        if (a->cells[i].ch != b->cells[i].ch || a->cells[i].style != b->cells[i].style)
            return false;
    return true;
}

int tv_grid_copy(tv_grid *to, const tv_grid *from)
{
    if (tv_grid_resize(to, from->width, from->height) != 0)
        return -1;
    memcpy(to->cells, from->cells,
           (size_t)from->width * (size_t)from->height * sizeof *from->cells);
    return 0;
}

/* Appends a code point as UTF-8; returns the bytes written (at most 4). */
static size_t put_utf8(char *out, uint32_t cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | cp >> 12);
        out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | cp >> 18);
    out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
    out[2] = (char)(0x80 | (cp >> 6 & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

char tv_style_letter(tv_style style)
{
    /* normal dim Title heading border key Selected playhead running await
     * z(sleep) l(ock: resource) io y(ready) ok error cancelled !(slow)
     * Warning Live Paused */
    static const char letters[TV_N_STYLES + 1] = ".dThbkSprazliyoec!WLP";
    return style < TV_N_STYLES ? letters[style] : '?';
}

/* Rows of the grid as text, cell by cell through `cell_text`. */
static char *grid_rows(const tv_grid *grid,
                       size_t (*cell_text)(const tv_cell *cell, char *out),
                       bool (*blank)(const tv_cell *cell))
{
    size_t size = (size_t)grid->height * ((size_t)grid->width * 4 + 1) + 1;
    char *text = malloc(size), *end = text;
    if (text == NULL)
        return NULL;
    for (int y = 0; y < grid->height; y++) {
        const tv_cell *row = &grid->cells[(size_t)y * (size_t)grid->width];
        int used = grid->width;
        while (used > 0 && blank(&row[used - 1]))
            used--;
        for (int x = 0; x < used; x++)
            end += cell_text(&row[x], end);
        *end++ = '\n';
    }
    *end = '\0';
    return text;
}

static size_t cell_character(const tv_cell *cell, char *out)
{
    return put_utf8(out, cell->ch);
}

static bool blank_character(const tv_cell *cell)
{
    return cell->ch == ' ';
}

static size_t cell_style(const tv_cell *cell, char *out)
{
    *out = tv_style_letter((tv_style)cell->style);
    return 1;
}

static bool normal_style(const tv_cell *cell)
{
    return cell->style == TV_STYLE_NORMAL;
}

char *tv_grid_to_text(const tv_grid *grid)
{
    return grid_rows(grid, cell_character, blank_character);
}

char *tv_grid_styles_to_text(const tv_grid *grid)
{
    return grid_rows(grid, cell_style, normal_style);
}
