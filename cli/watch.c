/*
 * watch.c -- `awaitlab watch`: the next exercise, re-checked every time its
 * file is saved, moving on when it passes (rustlings' watch mode).
 *
 * One libuv loop does it all: a uv_fs_event on the exercise's directory
 * (editors often save by writing a new file and renaming it over the old,
 * so watching the file itself would lose track of it), a short timer that
 * lets a burst of events from one save settle before checking, and the
 * terminal in raw mode for single keys.  No polling.
 */
#include "commands.h"
#include "exercise_context.h"
#include "report.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <uv.h>

enum { SETTLE_MS = 120 };

typedef struct watch {
    ex_context ctx;
    const ex_exercise *current;
    char file[4400], dir[4400];
    uv_loop_t *loop;
    uv_fs_event_t files;
    bool files_active;
    uv_timer_t settle;
    uv_stream_t *keys;
    uv_tty_t tty;
    uv_pipe_t pipe;
    bool raw;
    uv_signal_t interrupt, terminate;
    int stopped_by;          /* the signal that ended the watch, or 0       */
    char notice[900];        /* a hint or a message above the key bar       */
    char *report;            /* the last check's feedback, as shown         */
    int hint_shown;          /* hints shown in this view                    */
} watch;

static void usage(void)
{
    printf("usage: awaitlab watch\n\n"
           "Shows the next exercise to do and checks it every time you save its file;\n"
           "when it passes, moves on to the next.  Keys:\n"
           "  h  the next hint     l  the list of exercises    c  check now\n"
           "  n  skip to the next  q  quit\n");
}

static int rows(void)
{
    struct winsize w;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &w) == 0 && w.ws_row >= 10)
        return w.ws_row;
    return 24;
}

static int columns(void)
{
    struct winsize w;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &w) == 0 && w.ws_col >= 20)
        return w.ws_col;
    return 80;
}

/* Screen rows a line of n characters takes once the terminal wraps it. */
static int rows_of(size_t n)
{
    size_t width = (size_t)columns();
    return n == 0 ? 1 : (int)((n + width - 1) / width);
}

/* Prints `text` cut to `room` lines, saying how to see the rest. */
static void print_cut(const char *text, int room, const char *name)
{
    int used = 0;
    for (const char *p = text; *p;) {
        size_t n = strcspn(p, "\n");
        int takes = rows_of(n);
        if (used + takes >= room && p[n] && p[n + 1]) {
            printf("   ... (`awaitlab check %s` shows all of it)\r\n", name);
            return;
        }
        used += takes;
        printf("%.*s\r\n", (int)n, p);
        p += n + (p[n] ? 1 : 0);
    }
}

static size_t done_count(const watch *w)
{
    size_t done = 0;
    for (size_t i = 0; i < w->ctx.catalogue.count; i++)
        done += ex_state_done(w->ctx.state, w->ctx.catalogue.items[i].name);
    return done;
}

static void header(const watch *w)
{
    printf("\033[H\033[2J");
    size_t done = done_count(w), total = w->ctx.catalogue.count;
    printf("awaitlab watch  [");
    for (size_t i = 0; i < 20; i++)
        putchar(total && i < done * 20 / total ? '#' : '-');
    printf("] %zu/%zu done\r\n", done, total);
}

static void key_bar(const watch *w)
{
    (void)w;
    /* No newline after the last row: on a full screen it would scroll the top away. */
    printf("%.*s", columns() - 1, "h hint  l list  c check  n next  q quit  -- save the file to check it again");
    fflush(stdout);
}

/* Draws the screen: header, the file to edit, the feedback cut to fit, the
 * notice (a hint, a success), the keys. */
static void redraw(watch *w)
{
    header(w);
    char relative[200], line[400];
    ex_student_path(w->current, relative, sizeof relative);
    snprintf(line, sizeof line, "edit: %s   (%s)", relative, w->current->title);
    printf("%.*s\r\n\r\n", columns() - 1, line);
    int notice_rows = w->notice[0] ? rows_of(strlen(w->notice)) : 0;
    print_cut(w->report ? w->report : "", rows() - 4 - notice_rows, w->current->name);
    if (w->notice[0])
        printf("%s\r\n", w->notice);
    key_bar(w);
}

