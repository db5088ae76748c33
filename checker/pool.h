/*
 * pool.h -- many checks at once, on a few threads.
 *
 * A check spends its time waiting for a compiler and a child process, so
 * running several side by side uses the machine's cores.  Each job is one
 * call of work(context, index); jobs are taken in index order, so the
 * results -- written by index -- do not depend on how many threads ran.
 */
#ifndef AWAITLAB_POOL_H
#define AWAITLAB_POOL_H

#include <stddef.h>

/* Runs work(context, i, slot) for every i < count on `threads` threads (0:
 * the number of cores); `slot` (0 .. threads-1) says which thread, so that
 * jobs running at the same time can be told apart (grading gives each slot
 * its own user id).  done(context, i) runs after each, under a lock, in the
 * order jobs finish (for progress lines).  A job is not started once
 * *stop is true (stop may be NULL). */
void ex_pool_run(size_t count, unsigned threads,
                 void (*work)(void *context, size_t index, unsigned slot),
                 void (*done)(void *context, size_t index), void *context,
                 volatile int *stop);

/* The number of cores. */
unsigned ex_pool_cores(void);

#endif /* AWAITLAB_POOL_H */
