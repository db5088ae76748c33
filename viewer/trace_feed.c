/*
 * trace_feed.c -- a trace, fed in lines or in arbitrary chunks, made into a
 * model that can be drawn at any moment.
 *
 * Reading is split in two.  This file cuts the input into lines -- keeping
 * the half line a pipe may deliver at the end of a read -- counts them, and
 * stops at the line after "end".  trace_events.c applies each line.
 *
 * A model being fed is never quite finished: the last interval of a task
 * that is still running has no end yet, a section may not be closed, and a
 * new task has no place in the tree order.  Settling (settle() below) fills
 * those in for the present moment; it is cheap -- one pass over the tasks,
 * and the tree order only when tasks were spawned -- so the live viewer can
 * settle before every frame, and a later line simply moves the ends on.
 */
#include "trace_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

tv_feed *tv_feed_new(void)
{
    tv_feed *feed = calloc(1, sizeof *feed);
    if (feed == NULL)
        return NULL;
    feed->model = calloc(1, sizeof *feed->model);
    if (feed->model == NULL) {
        free(feed);
        return NULL;
    }
    return feed;
}

void tv_feed_free(tv_feed *feed)
{
    if (feed == NULL)
        return;
    tv_model_free(feed->model);
    free(feed->partial);
    free(feed);
}

/* ----------------------------------------------------------------------- */
/* Lines                                                                    */
/* ----------------------------------------------------------------------- */

static int out_of_memory(void)
{
    errno = ENOMEM;
    return -1;
}

int tv_feed_line(tv_feed *feed, const char *text, size_t length)
{
    if (feed->out_of_memory)
        return out_of_memory();
    if (feed->stopped)
        return 0;
    feed->line++;
    feed->model->n_lines = feed->line;
    if (!feed->saw_end) {
        tv__apply_line(feed, text, length);
    } else if (!tv__is_blank(text, length)) {
        tv__diagnose(feed, "the run ended before this line; the rest is ignored");
        feed->stopped = true;
    }
    return feed->out_of_memory ? out_of_memory() : 0;
}

/* Keeps the unfinished end of a chunk until the rest of its line arrives. */
static int keep_partial(tv_feed *feed, const char *bytes, size_t length)
{
    size_t needed = feed->partial_length + length;
    if (needed > feed->partial_capacity) {
        size_t bigger = feed->partial_capacity ? feed->partial_capacity : 256;
        while (bigger < needed)
            bigger *= 2;
        char *moved = realloc(feed->partial, bigger);
        if (moved == NULL) {
            feed->out_of_memory = true;
            return out_of_memory();
        }
        feed->partial = moved;
        feed->partial_capacity = bigger;
    }
    memcpy(feed->partial + feed->partial_length, bytes, length);
    feed->partial_length = needed;
    return 0;
}

int tv_feed_bytes(tv_feed *feed, const char *bytes, size_t length)
{
    while (length > 0) {
        const char *newline = memchr(bytes, '\n', length);
        if (newline == NULL)
            return keep_partial(feed, bytes, length);
        size_t piece = (size_t)(newline - bytes);
        int status;
        if (feed->partial_length > 0) { /* the rest of a line begun earlier */
            status = keep_partial(feed, bytes, piece);
            if (status == 0)
                status = tv_feed_line(feed, feed->partial, feed->partial_length);
            feed->partial_length = 0;
        } else {
            status = tv_feed_line(feed, bytes, piece);
        }
        if (status != 0)
            return status;
        bytes = newline + 1;
        length -= piece + 1;
    }
    return 0;
}

/* Applies an unfinished last line: a program that died mid-write leaves one. */
static int end_of_input(tv_feed *feed)
{
    if (feed->partial_length == 0)
        return 0;
    int status = tv_feed_line(feed, feed->partial, feed->partial_length);
    feed->partial_length = 0;
    return status;
}

ssize_t tv_feed_read(tv_feed *feed, int fd, size_t budget)
{
    char chunk[1 << 16];
    size_t total = 0;
    while (total < budget) {
        ssize_t got = read(fd, chunk, sizeof chunk);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return total > 0 ? (ssize_t)total : -1;
        if (got == 0) {
            if (total > 0) /* say so on the next call, with nothing read */
                return (ssize_t)total;
            return end_of_input(feed) == 0 ? 0 : -1;
        }
        if (tv_feed_bytes(feed, chunk, (size_t)got) != 0)
            return -1;
        total += (size_t)got;
    }
    return (ssize_t)total;
}

bool tv_feed_ended(const tv_feed *feed)
{
    return feed->saw_end;
}

size_t tv_feed_lines(const tv_feed *feed)
{
    return feed->line;
}

tv_time tv_feed_last_time(const tv_feed *feed)
{
    return feed->last_t;
}

