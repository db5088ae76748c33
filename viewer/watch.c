/*
 * watch.c -- the live viewer's loop.
 *
 *     start the program (or load the saved trace)
 *     loop:
 *         wait for a key, or for the next frame
 *         keys      -> commands: change the view, or return a request
 *         a frame:  read the pipes into the feed, move the playhead,
 *                   settle the model, draw the screen if it changed
 *
 * Everything drawn comes from the feed's model and the view state; the loop
 * only decides when to read, when to move the playhead and when to draw.
 */
#include "watch.h"

#include "keys.h"
#include "playback.h"
#include "screen.h"
#include "trace_feed.h"
#include "trace_source.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define IDLE_FRAME_MS 200      /* nothing moves: look less often           */
/*
 * Trace bytes read per frame, at most: about 4,000 lines, some 10 ms of
 * parsing, so that a burst (a virtual-time run arrives all at once) never
 * stretches a frame; 25 frames a second still read 6 MB/s.
 */
#define READ_BUDGET (256 << 10)
#define MESSAGE_MS 4000        /* how long a footer message stays          */

typedef struct watch {
    tv_term *term;
    const tv_watch_spec *spec;
    tv_feed *feed;
    tv_source source;
    bool live;                 /* a program runs, rather than a replay     */
    tv_playback playback;
    tv_view view;
    tv_lanes lanes;
    tv_grid *grid;
    const tv_model *model;     /* the feed's, as of the last frame         */
    char state[256];           /* the header's words for the program       */
    char message[640];
    int64_t message_until_ns;
    int64_t next_frame_ns;
    bool dirty;                /* the screen must be drawn again           */
    bool done;                 /* a request was made                       */
    tv_request request;
} watch;

static int64_t monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void say(watch *w, const char *text)
{
    snprintf(w->message, sizeof w->message, "%s", text);
    w->view.message = w->message;
    w->message_until_ns = monotonic_ns() + (int64_t)MESSAGE_MS * 1000000;
    w->dirty = true;
}

/* ----------------------------------------------------------------------- */
/* Starting and stopping what is watched                                    */
/* ----------------------------------------------------------------------- */

