/*
 * term.c -- the grid on a real terminal, through ncurses.
 */
#include "term.h"

#include "keys.h"

#include <curses.h>
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct tv_term {
    bool utf8;
    bool colour;
    attr_t attrs[TV_N_STYLES];   /* per style: attributes ...              */
    short pairs[TV_N_STYLES];    /* ... and colour pair (0: the default)   */
    SCREEN *screen;
    tv_grid *shown;              /* what the screen shows now              */
    bool invalid;                /* the screen must be drawn whole         */
};

/* ----------------------------------------------------------------------- */
/* Giving the terminal back, whatever happens                               */
/* ----------------------------------------------------------------------- */

static volatile sig_atomic_t interrupted;
static volatile sig_atomic_t screen_active;

static void on_stop_signal(int signal_number)
{
    interrupted = signal_number;
}

/*
 * A crash: give the terminal back, then die of the same signal.  endwin()
 * is not async-signal-safe, so in theory it could misbehave here; in
 * practice it writes a few escape sequences, and the alternative -- leaving
 * the terminal without echo and in the alternate screen -- is certain harm.
 */
static void on_fatal_signal(int signal_number)
{
    if (screen_active) {
        screen_active = 0;
        endwin();
    }
    signal(signal_number, SIG_DFL);
    raise(signal_number);
}

static void restore_at_exit(void)
{
    if (screen_active) {
        screen_active = 0;
        endwin();
    }
}

/*
 * Installed before initscr(): ncurses then leaves these signals to us (it
 * only catches those still at their default), while it keeps handling
 * SIGWINCH (resizes) and SIGTSTP (Ctrl-Z) itself.  No SA_RESTART, so a
 * signal interrupts the viewer's poll() at once.
 */
static void install_signal_handlers(void)
{
    static bool installed;
    if (installed)
        return;
    installed = true;
    struct sigaction stop = {.sa_handler = on_stop_signal};
    sigemptyset(&stop.sa_mask);
    int stops[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
    for (size_t i = 0; i < sizeof stops / sizeof stops[0]; i++)
        sigaction(stops[i], &stop, NULL);
    struct sigaction fatal = {.sa_handler = on_fatal_signal, .sa_flags = SA_RESETHAND};
    sigemptyset(&fatal.sa_mask);
    int fatals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
    for (size_t i = 0; i < sizeof fatals / sizeof fatals[0]; i++)
        sigaction(fatals[i], &fatal, NULL);
    signal(SIGPIPE, SIG_IGN); /* a child that goes away is no reason to die */
    atexit(restore_at_exit);
}

int tv_term_interrupted(void)
{
    return interrupted;
}

/* ----------------------------------------------------------------------- */
/* Styles                                                                   */
/* ----------------------------------------------------------------------- */

typedef struct style_look {
    attr_t mono;       /* on a terminal without colour                   */
    attr_t attrs;      /* with colour: attributes beside the colour      */
    short fg, bg;      /* -1: the terminal's default                     */
} style_look;

static const style_look looks[TV_N_STYLES] = {
    [TV_STYLE_NORMAL] = {A_NORMAL, A_NORMAL, -1, -1},
    [TV_STYLE_DIM] = {A_DIM, A_DIM, -1, -1},
    [TV_STYLE_TITLE] = {A_REVERSE | A_BOLD, A_BOLD, COLOR_WHITE, COLOR_BLUE},
    [TV_STYLE_HEADING] = {A_BOLD, A_BOLD, -1, -1},
    [TV_STYLE_BORDER] = {A_DIM, A_NORMAL, COLOR_BLUE, -1},
    [TV_STYLE_KEY] = {A_BOLD, A_BOLD, COLOR_CYAN, -1},
    [TV_STYLE_SELECTED] = {A_REVERSE, A_REVERSE, -1, -1},
    [TV_STYLE_PLAYHEAD] = {A_REVERSE | A_BOLD, A_REVERSE | A_BOLD, COLOR_YELLOW, -1},
    [TV_STYLE_RUNNING] = {A_BOLD, A_BOLD, COLOR_GREEN, -1},
    [TV_STYLE_AWAIT] = {A_DIM, A_NORMAL, COLOR_WHITE, -1},
    [TV_STYLE_SLEEP] = {A_NORMAL, A_BOLD, COLOR_BLUE, -1},
    [TV_STYLE_RESOURCE] = {A_NORMAL, A_NORMAL, COLOR_YELLOW, -1},
    [TV_STYLE_IO] = {A_NORMAL, A_NORMAL, COLOR_MAGENTA, -1},
    [TV_STYLE_READY] = {A_DIM, A_DIM, -1, -1},
    [TV_STYLE_OK] = {A_BOLD, A_BOLD, COLOR_GREEN, -1},
    [TV_STYLE_ERROR] = {A_BOLD | A_UNDERLINE, A_BOLD, COLOR_RED, -1},
    [TV_STYLE_CANCELLED] = {A_UNDERLINE, A_BOLD, COLOR_CYAN, -1},
    [TV_STYLE_SLOW] = {A_REVERSE | A_BOLD, A_REVERSE | A_BOLD, COLOR_RED, -1},
    [TV_STYLE_WARNING] = {A_BOLD, A_BOLD, COLOR_RED, -1},
    [TV_STYLE_LIVE] = {A_REVERSE | A_BOLD, A_BOLD, COLOR_WHITE, COLOR_GREEN},
    [TV_STYLE_PAUSED] = {A_REVERSE | A_BOLD, A_BOLD, COLOR_BLACK, COLOR_YELLOW},
};

static bool wants_colour(void)
{
    const char *no_colour = getenv("NO_COLOR");
    return has_colors() && (no_colour == NULL || no_colour[0] == '\0');
}

static void set_up_styles(tv_term *term)
{
    term->colour = wants_colour();
    if (term->colour && start_color() == OK) {
        use_default_colors();
        for (int s = 0; s < TV_N_STYLES; s++) {
            term->attrs[s] = looks[s].attrs;
            term->pairs[s] = (short)(s + 1);
            init_pair((short)(s + 1), looks[s].fg, looks[s].bg);
        }
        return;
    }
    term->colour = false;
    for (int s = 0; s < TV_N_STYLES; s++)
        term->attrs[s] = looks[s].mono, term->pairs[s] = 0;
}

/* ----------------------------------------------------------------------- */
/* Opening and closing                                                      */
/* ----------------------------------------------------------------------- */

static bool locale_is_utf8(void)
{
    const char *force_ascii = getenv("AWAITLAB_ASCII");
    if (force_ascii != NULL && strcmp(force_ascii, "1") == 0)
        return false;
    setlocale(LC_ALL, "");
    return strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
}

tv_term *tv_term_open(void)
{
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        errno = ENOTTY;
        return NULL;
    }
    tv_term *term = calloc(1, sizeof *term);
    if (term == NULL || (term->shown = tv_grid_new(1, 1)) == NULL) {
        free(term);
        return NULL;
    }
    term->utf8 = locale_is_utf8();
    install_signal_handlers();
    if ((term->screen = newterm(NULL, stdout, stdin)) == NULL) {
        tv_grid_free(term->shown);
        free(term);
        errno = ENOTTY;
        return NULL;
    }
    screen_active = 1;
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    set_escdelay(25);
    curs_set(0);
    set_up_styles(term);
    term->invalid = true;
    return term;
}

