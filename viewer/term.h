/*
 * term.h -- the terminal: a thin ncurses back end for the character grid.
 *
 * Everything the live viewer shows is decided in a tv_grid (grid.h); this
 * file only copies grids to the terminal and reads keys.  It chooses:
 *
 *   - glyphs: UTF-8 when the locale's character set is UTF-8, else ASCII
 *     (AWAITLAB_ASCII=1 forces ASCII);
 *   - colour: one colour pair per style when the terminal has colours and
 *     NO_COLOR is unset or empty (https://no-color.org); otherwise styles
 *     become attributes only -- bold, reverse, underline, dim -- and the
 *     glyphs carry the meaning.
 *
 * The terminal is always given back: tv_term_close() restores it, and so do
 * an exit() and the signals that end a program.  SIGINT, SIGTERM, SIGHUP
 * and SIGQUIT do not end the viewer on the spot: they set a flag that
 * tv_term_interrupted() reports, and the viewer stops its child and closes
 * the terminal on its way out.  A crash (SIGSEGV, SIGBUS, SIGFPE, SIGILL,
 * SIGABRT) restores the terminal before the process dies.
 */
#ifndef TV_TERM_H
#define TV_TERM_H

#include <stdbool.h>

#include "grid.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tv_term tv_term;

/*
 * Takes over the terminal on standard input and output.  NULL when they are
 * not a terminal, or ncurses cannot start (errno or a message says why).
 */
tv_term *tv_term_open(void);

/* Gives the terminal back as it was.  NULL is allowed. */
void tv_term_close(tv_term *term);

/* The terminal's size in columns and rows, now. */
void tv_term_size(tv_term *term, int *width, int *height);

/* Whether to draw with UTF-8 glyphs. */
bool tv_term_utf8(const tv_term *term);

/*
 * Shows the grid: only the cells that changed since the last grid are
 * sent, and nothing at all when none did.
 */
void tv_term_present(tv_term *term, const tv_grid *grid);

/* Forgets what is on screen, so the next grid is drawn whole. */
void tv_term_invalidate(tv_term *term);

/*
 * The next key pressed, without waiting: a character, a TV_KEY_* code
 * (keys.h), TV_KEY_RESIZE after the terminal changed size, or TV_KEY_NONE.
 */
int tv_term_key(tv_term *term);

/* The descriptor keys arrive on, for poll(). */
int tv_term_fd(const tv_term *term);

/* The signal that asked the viewer to stop (SIGINT, ...), or 0. */
int tv_term_interrupted(void);

#ifdef __cplusplus
}
#endif

#endif /* TV_TERM_H */