/* Loads a whole saved trace into the feed. */
static int load_replay(watch *w)
{
    int fd = open(w->spec->replay_path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t got;
    while ((got = tv_feed_read(w->feed, fd, SIZE_MAX)) > 0)
        ;
    int saved = errno;
    close(fd);
    errno = saved;
    return got == 0 ? 0 : -1;
}

/* Starts the program or loads the trace, with a new feed and playhead. */
static int start(watch *w)
{
    double speed = w->playback.speed > 0 ? w->playback.speed : w->spec->speed;
    tv_feed_free(w->feed);
    w->feed = tv_feed_new();
    if (w->feed == NULL)
        return -1;
    w->playback = tv_playback_new(speed);
    tv_lanes_free(&w->lanes); /* its memos were of the old run */
    w->view.selected = 0;
    w->view.scroll = 0;
    w->dirty = true;
    if (!w->live)
        return load_replay(w);
    return tv_source_start(&w->source, w->spec->argv);
}

/* ----------------------------------------------------------------------- */
/* Keys                                                                     */
/* ----------------------------------------------------------------------- */

/* The program's output, one line after another, if it ran to its end. */
static char *finished_output(watch *w)
{
    if (!w->live || !tv_source_finished(&w->source))
        return NULL;
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    if (out == NULL)
        return NULL;
    for (size_t i = 0; i < w->source.n_lines; i++)
        fprintf(out, "%s\n", w->source.lines[i]);
    fclose(out);
    return text;
}

static void finish(watch *w, tv_request_kind kind, int direction)
{
    w->request = (tv_request){.kind = kind, .direction = direction,
                              .speed = w->playback.speed};
    if (kind == TV_REQUEST_QUIT && w->live) {
        tv_source_pump(&w->source, w->feed, READ_BUDGET); /* the last lines */
        w->request.output = finished_output(w);
    }
    w->done = true;
}

/* The lane `steps` away from the selected one (clamped to the list). */
static void move_selection(watch *w, long steps)
{
    const tv_lanes *lanes = &w->lanes;
    if (lanes->n_lanes == 0)
        return;
    size_t at = tv_lanes_find(lanes, w->view.selected);
    long to = (at == SIZE_MAX ? 0 : (long)at) + steps;
    to = to < 0 ? 0 : to >= (long)lanes->n_lanes ? (long)lanes->n_lanes - 1 : to;
    /* A divider is no task: step past it, the way we were going (down
     * from the top, where there is nothing above). */
    if (lanes->lanes[to].divider)
        to += steps < 0 && to > 0 ? -1 : 1;
    if (to >= (long)lanes->n_lanes)
        to = (long)lanes->n_lanes - 1;
    w->view.selected = tv_lane_task(lanes, &lanes->lanes[to])->id;
}

/* The first lane of the next section, with its divider on screen. */
static void next_section(watch *w)
{
    size_t at = tv_lanes_find(&w->lanes, w->view.selected);
    size_t to = tv_lanes_next_section(&w->lanes, at == SIZE_MAX ? 0 : at);
    if (to == SIZE_MAX) {
        say(w, "This run has no sections: s jumps between the parts a chapter marks.");
        return;
    }
    w->view.selected = tv_lane_task(&w->lanes, &w->lanes.lanes[to])->id;
    w->view.scroll = to - 1;
}

/* The chapter's lesson or source, read in the caller's pager. */
static void read_file(watch *w, const char *path, const char *what)
{
    if (w->spec->show_file == NULL || path == NULL) {
        char text[160];
        snprintf(text, sizeof text, "No %s here: `awaitlab view NN` knows a chapter's.", what);
        say(w, text);
        return;
    }
    if (w->spec->show_file(w->term, path) != 0) {
        char text[600];
        snprintf(text, sizeof text, "cannot open %s: %s", path, strerror(errno));
        say(w, text);
    }
    tv_term_invalidate(w->term);
}

static long page(const watch *w)
{
    long rows = tv_screen_lane_rows(w->grid->width, w->grid->height,
                                    w->model && w->model->n_resources > 0);
    return rows > 1 ? rows - 1 : 1;
}

/* A twentieth of the span on screen: a scrub step that suits any zoom. */
static tv_time scrub_step(const watch *w)
{
    if (w->model == NULL)
        return 0;
    tv_axis axis = tv_screen_axis(w->model, &w->view, 100);
    return axis.span / 20 > 1000 ? axis.span / 20 : 1000;
}

static void toggle_pause(watch *w, int64_t now)
{
    tv_time known = tv_feed_last_time(w->feed);
    bool complete = w->model && w->model->ended;
    /* Going on from the end of a finished trace plays it again. */
    if (w->playback.paused && !w->playback.follow_clock && w->playback.started &&
        tv_playback_at_end(&w->playback, known, complete))
        tv_playback_rewind(&w->playback, now);
    tv_playback_toggle(&w->playback, now);
}

static void change_speed(watch *w, int steps)
{
    if (!tv_playback_change_speed(&w->playback, steps))
        say(w, "Real clock: 1x only. Rerun with --clock virtual for + and -.");
}

static void rerun(watch *w)
{
    if (w->live)
        tv_source_stop(&w->source);
    if (start(w) != 0) {
        char text[200];
        snprintf(text, sizeof text, "cannot run it again: %s", strerror(errno));
        say(w, text);
    }
}

/* Requests for the caller, when they mean something here. */
static void ask(watch *w, tv_request_kind kind, int direction)
{
    bool knob = kind == TV_REQUEST_KNOB || kind == TV_REQUEST_N;
    if (knob && w->spec->knobs == NULL)
        say(w, "No knobs here: `awaitlab view NN` has the chapter's knobs.");
    else if (!knob && !w->spec->chapters)
        say(w, "Not a chapter: n and p go through the chapters of `awaitlab view NN`.");
    else
        finish(w, kind, direction);
}

static void command(watch *w, tv_command cmd, int64_t now)
{
    tv_time known = tv_feed_last_time(w->feed);
    switch (cmd) {
    case TV_CMD_PAUSE: toggle_pause(w, now); break;
    case TV_CMD_FASTER: change_speed(w, +1); break;
    case TV_CMD_SLOWER: change_speed(w, -1); break;
    case TV_CMD_BACK: tv_playback_scrub(&w->playback, -scrub_step(w), known); break;
    case TV_CMD_FORWARD: tv_playback_scrub(&w->playback, scrub_step(w), known); break;
    case TV_CMD_ZOOM: w->view.zoom = (w->view.zoom + 1) % 5; break;
    case TV_CMD_UP: move_selection(w, -1); break;
    case TV_CMD_DOWN: move_selection(w, +1); break;
    case TV_CMD_PAGE_UP: move_selection(w, -page(w)); break;
    case TV_CMD_PAGE_DOWN: move_selection(w, page(w)); break;
    case TV_CMD_FIRST: move_selection(w, -(long)w->lanes.n_lanes); break;
    case TV_CMD_LAST: move_selection(w, (long)w->lanes.n_lanes); break;
    case TV_CMD_DETAILS: w->view.details = !w->view.details, w->view.help = false; break;
    case TV_CMD_CLOSE: w->view.details = w->view.help = false; break;
    case TV_CMD_RERUN: rerun(w); break;
    case TV_CMD_KNOB_DOWN: ask(w, TV_REQUEST_KNOB, -1); break;
    case TV_CMD_KNOB_UP: ask(w, TV_REQUEST_KNOB, +1); break;
    case TV_CMD_N_DOWN: ask(w, TV_REQUEST_N, -1); break;
    case TV_CMD_N_UP: ask(w, TV_REQUEST_N, +1); break;
    case TV_CMD_NEXT: ask(w, TV_REQUEST_NEXT, +1); break;
    case TV_CMD_PREVIOUS: ask(w, TV_REQUEST_PREVIOUS, -1); break;
    case TV_CMD_GROUPS: w->view.ungrouped = !w->view.ungrouped; break;
    case TV_CMD_OUTPUT: w->view.output = !w->view.output; break;
    case TV_CMD_SECTION: next_section(w); break;
    case TV_CMD_TABLE: w->view.table = !w->view.table; break;
    case TV_CMD_SORT: w->view.sort = (w->view.sort + 1) % TV_SORT_COUNT; break;
    case TV_CMD_LESSON: read_file(w, w->spec->lesson_path, "lesson"); break;
    case TV_CMD_SOURCE: read_file(w, w->spec->source_path, "source"); break;
    case TV_CMD_HELP: w->view.help = !w->view.help, w->view.details = false; break;
    case TV_CMD_QUIT: finish(w, TV_REQUEST_QUIT, 0); break;
    case TV_CMD_NONE: break;
    }
}

static void read_keys(watch *w)
{
    int key;
    while (!w->done && (key = tv_term_key(w->term)) != TV_KEY_NONE) {
        if (key == TV_KEY_RESIZE)
            tv_term_invalidate(w->term);
        else
            command(w, tv_command_for_key(key), monotonic_ns());
        w->dirty = true;
    }
}

/* ----------------------------------------------------------------------- */
/* A frame                                                                  */
/* ----------------------------------------------------------------------- */

/* Reads the pipes; starts the playhead's clock with the trace's first line. */
static void read_source(watch *w, int64_t now)
{
    if (w->live && tv_source_pump(&w->source, w->feed, READ_BUDGET))
        w->dirty = true;
    if (!w->playback.started && tv_feed_lines(w->feed) > 0) {
        const tv_model *m = tv_feed_model(w->feed, 0);
        tv_playback_start(&w->playback, now, w->live && m && m->clock == TV_CLOCK_REAL);
    }
}

/* What the header says about the program. */
static void describe_source(watch *w)
{
    bool failed = false;
    if (w->live) {
        tv_source_describe(&w->source, w->state, sizeof w->state, &failed);
    } else {
        const char *slash = strrchr(w->spec->replay_path, '/');
        snprintf(w->state, sizeof w->state, "%zu lines of %s", tv_feed_lines(w->feed),
                 slash ? slash + 1 : w->spec->replay_path);
    }
    w->view.source_state = w->state;
    w->view.source_failed = failed;
}

/* Whether the trace can grow no more. */
static bool complete(const watch *w)
{
    return !w->live || tv_feed_ended(w->feed) || tv_source_finished(&w->source);
}

static void advance(watch *w, int64_t now)
{
    tv_time known = tv_feed_last_time(w->feed);
    tv_time before = w->view.playhead;
    bool ended = complete(w);
    tv_time at = tv_playback_tick(&w->playback, now, known, ended);
    /* Following the clock, unfinished tasks have been in their state until
     * now; otherwise until the last event seen. */
    w->model = tv_feed_model(w->feed, w->playback.follow_clock ? at : 0);
    w->view.playhead = at;
    w->view.paused = w->playback.paused;
    w->view.speed = w->playback.speed;
    w->view.speed_fixed = w->playback.follow_clock;
    w->view.at_end = ended && tv_playback_at_end(&w->playback, known, ended);
    w->view.output_lines = (const char *const *)w->source.lines;
    w->view.n_output_lines = w->source.n_lines;
    if (w->view.message != NULL && now > w->message_until_ns)
        w->view.message = NULL, w->dirty = true;
    describe_source(w);
    if (at != before)
        w->dirty = true;
}

static void draw(watch *w)
{
    int width, height;
    tv_term_size(w->term, &width, &height);
    if (w->model == NULL)
        return;
    if ((width != w->grid->width || height != w->grid->height) &&
        tv_grid_resize(w->grid, width, height) != 0)
        return;
    tv_screen_render(w->grid, w->model, &w->view, &w->lanes);
    tv_term_present(w->term, w->grid);
    w->dirty = false;
}

/* Whether the playhead is moving, so frames must come often. */
static bool moving(const watch *w)
{
    return w->playback.started && !w->playback.paused && !w->view.at_end;
}

static void frame(watch *w, int64_t now)
{
    read_source(w, now);
    advance(w, now);
    if (w->dirty)
        draw(w);
    int ms = moving(w) || !complete(w) ? TV_FRAME_MS : IDLE_FRAME_MS;
    w->next_frame_ns = now + (int64_t)ms * 1000000;
}

/* Waits for a key or the next frame, whichever comes first. */
static void wait_for_something(const watch *w)
{
    int64_t left_ms = (w->next_frame_ns - monotonic_ns()) / 1000000;
    struct pollfd keys = {.fd = tv_term_fd(w->term), .events = POLLIN};
    if (left_ms > 0)
        poll(&keys, 1, (int)left_ms); /* a signal ends it early: good */
}

/* ----------------------------------------------------------------------- */
/* The loop                                                                 */
/* ----------------------------------------------------------------------- */

static void set_up_view(watch *w)
{
    w->view = (tv_view){.title = w->spec->title, .knobs = w->spec->knobs,
                        .chapters = w->spec->chapters, .replay = !w->live,
                        .lesson = w->spec->lesson_path != NULL,
                        .utf8 = tv_term_utf8(w->term), .speed = 1};
    if (w->spec->message != NULL)
        say(w, w->spec->message);
}

static void clean_up(watch *w)
{
    if (w->live)
        tv_source_stop(&w->source);
    tv_feed_free(w->feed);
    tv_lanes_free(&w->lanes);
    tv_grid_free(w->grid);
}

int tv_watch(tv_term *term, const tv_watch_spec *spec, tv_request *request)
{
    watch w = {.term = term, .spec = spec, .live = spec->argv != NULL,
               .source = {.trace_fd = -1, .output_fd = -1}};
    w.grid = tv_grid_new(1, 1);
    set_up_view(&w);
    if (w.grid == NULL || start(&w) != 0) {
        int saved = errno;
        clean_up(&w);
        errno = saved;
        return -1;
    }
    tv_term_invalidate(term);
    while (!w.done) {
        int signal_number = tv_term_interrupted();
        if (signal_number != 0) {
            finish(&w, TV_REQUEST_INTERRUPTED, signal_number);
            break;
        }
        wait_for_something(&w);
        read_keys(&w);
        int64_t now = monotonic_ns();
        if (now >= w.next_frame_ns || w.dirty)
            frame(&w, now);
    }
    *request = w.request;
    clean_up(&w);
    return 0;
}
