/*
 * stats.c -- the counters behind /stats.
 *
 * One mutex guards them all.  Every request takes it twice, which is
 * nothing next to the cost of an HTTP request; atomics would save little
 * and make "open" and "peak_open" harder to keep consistent.
 *
 * "open" is a gauge, not a count, so a reset leaves it alone: zeroing it
 * while requests are in flight would make it go negative when they end.
 * Instead every request remembers the epoch it began in, and only those of
 * the current epoch are counted as completed or aborted.
 */
#include "ls_stats.h"

#include <string.h>

void ls_stats_init(ls_stats *st)
{
    memset(st, 0, sizeof *st);
    pthread_mutex_init(&st->lock, NULL);
}

void ls_stats_destroy(ls_stats *st)
{
    pthread_mutex_destroy(&st->lock);
}

uint64_t ls_stats_begin(ls_stats *st, labserver_route route)
{
    pthread_mutex_lock(&st->lock);
    labserver_stats *s = &st->now;
    s->requests++;
    s->by_route[route]++;
    if (++s->open > s->peak_open)
        s->peak_open = s->open;
    uint64_t epoch = st->epoch;
    pthread_mutex_unlock(&st->lock);
    return epoch;
}

void ls_stats_end(ls_stats *st, uint64_t epoch, bool completed)
{
    pthread_mutex_lock(&st->lock);
    st->now.open--;
    if (epoch == st->epoch) {
        if (completed)
            st->now.completed++;
        else
            st->now.aborted++;
    }
    pthread_mutex_unlock(&st->lock);
}

void ls_stats_connection(ls_stats *st, int change)
{
    pthread_mutex_lock(&st->lock);
    st->now.connections += (uint64_t)(int64_t)change;
    pthread_mutex_unlock(&st->lock);
}

void ls_stats_reset(ls_stats *st)
{
    pthread_mutex_lock(&st->lock);
    uint64_t open = st->now.open, connections = st->now.connections;
    memset(&st->now, 0, sizeof st->now);
    st->now.open = open;
    st->now.connections = connections;
    st->now.peak_open = open;
    st->epoch++;
    pthread_mutex_unlock(&st->lock);
}

void ls_stats_read(ls_stats *st, labserver_stats *out)
{
    pthread_mutex_lock(&st->lock);
    *out = st->now;
    pthread_mutex_unlock(&st->lock);
}

json_t *ls_stats_json(const labserver_stats *s)
{
    json_t *routes = json_object();
    for (int r = 0; r < LABSERVER_N_ROUTES; r++) {
        if (r == LABSERVER_STATS)
            continue;   /* never counted; listing it as 0 would only puzzle */
        json_object_set_new(routes, labserver_route_describe((labserver_route)r)->name,
                            json_integer((json_int_t)s->by_route[r]));
    }
    return json_pack("{sIsIsIsIsIso}", "requests", (json_int_t)s->requests,
                     "completed", (json_int_t)s->completed,
                     "aborted", (json_int_t)s->aborted,
                     "open", (json_int_t)s->open,
                     "peak_open", (json_int_t)s->peak_open,
                     "routes", routes);
}