static void show_result(watch *w, const ex_result *r)
{
    size_t size = 0;
    free(w->report);
    w->report = NULL;
    FILE *out = open_memstream(&w->report, &size);
    ex_report_text(out, w->current, r);
    fclose(out);
    redraw(w);
}

static void watch_file(watch *w);

static void check_now(watch *w)
{
    header(w);
    printf("checking %s ...\r\n", w->current->name);
    fflush(stdout);
    ex_result r;
    ex_context_check(&w->ctx, w->current, w->file, NULL, &r);
    bool passed = r.status == EX_PASSED;
    if (r.status != EX_INTERNAL)
        ex_context_record(&w->ctx, w->current, passed);
    if (passed) {
        const ex_exercise *done = w->current, *next = ex_context_next(&w->ctx);
        if (!next) {
            snprintf(w->notice, sizeof w->notice, "Every exercise passes.  Well done!  (q quits)");
            show_result(w, &r);
            ex_result_free(&r);
            return;
        }
        snprintf(w->notice, sizeof w->notice, "%s passes!  Now: %s", done->name, next->name);
        w->current = next;
        w->hint_shown = 0;
        ex_result_free(&r);
        watch_file(w);
        check_now(w);
        return;
    }
    show_result(w, &r);
    w->notice[0] = '\0'; /* shown once */
    ex_result_free(&r);
}

static void on_settled(uv_timer_t *timer)
{
    check_now(timer->data);
}

static void on_file_event(uv_fs_event_t *handle, const char *filename, int events, int status)
{
    (void)events;
    watch *w = handle->data;
    const char *base = strrchr(w->file, '/') + 1;
    if (status == 0 && filename && strcmp(filename, base) == 0)
        uv_timer_start(&w->settle, on_settled, SETTLE_MS, 0);
}

static void watch_file(watch *w)
{
    ex_context_student_file(&w->ctx, w->current, w->file, sizeof w->file);
    snprintf(w->dir, sizeof w->dir, "%s", w->file);
    *strrchr(w->dir, '/') = '\0';
    if (w->files_active)
        uv_fs_event_stop(&w->files);
    w->files_active = uv_fs_event_start(&w->files, on_file_event, w->dir, 0) == 0;
}

static void show_list(watch *w)
{
    header(w);
    int room = rows() - 4, line = 0;
    for (size_t i = 0; i < w->ctx.catalogue.count && line < room; i++, line++) {
        const ex_exercise *e = &w->ctx.catalogue.items[i];
        printf("%s %-4s %-26s %-8s %s\r\n", e == w->current ? ">" : " ",
               ex_state_done(w->ctx.state, e->name) ? "done" : "", e->name,
               ex_kind_name(e->kind), e->chapter);
    }
    key_bar(w);
}

static void show_hint(watch *w)
{
    const ex_exercise *e = w->current;
    if (e->n_hints == 0)
        return;
    int shown = ex_state_hints_shown(w->ctx.state, e->name);
    size_t i = (size_t)(shown < (int)e->n_hints ? shown : (int)e->n_hints - 1);
    snprintf(w->notice, sizeof w->notice, "hint %zu of %zu: %s", i + 1, e->n_hints, e->hints[i]);
    redraw(w);
    char error[4600];
    if (ex_state_update(&w->ctx.workspace, e->name, -1, (int)i + 1, error, sizeof error) == 0)
        json_object_set_new(json_object_get(w->ctx.state, "hints"), e->name,
                            json_integer((json_int_t)i + 1));
}

static void skip(watch *w)
{
    const ex_catalogue *c = &w->ctx.catalogue;
    size_t at = (size_t)(w->current - c->items);
    for (size_t k = 1; k <= c->count; k++) {
        const ex_exercise *e = &c->items[(at + k) % c->count];
        if (!ex_state_done(w->ctx.state, e->name) || k == c->count) {
            w->current = e;
            break;
        }
    }
    watch_file(w);
    check_now(w);
}