/* ----------------------------------------------------------------------- */
/* Settling                                                                 */
/* ----------------------------------------------------------------------- */

/*
 * Puts the tasks in tree order (see tv_model.tree_order).  The tree is walked
 * without recursion -- down to the first child, else across to the next
 * sibling, else back up -- so a deep chain of tasks cannot overflow the C
 * stack.  Returns false when out of memory, leaving the old order in place.
 */
static bool build_tree_order(tv_model *m)
{
    size_t n = m->n_tasks, none = SIZE_MAX;
    if (n == 0)
        return true;
    size_t *order = calloc(n, sizeof *order);
    size_t *parent = calloc(n, sizeof *parent);
    size_t *first_child = calloc(n, sizeof *first_child);
    size_t *next_sibling = calloc(n, sizeof *next_sibling);
    if (!order || !parent || !first_child || !next_sibling)
        goto err;

    for (size_t i = 0; i < n; i++) {
        const tv_task *p = tv_model_task(m, m->tasks[i].parent);
        parent[i] = p != NULL ? (size_t)(p - m->tasks) : none;
        first_child[i] = next_sibling[i] = none;
    }
    for (size_t i = n; i-- > 0;) { /* backwards, so children end up by id */
        if (parent[i] != none) {
            next_sibling[i] = first_child[parent[i]];
            first_child[parent[i]] = i;
        }
    }
    size_t count = 0;
    for (size_t root = 0; root < n; root++) {
        if (parent[root] != none)
            continue;
        size_t node = root;
        for (;;) {
            order[count++] = node;
            if (first_child[node] != none) {
                node = first_child[node];
                continue;
            }
            while (node != root && next_sibling[node] == none)
                node = parent[node];
            if (node == root)
                break;
            node = next_sibling[node];
        }
    }
    free(m->tree_order);
    m->tree_order = order;
    free(parent);
    free(first_child);
    free(next_sibling);
    return true;

err:
    free(order);
    free(parent);
    free(first_child);
    free(next_sibling);
    return false;
}

/*
 * Stretches what is still open to `now` (or to the last time in the trace,
 * if that is later), and brings the tree order up to date.
 */
static bool settle(tv_feed *feed, tv_time now)
{
    tv_model *m = feed->model;
    m->last_event = feed->last_t;
    if (!m->ended)
        m->end = now > feed->last_t ? now : feed->last_t;
    for (size_t i = 0; i < m->n_tasks; i++) {
        tv_task *task = &m->tasks[i];
        if (task->outcome.kind == TV_OUTCOME_NONE)
            task->intervals[task->n_intervals - 1].t1 = m->end;
    }
    for (size_t i = 0; i < m->n_sections; i++)
        if (!m->sections[i].closed)
            m->sections[i].t1 = m->end;
    if (feed->tree_stale) {
        if (!build_tree_order(m))
            return false;
        feed->tree_stale = false;
    }
    return true;
}

const tv_model *tv_feed_model(tv_feed *feed, tv_time now)
{
    if (feed->out_of_memory || !settle(feed, now)) {
        feed->out_of_memory = true;
        return NULL;
    }
    return feed->model;
}

tv_model *tv_feed_finish(tv_feed *feed)
{
    tv_model *model = NULL;
    if (end_of_input(feed) == 0 && tv_feed_model(feed, 0) != NULL) {
        model = feed->model;
        feed->model = NULL;
    }
    tv_feed_free(feed);
    if (model == NULL)
        errno = ENOMEM;
    return model;
}

/* ----------------------------------------------------------------------- */
/* Loading a whole trace                                                    */
/* ----------------------------------------------------------------------- */

tv_model *tv_model_load(FILE *in)
{
    tv_feed *feed = tv_feed_new();
    if (feed == NULL)
        return NULL;

    char *text = NULL;
    size_t capacity = 0;
    ssize_t length;
    errno = 0;
    while (!feed->stopped && (length = getline(&text, &capacity, in)) >= 0)
        if (tv_feed_line(feed, text, (size_t)length) != 0)
            break;
    int read_error = ferror(in) ? (errno ? errno : EIO) : 0;
    free(text);

    if (read_error != 0) {
        tv_feed_free(feed);
        errno = read_error;
        return NULL;
    }
    return tv_feed_finish(feed);
}

tv_model *tv_model_load_path(const char *path)
{
    FILE *in = fopen(path, "r");
    if (in == NULL)
        return NULL;
    tv_model *model = tv_model_load(in);
    int saved = errno;
    fclose(in);
    errno = saved;
    return model;
}

tv_model *tv_model_load_string(const char *text)
{
    tv_feed *feed = tv_feed_new();
    if (feed == NULL)
        return NULL;
    tv_feed_bytes(feed, text, strlen(text));
    return tv_feed_finish(feed);
}
