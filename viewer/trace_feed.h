/*
 * trace_feed.h -- building a model a line at a time, while the trace is
 * still being written.
 *
 * The live viewer reads a running program's trace through a pipe.  It
 * cannot wait for the end of the file, and it must never block: between two
 * frames it takes whatever bytes have arrived, feeds them here, and draws.
 * A feed keeps the half line at the end of a read until the rest arrives,
 * applies every whole line to its model at once, and on request "settles"
 * the model: everything still open (the current interval of each running
 * task, sections not yet closed) is stretched to the present, and the tree
 * order is brought up to date, so that any renderer can draw it.
 *
 *     tv_feed *feed = tv_feed_new();
 *     while (...) {
 *         tv_feed_read(feed, fd, 1 << 16);          // whatever has arrived
 *         const tv_model *m = tv_feed_model(feed, now);
 *         draw(m);
 *     }
 *     tv_model *model = tv_feed_finish(feed);       // the file has ended
 *
 * tv_model_load() is this loop run over a whole file.  So the model the
 * viewer draws live is, line for line, the one a replay of the saved trace
 * draws.
 *
 * The model returned by tv_feed_model() belongs to the feed and changes with
 * every line fed: pointers into it (tasks, intervals) are good until the
 * next call that feeds the feed.
 */
#ifndef TV_TRACE_FEED_H
#define TV_TRACE_FEED_H

#include <stddef.h>
#include <sys/types.h>

#include "trace_model.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tv_feed tv_feed;

/* A feed with an empty model; NULL when out of memory. */
tv_feed *tv_feed_new(void);

/* Frees the feed and its model.  NULL is allowed. */
void tv_feed_free(tv_feed *feed);

/*
 * Applies one whole line (a trailing newline is allowed, not needed).
 * Problems end up in the model's diagnostics, as when loading.  Returns 0,
 * or -1 with errno ENOMEM; after running out of memory the feed ignores
 * everything it is given.
 */
int tv_feed_line(tv_feed *feed, const char *text, size_t length);

/*
 * Applies every whole line in `bytes` and keeps an unfinished last line for
 * the next call.  Returns 0, or -1 with errno ENOMEM.
 */
int tv_feed_bytes(tv_feed *feed, const char *bytes, size_t length);

/*
 * Reads from `fd` what is there, up to about `budget` bytes, and feeds it.
 * For a pipe set to O_NONBLOCK this never waits.  Returns the number of
 * bytes read (> 0), 0 at the end of the file -- the unfinished last line, if
 * any, is then applied as it is -- or -1 with errno set: EAGAIN when nothing
 * has arrived, ENOMEM, or the error of read().
 */
ssize_t tv_feed_read(tv_feed *feed, int fd, size_t budget);

/*
 * The model so far, settled at time `now`: a task that has not finished is
 * taken to be in its last known state until max(now, the last time in the
 * trace), and so is model->end.  Pass 0 (or any time already passed) to
 * settle at the last time in the trace.  Once the trace has its "end" line,
 * `now` no longer matters.  NULL only after running out of memory.
 */
const tv_model *tv_feed_model(tv_feed *feed, tv_time now);

/* Whether the trace has ended: its "end" line was read. */
bool tv_feed_ended(const tv_feed *feed);

/* Lines fed so far. */
size_t tv_feed_lines(const tv_feed *feed);

/* The latest time the trace has reached so far (0 before any). */
tv_time tv_feed_last_time(const tv_feed *feed);

/*
 * Ends the input: applies an unfinished last line, settles the model at the
 * last time in the trace, frees the feed, and hands the model over (the
 * caller frees it with tv_model_free).  NULL with errno ENOMEM when out of
 * memory (the feed is freed all the same).
 */
tv_model *tv_feed_finish(tv_feed *feed);

#ifdef __cplusplus
}
#endif

#endif /* TV_TRACE_FEED_H */