static void quit(watch *w)
{
    uv_stop(w->loop);
}

static void on_alloc(uv_handle_t *handle, size_t suggested, uv_buf_t *buf)
{
    (void)handle;
    static char space[64];
    (void)suggested;
    *buf = uv_buf_init(space, sizeof space);
}

static void on_key(uv_stream_t *stream, ssize_t n, const uv_buf_t *buf)
{
    watch *w = stream->data;
    if (n < 0) {
        quit(w);
        return;
    }
    for (ssize_t i = 0; i < n; i++) {
        switch (buf->base[i]) {
        case 'h': show_hint(w); break;
        case 'l': show_list(w); break;
        case 'c': case 'r': check_now(w); break;
        case 'n': skip(w); break;
        case 'q': case 4: quit(w); return;
        case 3: /* Ctrl-C, which raw mode delivers as a key: end as SIGINT would */
            w->stopped_by = SIGINT;
            quit(w);
            return;
        default: break;
        }
    }
}

static void open_keys(watch *w)
{
    if (uv_guess_handle(STDIN_FILENO) == UV_TTY && uv_tty_init(w->loop, &w->tty, 0, 1) == 0) {
        w->raw = uv_tty_set_mode(&w->tty, UV_TTY_MODE_RAW) == 0;
        w->keys = (uv_stream_t *)&w->tty;
    } else {
        uv_pipe_init(w->loop, &w->pipe, 0);
        uv_pipe_open(&w->pipe, STDIN_FILENO);
        w->keys = (uv_stream_t *)&w->pipe;
    }
    w->keys->data = w;
    uv_read_start(w->keys, on_alloc, on_key);
}

/* Ctrl-C outside raw mode (keys from a pipe), or a kill: leave as for 'q', then say why. */
static void on_signal(uv_signal_t *handle, int signal_number)
{
    watch *w = handle->data;
    w->stopped_by = signal_number;
    quit(w);
}

static void catch_signals(watch *w)
{
    uv_signal_t *handles[] = {&w->interrupt, &w->terminate};
    int numbers[] = {SIGINT, SIGTERM};
    for (int i = 0; i < 2; i++) {
        uv_signal_init(w->loop, handles[i]);
        handles[i]->data = w;
        uv_signal_start(handles[i], on_signal, numbers[i]);
    }
}

static void close_handle(uv_handle_t *handle, void *arg)
{
    (void)arg;
    if (!uv_is_closing(handle))
        uv_close(handle, NULL);
}

int cmd_watch(int argc, char **argv)
{
    if (argc > 0) {
        if (!strcmp(argv[0], "--help") || !strcmp(argv[0], "-h")) {
            usage();
            return 0;
        }
        fprintf(stderr, "awaitlab: watch takes no arguments (try --help)\n");
        return EXIT_USAGE;
    }
    watch w = {0};
    int status = ex_context_open(&w.ctx);
    if (status != 0)
        return status;
    w.current = ex_context_next(&w.ctx);
    if (!w.current) {
        printf("Every exercise passes.  `awaitlab check NAME` checks one again.\n");
        ex_context_close(&w.ctx);
        return 0;
    }
    w.loop = uv_default_loop();
    uv_fs_event_init(w.loop, &w.files);
    w.files.data = &w;
    uv_timer_init(w.loop, &w.settle);
    w.settle.data = &w;
    open_keys(&w);
    catch_signals(&w);
    watch_file(&w);
    check_now(&w);
    uv_run(w.loop, UV_RUN_DEFAULT);
    if (w.raw)
        uv_tty_reset_mode();
    uv_walk(w.loop, close_handle, NULL);
    uv_run(w.loop, UV_RUN_DEFAULT);
    uv_loop_close(w.loop);
    printf("\r\n");
    free(w.report);
    ex_context_close(&w.ctx);
    /* Interrupted, the shell's way: 128 + the signal, 130 for Ctrl-C. */
    return w.stopped_by ? 128 + w.stopped_by : 0;
}
