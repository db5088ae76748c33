/*
 * pool.c -- a fixed set of threads taking numbered jobs from a counter.
 */
#include "pool.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

typedef struct pool {
    size_t next, count;
    unsigned next_slot;
    volatile int *stop;
    void (*work)(void *, size_t, unsigned);
    void (*done)(void *, size_t);
    void *context;
    pthread_mutex_t lock;
} pool;

static void *worker(void *arg)
{
    pool *p = arg;
    pthread_mutex_lock(&p->lock);
    unsigned slot = p->next_slot++;
    pthread_mutex_unlock(&p->lock);
    for (;;) {
        pthread_mutex_lock(&p->lock);
        bool stopped = p->stop && *p->stop;
        size_t i = p->next < p->count && !stopped ? p->next++ : p->count;
        pthread_mutex_unlock(&p->lock);
        if (i == p->count)
            return NULL;
        p->work(p->context, i, slot);
        if (p->done) {
            pthread_mutex_lock(&p->lock);
            p->done(p->context, i);
            pthread_mutex_unlock(&p->lock);
        }
    }
}

unsigned ex_pool_cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1;
}

void ex_pool_run(size_t count, unsigned threads, void (*work)(void *, size_t, unsigned),
                 void (*done)(void *, size_t), void *context, volatile int *stop)
{
    pool p = {.count = count, .work = work, .done = done, .context = context, .stop = stop};
    pthread_mutex_init(&p.lock, NULL);
    if (threads == 0)
        threads = ex_pool_cores();
    if (threads > count)
        threads = count ? (unsigned)count : 1;
    pthread_t *ids = calloc(threads, sizeof *ids);
    unsigned started = 0;
    for (unsigned t = 0; ids && t < threads; t++)
        if (pthread_create(&ids[t], NULL, worker, &p) == 0)
            started++;
    if (started == 0)
        worker(&p); /* no thread to be had: do it all here */
    for (unsigned t = 0; t < started; t++)
        pthread_join(ids[t], NULL);
    free(ids);
    pthread_mutex_destroy(&p.lock);
}
