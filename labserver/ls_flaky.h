/*
 * ls_flaky.h -- the reproducible coin behind /flaky.
 *
 * Each seed counts its own requests, so two clients using different seeds
 * each see their own sequence however their requests interleave.
 */
#ifndef LS_FLAKY_H
#define LS_FLAKY_H

#include <pthread.h>
#include <stdint.h>

/*
 * How many seeds are followed at once between resets.  A further seed
 * takes over the oldest slot, whose sequence then restarts from 0.
 */
#define LS_FLAKY_SEEDS 64

typedef struct ls_flaky {
    pthread_mutex_t lock;
    struct ls_flaky_slot {
        uint64_t seed;
        uint64_t next_index;
    } slots[LS_FLAKY_SEEDS];
    unsigned used;          /* slots in use, up to LS_FLAKY_SEEDS    */
    unsigned oldest;        /* the slot a new seed takes when full  */
} ls_flaky;

void ls_flaky_init(ls_flaky *flaky);
void ls_flaky_destroy(ls_flaky *flaky);

/* The index of this request among those with `seed`: 0, 1, 2, ... */
uint64_t ls_flaky_next_index(ls_flaky *flaky, uint64_t seed);

/* Forgets every seed, so every sequence starts again from index 0. */
void ls_flaky_reset(ls_flaky *flaky);

/* Steele, Lea and Flood's SplitMix64 output for state x (see labserver.h). */
uint64_t ls_splitmix64(uint64_t x);

#endif /* LS_FLAKY_H */
