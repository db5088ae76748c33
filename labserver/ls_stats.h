/*
 * ls_stats.h -- the counters behind /stats.
 *
 * Every counted request calls ls_stats_begin once, when its headers have
 * arrived, and ls_stats_end once, when MHD reports it finished or failed;
 * the difference is how many are open right now.
 */
#ifndef LS_STATS_H
#define LS_STATS_H

#include "labserver.h"

#include <jansson.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct ls_stats {
    pthread_mutex_t lock;
    uint64_t epoch;         /* bumped by every reset */
    labserver_stats now;
} ls_stats;

void ls_stats_init(ls_stats *stats);
void ls_stats_destroy(ls_stats *stats);

/* Counts a new request on `route`; returns the epoch to hand to ls_stats_end. */
uint64_t ls_stats_begin(ls_stats *stats, labserver_route route);

/* Ends a request begun in `epoch`; `completed` when its response went out whole. */
void ls_stats_end(ls_stats *stats, uint64_t epoch, bool completed);

/* A connection accepted (+1) or closed (-1). */
void ls_stats_connection(ls_stats *stats, int change);

void ls_stats_reset(ls_stats *stats);
void ls_stats_read(ls_stats *stats, labserver_stats *out);

/* The /stats document for `s`; NULL when out of memory. */
json_t *ls_stats_json(const labserver_stats *s);

#endif /* LS_STATS_H */