void tv_term_close(tv_term *term)
{
    if (term == NULL)
        return;
    if (screen_active) {
        screen_active = 0;
        endwin();
    }
    delscreen(term->screen);
    tv_grid_free(term->shown);
    free(term);
}

void tv_term_size(tv_term *term, int *width, int *height)
{
    (void)term;
    getmaxyx(stdscr, *height, *width);
}

bool tv_term_utf8(const tv_term *term)
{
    return term->utf8;
}

int tv_term_fd(const tv_term *term)
{
    (void)term;
    return STDIN_FILENO;
}

/* ----------------------------------------------------------------------- */
/* Drawing and keys                                                         */
/* ----------------------------------------------------------------------- */

static void draw_cell(const tv_term *term, int x, int y, const tv_cell *cell)
{
    wchar_t text[2] = {(wchar_t)cell->ch, L'\0'};
    if (!term->utf8 && cell->ch > 0x7E)
        text[0] = L'?';
    cchar_t c;
    setcchar(&c, text, term->attrs[cell->style], term->pairs[cell->style], NULL);
    mvadd_wch(y, x, &c); /* the bottom-right cell reports ERR, yet is drawn */
}

void tv_term_present(tv_term *term, const tv_grid *grid)
{
    bool whole = term->invalid || grid->width != term->shown->width ||
                 grid->height != term->shown->height;
    if (!whole && tv_grid_equal(grid, term->shown))
        return;
    if (whole)
        clearok(stdscr, TRUE);
    for (int y = 0; y < grid->height; y++) {
        for (int x = 0; x < grid->width; x++) {
            const tv_cell *cell = tv_grid_at(grid, x, y);
            const tv_cell *was = tv_grid_at(term->shown, x, y);
            if (whole || cell->ch != was->ch || cell->style != was->style)
                draw_cell(term, x, y, cell);
        }
    }
    refresh();
    term->invalid = tv_grid_copy(term->shown, grid) != 0;
}

void tv_term_invalidate(tv_term *term)
{
    term->invalid = true;
}

int tv_term_key(tv_term *term)
{
    (void)term;
    int key = getch();
    switch (key) {
    case ERR: return TV_KEY_NONE;
    case KEY_UP: return TV_KEY_UP;
    case KEY_DOWN: return TV_KEY_DOWN;
    case KEY_LEFT: return TV_KEY_LEFT;
    case KEY_RIGHT: return TV_KEY_RIGHT;
    case KEY_PPAGE: return TV_KEY_PAGE_UP;
    case KEY_NPAGE: return TV_KEY_PAGE_DOWN;
    case KEY_HOME: return TV_KEY_HOME;
    case KEY_END: return TV_KEY_END;
    case KEY_ENTER: case '\r': case '\n': return TV_KEY_ENTER;
    case 27: return TV_KEY_ESCAPE;
    case KEY_RESIZE: return TV_KEY_RESIZE;
    default: return key >= 0 && key < 0x110000 ? key : TV_KEY_NONE;
    }
}
