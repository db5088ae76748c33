/*
 * flaky.c -- the reproducible coin behind /flaky.
 *
 * A request fails when a hash of (seed + its index) falls below the
 * failure probability.  A hash rather than a shared random generator: the
 * outcome of request i depends on nothing but the seed and i, so a test
 * or a student can predict it (labserver_flaky_fails) and two seeds never
 * disturb each other.  SplitMix64 is small, well known and has ports in
 * every language, so a Python client can compute the same sequence.
 */
#include "labserver.h"
#include "ls_flaky.h"

#include <string.h>

uint64_t ls_splitmix64(uint64_t x)
{
    uint64_t z = x + 0x9e3779b97f4a7c15u;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

bool labserver_flaky_fails(uint64_t seed, uint64_t index, double p)
{
    /* The top 53 bits make a double in [0, 1) with no rounding. */
    double u = (double)(ls_splitmix64(seed + index) >> 11) * 0x1.0p-53;
    return u < p;
}

void ls_flaky_init(ls_flaky *f)
{
    memset(f, 0, sizeof *f);
    pthread_mutex_init(&f->lock, NULL);
}

void ls_flaky_destroy(ls_flaky *f)
{
    pthread_mutex_destroy(&f->lock);
}

/*
 * The slot following `seed`, taking a free or the oldest one if none does.
 * A linear search: 64 slots is nothing next to an HTTP request; a hash
 * table would be the answer if this ever had to follow thousands.
 */
static struct ls_flaky_slot *ls_flaky_slot(ls_flaky *f, uint64_t seed)
{
    for (unsigned i = 0; i < f->used; i++)
        if (f->slots[i].seed == seed)
            return &f->slots[i];
    struct ls_flaky_slot *slot;
    if (f->used < LS_FLAKY_SEEDS) {
        slot = &f->slots[f->used++];
    } else {
        slot = &f->slots[f->oldest];
        f->oldest = (f->oldest + 1) % LS_FLAKY_SEEDS;
    }
    slot->seed = seed;
    slot->next_index = 0;
    return slot;
}

uint64_t ls_flaky_next_index(ls_flaky *f, uint64_t seed)
{
    pthread_mutex_lock(&f->lock);
    uint64_t index = ls_flaky_slot(f, seed)->next_index++;
    pthread_mutex_unlock(&f->lock);
    return index;
}

void ls_flaky_reset(ls_flaky *f)
{
    pthread_mutex_lock(&f->lock);
    f->used = 0;
    f->oldest = 0;
    pthread_mutex_unlock(&f->lock);
}
