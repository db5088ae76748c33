/*
 * watch.h -- the live viewer's loop: run (or replay), draw, answer keys.
 *
 * tv_watch() shows one run until the person watching asks for something it
 * cannot do by itself: to quit, or to change a chapter's knob, or to go to
 * another chapter.  It knows nothing of chapters -- only a program to run
 * and its trace, or a saved trace -- so it hands such requests back, and
 * the caller (the `awaitlab view` command, the gallery) decides what to run
 * next, on the same terminal.  Pausing, speed, scrubbing, zoom, selection,
 * details, help and running the same program again it does itself.
 *
 * The loop wakes for a key at once, and otherwise once a frame: then it
 * reads what the program has written, moves the playhead and, if anything
 * on screen changed, draws.  Reading once a frame bounds the work however
 * fast events come; the pipe is big enough to hold a frame's worth.
 */
#ifndef TV_WATCH_H
#define TV_WATCH_H

#include <stdbool.h>

#include "term.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TV_FRAME_MS 30 /* 33 frames a second while something moves */

typedef struct tv_watch_spec {
    const char *title;       /* the header's name for what is watched      */
    char *const *argv;       /* the program to run and watch, or NULL ...  */
    const char *replay_path; /* ... a saved trace to replay                */
    const char *knobs;       /* the header's knobs; NULL: no knob keys     */
    bool chapters;           /* n and p go to other chapters               */
    const char *message;     /* a first line for the footer, or NULL       */
    double speed;            /* playback speed to start with               */
    /* l and L: the chapter's lesson and C source, shown by show_file (which
     * returns 0, or -1 with errno set); NULL when there are none. */
    const char *lesson_path, *source_path;
    int (*show_file)(tv_term *term, const char *path);
} tv_watch_spec;

typedef enum tv_request_kind {
    TV_REQUEST_QUIT,        /* q                                           */
    TV_REQUEST_INTERRUPTED, /* a signal (Ctrl-C, SIGTERM, ...)             */
    TV_REQUEST_KNOB,        /* [ or ]: the main knob, `direction` -1 or +1 */
    TV_REQUEST_N,           /* { or }: n                                   */
    TV_REQUEST_NEXT,        /* n: the next chapter                         */
    TV_REQUEST_PREVIOUS     /* p                                           */
} tv_request_kind;

typedef struct tv_request {
    tv_request_kind kind;
    int direction;
    double speed;           /* the speed when it was asked: keep it        */
    /* On quit: what the program printed (its summary), once it had run to
     * its end, for the caller to print when the screen is given back; NULL
     * if it had not finished.  The caller frees it. */
    char *output;
} tv_request;

/*
 * Watches what `spec` names on `term` until a request comes, and returns 0
 * with it in *request.  Returns -1 with errno set when the program cannot be
 * started or the trace cannot be read; the terminal is untouched then.
 */
int tv_watch(tv_term *term, const tv_watch_spec *spec, tv_request *request);

#ifdef __cplusplus
}
#endif

#endif /* TV_WATCH_H */
