/*
 * switch_floor -- the least n stackful tasks that each yield once can cost:
 * two trips onto each stack.
 *
 * spawn_gather's tasks are each started on a stack of their own, suspended
 * once and resumed once; with 100,000 of them alive together, every trip
 * onto a stack finds its page out of the CPU's caches and its address out
 * of the TLB.  This program does only that, with the runtime's own context
 * switch (runtime/switch.h) and stacks laid out as runtime/stack.c lays
 * them out (a 16 KiB guard under each 64 KiB stack): it sets up a context
 * on each of n stacks, enters each one and comes back, then enters each one
 * again and comes back.  No tasks, no ready queue, no gather.  spawn_gather's
 * time divided by this says how much the runtime adds to what its design
 * must pay.
 *
 * The stacks are mapped and touched once before the rounds, so every round
 * is warm: this is the floor of spawn_gather's warm rounds.
 *
 * usage: switch_floor [count]      (default 100000)
 * prints: time_s=... n=... ns_per_task=... clock=real
 */
#include "bench.h"
#include "switch.h"

#include <sys/mman.h>

enum { GUARD = 16 * 1024, STACK = 64 * 1024, SLOT = GUARD + STACK };

static char *stacks;
static aw__context *contexts;
static aw__context scheduler;
static long current;

/* What runs on every stack: come straight back, each time it is entered. */
static void come_back(void)
{
    for (;;)
        aw__context_switch(&contexts[current], &scheduler);
}

/*
 * Hints the CPU to fetch the frame this many stacks ahead.  A floor should be
 * the least the layout allows, so this is the distance that made this loop
 * fastest on the reference machine (1 ahead: 29 ms for 100,000 tasks, 4: 21
 * ms, 8: 19.5 ms).  The runtime's loop, which does far more per step, gains
 * nothing beyond one.
 */
enum { PREFETCH_AHEAD = 8 };

/* One trip onto each stack in turn. */
static void enter_each(long n)
{
    for (current = 0; current < n; current++) {
        if (current + PREFETCH_AHEAD < n)
            aw__context_prefetch(&contexts[current + PREFETCH_AHEAD]);
        aw__context_switch(&scheduler, &contexts[current]);
    }
}

static int start_and_resume_each(long n)
{
    for (long i = 0; i < n; i++)
        aw__context_init(&contexts[i], stacks + i * SLOT + GUARD, STACK, come_back);
    enter_each(n); /* each one starts, and "suspends" */
    enter_each(n); /* each one is resumed, and "finishes" */
    return 0;
}

int main(int argc, char **argv)
{
    long n = bench_size_arg(argc, argv, 100000);
    stacks = mmap(NULL, (size_t)n * SLOT, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    contexts = calloc((size_t)n, sizeof *contexts);
    if (stacks == MAP_FAILED || contexts == NULL) {
        perror("switch_floor");
        return 1;
    }
    start_and_resume_each(n); /* fault every stack's top page in: warm rounds only */
    bench_rounds rounds;
    bench_time_rounds(start_and_resume_each, n, &rounds);
    double best = bench_best(&rounds);
    /* No first_s: every round is warm, there is no cold figure to give. */
    printf("time_s=%.6f n=%ld ns_per_task=%.1f clock=real\n", best, n, best * 1e9 / (double)n);
    return 0;
}
