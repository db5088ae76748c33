/*
 * lesson_pager.c -- reading a lesson inside the terminal.
 *
 * Lessons are Markdown meant to be read as plain text too, so the pager
 * shows them as they are, wrapped at word boundaries to the window: headings
 * stand out, code blocks are set apart.  It draws into the same character
 * grid as the live viewer, through the same terminal back end.
 */
#include "lesson_pager.h"

#include "grid.h"
#include "keys.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct row {
    const char *text;   /* into the lesson's text, not NUL-terminated    */
    int length;         /* bytes                                         */
    tv_style style;
} row;

typedef struct pager {
    char *text;         /* the whole lesson, each line ending in a NUL   */
    size_t size;        /* bytes of text                                 */
    row *rows;          /* wrapped to the current width                  */
    size_t n_rows, capacity;
    int width;          /* the width the rows were wrapped for           */
} pager;

int wait_for_key(tv_term *term, int ms)
{
    struct pollfd keys = {.fd = tv_term_fd(term), .events = POLLIN};
    poll(&keys, 1, ms);
    return tv_term_key(term);
}

/* ----------------------------------------------------------------------- */
/* Wrapping                                                                 */
/* ----------------------------------------------------------------------- */

static bool add_row(pager *p, const char *text, int length, tv_style style)
{
    if (p->n_rows == p->capacity) {
        size_t bigger = p->capacity ? p->capacity * 2 : 256;
        row *rows = reallocarray(p->rows, bigger, sizeof *rows);
        if (rows == NULL)
            return false;
        p->rows = rows;
        p->capacity = bigger;
    }
    p->rows[p->n_rows++] = (row){text, length, style};
    return true;
}

/* Bytes of `text` that fit in `width` columns, cut after a blank if it can be. */
static int fitting(const char *text, int length, int width)
{
    int columns = 0, i = 0, last_blank = -1;
    while (i < length && columns < width) {
        if (text[i] == ' ')
            last_blank = i;
        do
            i++;
        while (i < length && (text[i] & 0xC0) == 0x80);
        columns++;
    }
    if (i < length && last_blank > 0)
        return last_blank + 1;
    return i;
}

/* Splits one line of the lesson into rows of at most `width` columns. */
static bool wrap_line(pager *p, const char *line, tv_style style, int width)
{
    int length = (int)strlen(line);
    if (length == 0)
        return add_row(p, line, 0, style);
    while (length > 0) {
        int n = fitting(line, length, width);
        if (!add_row(p, line, n, style))
            return false;
        line += n, length -= n;
    }
    return true;
}

/* The rows of the whole lesson for a window `width` columns wide. */
static bool wrap(pager *p, int width)
{
    p->n_rows = 0;
    p->width = width;
    bool code = false;
    for (const char *line = p->text; line < p->text + p->size; line += strlen(line) + 1) {
        bool fence = strncmp(line, "```", 3) == 0;
        tv_style style = fence ? TV_STYLE_DIM : code ? TV_STYLE_KEY
                       : line[0] == '#' ? TV_STYLE_HEADING : TV_STYLE_NORMAL;
        code ^= fence;
        if (!wrap_line(p, line, style, width > 8 ? width : 8))
            return false;
    }
    return true;
}

/* Reads the file into p, every line ending in a NUL.  False if it cannot. */
static bool read_text(pager *p, const char *path)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return false;
    FILE *out = open_memstream(&p->text, &p->size);
    int c;
    while (out && (c = fgetc(f)) != EOF)
        fputc(c == '\n' ? '\0' : c == '\t' ? ' ' : c, out);
    if (out) {
        fputc('\0', out); /* the last line may lack its newline */
        fclose(out);
    }
    fclose(f);
    return out != NULL;
}

/* ----------------------------------------------------------------------- */
/* Drawing                                                                  */
/* ----------------------------------------------------------------------- */

static void draw(tv_grid *grid, const pager *p, const char *title, size_t top)
{
    tv_grid_clear(grid);
    tv_grid_fill(grid, 0, 0, grid->width, 1, ' ', TV_STYLE_TITLE);
    tv_grid_printf(grid, 0, 0, grid->width, TV_STYLE_TITLE, " %s", title);
    int rows = grid->height - 2;
    for (int y = 0; y < rows && top + (size_t)y < p->n_rows; y++) {
        const row *r = &p->rows[top + (size_t)y];
        char text[1024];
        snprintf(text, sizeof text, "%.*s", r->length, r->text);
        tv_grid_text(grid, 1, 1 + y, grid->width - 2, r->style, text);
    }
    size_t last = top + (size_t)rows < p->n_rows ? top + (size_t)rows : p->n_rows;
    tv_grid_printf(grid, 1, grid->height - 1, grid->width - 2, TV_STYLE_DIM,
                   "up/down scroll   space/PgDn page   q back        %zu-%zu of %zu", top + 1,
                   last, p->n_rows);
}

/* The new first row after a key, or SIZE_MAX to leave. */
static size_t scrolled(int key, size_t top, size_t n_rows, int page)
{
    size_t last_top = n_rows > (size_t)page ? n_rows - (size_t)page : 0;
    long to = (long)top;
    if (key == 'q' || key == 'Q' || key == 's' || key == TV_KEY_ESCAPE)
        return SIZE_MAX;
    if (key == TV_KEY_DOWN || key == 'j')
        to += 1;
    else if (key == TV_KEY_UP || key == 'k')
        to -= 1;
    else if (key == ' ' || key == TV_KEY_PAGE_DOWN)
        to += page;
    else if (key == TV_KEY_PAGE_UP || key == 'b')
        to -= page;
    else if (key == TV_KEY_HOME)
        to = 0;
    else if (key == TV_KEY_END)
        to = (long)last_top;
    return to < 0 ? 0 : (size_t)to > last_top ? last_top : (size_t)to;
}

int lesson_pager(tv_term *term, const chapter_info *chapter)
{
    char path[4600], title[200];
    catalog_lesson_path(chapter, path, sizeof path);
    snprintf(title, sizeof title, "lesson %s: %s", chapter->number, chapter->title);
    return file_pager(term, title, path);
}

int file_pager(tv_term *term, const char *title, const char *path)
{
    pager p = {0};
    tv_grid *grid = tv_grid_new(1, 1);
    if (!read_text(&p, path) || grid == NULL) {
        free(p.text);
        tv_grid_free(grid);
        return -1;
    }
    size_t top = 0;
    int result = 0;
    tv_term_invalidate(term);
    for (;;) {
        int width, height, key;
        tv_term_size(term, &width, &height);
        if ((width != p.width || height != grid->height) &&
            (tv_grid_resize(grid, width, height) != 0 || !wrap(&p, width - 2)))
            break;
        draw(grid, &p, title, top);
        tv_term_present(term, grid);
        if ((result = tv_term_interrupted()) != 0)
            break;
        if ((key = wait_for_key(term, 200)) == TV_KEY_NONE)
            continue;
        if (key == TV_KEY_RESIZE)
            tv_term_invalidate(term);
        if ((top = scrolled(key, top, p.n_rows, height - 2)) == SIZE_MAX)
            break;
    }
    free(p.rows);
    free(p.text);
    tv_grid_free(grid);
    return result;
}
