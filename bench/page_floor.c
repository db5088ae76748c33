/*
 * page_floor -- the least a million stackful tasks can cost: one fresh page
 * each.
 *
 * Every task touches at least the top page of its own stack, and the kernel
 * must find, zero and map that page.  This program does only that, with the
 * stacks laid out the way runtime/stack.c lays them out (slabs of 256 slots,
 * each a 16 KiB guard under a 64 KiB stack, mapped MAP_NORESERVE), and
 * touches the top page of every slot: no tasks, no timers, no guards.  The
 * time of million_sleepers beyond its one-second sleep, divided by this, says
 * how close the runtime is to what its design allows.
 *
 * Each round maps fresh slabs, touches them and unmaps them, like one
 * aw_run(); time_s is the best round, first_s the first.
 *
 * usage: page_floor [count]      (default 1000000)
 * prints: time_s=... first_s=... n=... ns_per_page=... clock=real
 */
#include "bench.h"

#include <sys/mman.h>
#include <unistd.h>

/* The layout of runtime/stack.c, with its default stack size. */
enum { SLOTS_PER_SLAB = 256, GUARD = 16 * 1024, STACK = 64 * 1024, SLOT = GUARD + STACK };

static long count_of_slabs(long n) { return (n + SLOTS_PER_SLAB - 1) / SLOTS_PER_SLAB; }

/* Maps the slabs for n stacks and touches the top page of each stack. */
static int touch_tops(long n)
{
    long slabs = count_of_slabs(n);
    char **memory = calloc((size_t)slabs, sizeof *memory);
    if (memory == NULL)
        return -1;
    long page = sysconf(_SC_PAGESIZE);
    int rc = 0;
    for (long s = 0; s < slabs && rc == 0; s++) {
        memory[s] = mmap(NULL, (size_t)SLOT * SLOTS_PER_SLAB, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (memory[s] == MAP_FAILED) {
            memory[s] = NULL;
            rc = -1;
            break;
        }
        long in_this_slab = n - s * SLOTS_PER_SLAB < SLOTS_PER_SLAB ? n - s * SLOTS_PER_SLAB
                                                                    : SLOTS_PER_SLAB;
        for (long i = 0; i < in_this_slab; i++) {
            volatile char *top_page = memory[s] + (i + 1) * SLOT - page;
            top_page[page - 64] = 1; /* where a new task's first frame goes */
        }
    }
    for (long s = 0; s < slabs; s++)
        if (memory[s])
            munmap(memory[s], (size_t)SLOT * SLOTS_PER_SLAB);
    free(memory);
    return rc;
}

int main(int argc, char **argv)
{
    long n = bench_size_arg(argc, argv, 1000000);
    bench_rounds rounds;
    if (bench_time_rounds(touch_tops, n, &rounds) != 0) {
        perror("page_floor: mmap");
        return 1;
    }
    double best = bench_best(&rounds);
    printf("time_s=%.6f first_s=%.6f n=%ld ns_per_page=%.1f clock=real\n", best,
           rounds.seconds[0], n, best * 1e9 / (double)n);
    return 0;
}
