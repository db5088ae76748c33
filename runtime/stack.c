/*
 * stack.c -- task stacks: mapped in slabs, fenced by guard pages, pooled.
 *
 * Every task runs on its own stack.  Three things make that work at scale:
 *
 * 1. Slabs.  Stacks are carved out of large mmap'd regions (STACKS_PER_SLAB
 *    at a time) instead of one mapping each.  The kernel limits the number of
 *    separate mappings a process may have (vm.max_map_count, 65,530 on most
 *    machines); one mapping per stack, split again by its guard page, would
 *    stop a program near 32,000 live tasks.
 *
 * 2. Guard pages.  Below each stack sits GUARD_SIZE bytes that fault on any
 *    access, so running off the end of a stack stops the program at once
 *    instead of silently overwriting the neighbour.  On Linux 6.13 and later,
 *    madvise(MADV_GUARD_INSTALL) turns pages into guards without splitting
 *    the mapping, so a million stacks cost a few thousand mappings.  On older
 *    kernels (and under valgrind, which does not know that call) we fall back
 *    to mprotect(PROT_NONE), which does split the mapping: then the pool
 *    counts mappings and refuses new stacks, with a clear message, before the
 *    kernel limit is reached.  The code is compiled with
 *    -fstack-clash-protection so that a function with a frame larger than a
 *    page touches every page on the way down and cannot jump over a guard.
 *
 *    When a task does hit its guard, the SIGSEGV handler below (running on
 *    an alternate signal stack, since the task's own stack is exhausted)
 *    names the task and its stack size before the program dies.
 *
 * 3. Lazy memory.  A slab is mapped with MAP_NORESERVE: the kernel gives a
 *    page physical memory only when it is first touched.  A task that
 *    sleeps after a few calls touches one or two pages of its 64 KiB stack,
 *    so a million suspended tasks fit in a few GiB.  Finished tasks return
 *    their stack to a free list; the next task reuses it.  When aw_run()
 *    ends, its slabs stay mapped for the next aw_run(), their pages marked
 *    MADV_FREE: the kernel takes them back only if it runs short of memory,
 *    and otherwise the next run's tasks start on pages already in memory
 *    instead of faulting in fresh ones.
 *
 * 4. Work in batches.  A slab's 256 guards are installed with one system
 *    call, and the top page of the next STACKS_PER_CHUNK stacks -- the page
 *    every new task touches first -- is faulted in with one more
 *    (process_madvise() takes a list of ranges; recent kernels let a process
 *    give itself any advice that way, naming itself PIDFD_SELF).  A
 *    page fault taken one at a time costs a trap into the kernel per page;
 *    on a virtual machine that trap is several microseconds, and a program
 *    that starts 100,000 tasks pays it 100,000 times on its first round.
 *    In a batch the kernel does the same work without the traps.  Where the
 *    call is missing (older kernels, valgrind) a stack is set up one at a
 *    time as before.
 *
 * 5. Read ahead.  Zeroing a million fresh pages is most of a big first run,
 *    and the loop has one thread; the machine usually has more cores.  So
 *    once a run has used READ_AHEAD_AFTER slabs -- a program that starts
 *    many tasks, not one that starts ten -- the pool maps the next
 *    READ_AHEAD_SLABS slabs before they are needed and has the prefault
 *    thread (prefault.c) fault in their stack tops while the loop runs
 *    tasks.  A file system reads ahead of a sequential reader the same way.
 *    The loop and the thread share the work chunk by chunk: whoever claims
 *    a chunk (an atomic bit) faults it in, so the loop never waits for the
 *    thread and no chunk is done twice.
 */
#include "internal.h"

#include <errno.h>
#include <stdatomic.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#ifdef AW_ASAN
#include <sanitizer/asan_interface.h>
#endif

#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102 /* Linux 6.13 */
#endif
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23 /* Linux 5.14 */
#endif
#ifndef PIDFD_SELF_THREAD
#define PIDFD_SELF_THREAD -10000 /* "this process" for process_madvise()  */
#endif
#ifndef RUNNING_ON_VALGRIND
#define RUNNING_ON_VALGRIND 0
#endif

enum {
    STACKS_PER_SLAB = 256,
    STACKS_PER_CHUNK = 32,    /* stack tops faulted in at once: 128 KiB   */
    CHUNKS_PER_SLAB = STACKS_PER_SLAB / STACKS_PER_CHUNK,
    READ_AHEAD_AFTER = 2,     /* slabs a run uses before it reads ahead   */
    READ_AHEAD_SLABS = 4,     /* slabs mapped and faulted in ahead        */
    REGION_SLABS_MAX = 64,    /* slabs of address space mapped at once    */
    GUARD_SIZE = 16 * 1024,
    MAP_COUNT_HEADROOM = 4096 /* mappings left for libc, libuv, threads... */
};
_Static_assert(CHUNKS_PER_SLAB <= 8, "slab.claimed has a bit per chunk");

struct aw__stack {
    char *base;               /* lowest usable byte; the guard is below   */
    size_t size;
    struct aw__stack *next_free;
    unsigned valgrind_id;
};

typedef struct slab {
    struct slab *next;
    char *memory;             /* set before the prefault thread sees it,  */
    size_t length;            /* as is slot_size; never changed after     */
    size_t slot_size;
    _Atomic unsigned char claimed; /* a bit per chunk: its tops faulted in */
                                   /* or being faulted in, by either thread */
    unsigned carved;          /* slots handed out so far                  */
    bool guarded;             /* every slot's guard installed at mapping   */
    struct aw__stack slots[STACKS_PER_SLAB];
} slab;

static struct {
    slab *slabs;              /* every slab, for unmapping                */
    slab *current;            /* the slab new stacks are carved from      */
    slab *reserve[READ_AHEAD_SLABS]; /* mapped ahead, oldest first        */
    unsigned reserve_count;
    unsigned slabs_this_run;  /* taken into use since the run began       */
    char *region_next;        /* address space mapped, not yet in a slab  */
    unsigned region_left;     /* slabs' worth of it                       */
    unsigned region_slabs;    /* the size of the last region, in slabs    */
    aw__stack *free_list;
    size_t stack_size;
    long mappings;            /* counted only when guards split mappings  */
    long mapping_limit;
    bool guards_split;        /* fell back to mprotect                    */
    bool no_batches;          /* process_madvise() is missing here        */
    bool warned;
} pool;

static size_t page_size(void)
{
    static size_t cached;
    if (cached == 0)
        cached = (size_t)sysconf(_SC_PAGESIZE);
    return cached;
}

static long read_map_count_limit(void)
{
    long limit = 65530;
    FILE *f = fopen("/proc/sys/vm/max_map_count", "r");
    if (f) {
        if (fscanf(f, "%ld", &limit) != 1)
            limit = 65530;
        fclose(f);
    }
    return limit;
}

/* Makes [addr, addr+len) fault on access, preferring the non-splitting way. */
static int install_guard(char *addr, size_t len)
{
    if (!pool.guards_split && madvise(addr, len, MADV_GUARD_INSTALL) == 0)
        return 0;
    if (!pool.guards_split) {
        pool.guards_split = true;
        pool.mapping_limit = read_map_count_limit() - MAP_COUNT_HEADROOM;
    }
    if (pool.mappings + 2 > pool.mapping_limit) {
        if (!pool.warned)
            fprintf(stderr,
                    "awaitlab: cannot create more task stacks: this kernel "
                    "splits a mapping per guard page and vm.max_map_count "
                    "allows %ld; raise it (sysctl vm.max_map_count) or use "
                    "Linux 6.13 or later\n", pool.mapping_limit + MAP_COUNT_HEADROOM);
        pool.warned = true;
        errno = ENOMEM;
        return -1;
    }
    if (mprotect(addr, len, PROT_NONE) != 0)
        return -1;
    pool.mappings += 2;
    return 0;
}

/* madvise(advice) on each of `count` ranges, one system call for all of
 * them; true if it did every range.  Safe on any thread. */
static bool advise_ranges_once(const struct iovec *ranges, size_t count, int advice)
{
    size_t bytes = 0;
    for (size_t i = 0; i < count; i++)
        bytes += ranges[i].iov_len;
    long done = syscall(SYS_process_madvise, PIDFD_SELF_THREAD, ranges, count, advice, 0);
    return done == (long)bytes;
}

/*
 * The same on the loop's thread, which remembers a failure: where the kernel
 * (or valgrind) does not have the call, the process stops trying.
 */
static bool advise_ranges(const struct iovec *ranges, size_t count, int advice)
{
    if (pool.no_batches || RUNNING_ON_VALGRIND)
        return false;
    if (!advise_ranges_once(ranges, count, advice)) {
        pool.no_batches = true;
        return false;
    }
    return true;
}

static size_t slot_size(size_t stack_size) { return GUARD_SIZE + stack_size; }

/* Installs the guard of every slot in the slab with one call, if it can. */
static void guard_whole_slab(slab *s, size_t stack_size)
{
    struct iovec guards[STACKS_PER_SLAB];
    for (unsigned i = 0; i < STACKS_PER_SLAB; i++) {
        guards[i].iov_base = s->memory + i * slot_size(stack_size);
        guards[i].iov_len = GUARD_SIZE;
    }
    s->guarded = advise_ranges(guards, STACKS_PER_SLAB, MADV_GUARD_INSTALL);
}

/* Claims a chunk of the slab for faulting in; false if someone has already. */
static bool claim_chunk(slab *s, unsigned chunk)
{
    unsigned char bit = (unsigned char)(1u << chunk);
    return !(atomic_fetch_or_explicit(&s->claimed, bit, memory_order_relaxed) & bit);
}

/* The top page of each stack in the chunk: the page its first frames go to. */
static void chunk_tops(const slab *s, unsigned chunk, struct iovec tops[STACKS_PER_CHUNK])
{
    for (unsigned i = 0; i < STACKS_PER_CHUNK; i++) {
        unsigned slot = chunk * STACKS_PER_CHUNK + i;
        tops[i].iov_base = s->memory + (slot + 1) * s->slot_size - page_size();
        tops[i].iov_len = page_size();
    }
}

/*
 * On the loop's thread: faults in the chunk's stack tops with one call,
 * unless the prefault thread has claimed them.  Only a head start: if it
 * fails, each first touch faults its page in as usual.
 */
static void populate_chunk(slab *s, unsigned chunk)
{
    if (!claim_chunk(s, chunk))
        return;
    struct iovec tops[STACKS_PER_CHUNK];
    chunk_tops(s, chunk, tops);
    advise_ranges(tops, STACKS_PER_CHUNK, MADV_POPULATE_WRITE);
}

/*
 * On the prefault thread: the same for every chunk the loop has not claimed,
 * from the slab's far end, so that if the loop catches up -- it carves from
 * the near end -- the two split the slab instead of waiting on each other.
 */
static void populate_slab_ahead(void *item)
{
    slab *s = item;
    struct iovec tops[STACKS_PER_CHUNK];
    for (unsigned chunk = CHUNKS_PER_SLAB; chunk-- > 0;) {
        if (!claim_chunk(s, chunk))
            continue;
        chunk_tops(s, chunk, tops);
        advise_ranges_once(tops, STACKS_PER_CHUNK, MADV_POPULATE_WRITE);
    }
}

static char *map_region(size_t length)
{
    void *memory = mmap(NULL, length, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    return memory == MAP_FAILED ? NULL : memory;
}

/*
 * Address space for one slab of `length` bytes.  It is mapped a region at a
 * time, each region twice the slabs of the one before (up to
 * REGION_SLABS_MAX), so a million stacks take a few dozen mmap() calls, not
 * four thousand.  That matters beyond the calls' own cost: mmap() takes the
 * process's memory-map lock for writing, and so waits whenever the prefault
 * thread holds it for reading.  A limit on address space (RLIMIT_AS) may
 * refuse a big region; then one slab's worth is tried.
 */
static char *slab_memory(size_t length)
{
    if (pool.region_left == 0) {
        unsigned slabs = pool.region_slabs ? pool.region_slabs * 2 : 1;
        if (slabs > REGION_SLABS_MAX)
            slabs = REGION_SLABS_MAX;
        char *region = map_region(length * slabs);
        if (region == NULL && slabs > 1)
            region = map_region(length * (slabs = 1));
        if (region == NULL)
            return NULL;
        pool.region_next = region;
        pool.region_left = pool.region_slabs = slabs;
    }
    char *memory = pool.region_next;
    pool.region_next += length;
    pool.region_left--;
    return memory;
}

static slab *slab_new(size_t stack_size)
{
    size_t length = slot_size(stack_size) * STACKS_PER_SLAB;
    slab *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->memory = slab_memory(length);
    if (s->memory == NULL) {
        free(s);
        return NULL;
    }
    s->length = length;
    s->slot_size = slot_size(stack_size);
    s->next = pool.slabs;
    pool.slabs = s;
    guard_whole_slab(s, stack_size);
    return s;
}

/* Maps the slabs after the current one and posts them to the prefault thread. */
static void read_ahead(size_t stack_size)
{
    if (pool.no_batches || RUNNING_ON_VALGRIND)
        return; /* the thread would have no way to fault them in */
    while (pool.reserve_count < READ_AHEAD_SLABS) {
        slab *s = slab_new(stack_size);
        if (!s)
            return;
        pool.reserve[pool.reserve_count++] = s;
        aw__prefault_post(populate_slab_ahead, s); /* if not, the loop does it */
    }
}

/* The oldest slab mapped ahead, or NULL. */
static slab *take_reserve(void)
{
    if (pool.reserve_count == 0)
        return NULL;
    slab *s = pool.reserve[0];
    pool.reserve_count--;
    memmove(&pool.reserve[0], &pool.reserve[1], pool.reserve_count * sizeof pool.reserve[0]);
    return s;
}

/* Moves on to a fresh slab: one mapped ahead if there is one. */
static slab *next_slab(size_t stack_size)
{
    slab *s = take_reserve();
    if (!s)
        s = slab_new(stack_size);
    if (!s)
        return NULL;
    pool.current = s;
    if (++pool.slabs_this_run >= READ_AHEAD_AFTER)
        read_ahead(stack_size);
    return s;
}

/* Hands out the next never-used slot of the current slab, or NULL. */
static aw__stack *carve(size_t stack_size)
{
    slab *s = pool.current;
    if (!s || s->carved == STACKS_PER_SLAB) {
        s = next_slab(stack_size);
        if (!s)
            return NULL;
    }
    char *slot = s->memory + (size_t)s->carved * slot_size(stack_size);
    if (!s->guarded && install_guard(slot, GUARD_SIZE) != 0)
        return NULL;
    if (s->carved % STACKS_PER_CHUNK == 0)
        populate_chunk(s, s->carved / STACKS_PER_CHUNK);
    aw__stack *stack = &s->slots[s->carved++];
    stack->base = slot + GUARD_SIZE;
    stack->size = stack_size;
#ifdef AW_HAVE_VALGRIND
    stack->valgrind_id = VALGRIND_STACK_REGISTER(stack->base, stack->base + stack_size);
#endif
    return stack;
}

aw__stack *aw__stack_acquire(size_t size)
{
    size = (size + page_size() - 1) & ~(page_size() - 1);
    if (pool.stack_size != size) {
        /* One size per run; a new size starts a fresh pool. */
        aw__stacks_free_all();
        pool.stack_size = size;
    }
    if (pool.free_list) {
        aw__stack *stack = pool.free_list;
        pool.free_list = stack->next_free;
        return stack;
    }
    return carve(size);
}

/*
 * The stack the next aw__stack_acquire() will hand out: hints the CPU to
 * fetch its top, where a new task's first frames go, and the pool entry
 * after it.  See prefetch_upcoming() in loop.c.
 */
void aw__stack_prefetch_next(void)
{
    aw__stack *next = pool.free_list;
    if (next == NULL)
        return;
    const char *top = next->base + next->size;
    for (int line = 1; line <= 4; line++)
        __builtin_prefetch(top - 64 * line);
    __builtin_prefetch(next->next_free);
}

void aw__stack_release(aw__stack *stack)
{
#ifdef AW_ASAN
    /*
     * The finished task's last frames never returned, so AddressSanitizer
     * still has their red zones marked; the next task must start clean.
     */
    ASAN_UNPOISON_MEMORY_REGION(stack->base, stack->size);
#endif
    stack->next_free = pool.free_list;
    pool.free_list = stack;
}

/*
 * The run is over and every task with it: every stack carved so far is free
 * again, including those of tasks that were still suspended.  Keep them for
 * the next run, and let the kernel reclaim their memory if it needs it:
 * MADV_FREE keeps the guards, and a page it has not reclaimed is reused
 * without a fault.
 */
void aw__stacks_keep_for_next_run(void)
{
    aw__prefault_stop(); /* nothing may fault pages in while we free them */
    pool.slabs_this_run = 0;
    pool.free_list = NULL;
    for (slab *s = pool.slabs; s; s = s->next) {
        for (unsigned i = s->carved; i-- > 0;) {
            s->slots[i].next_free = NULL;
            aw__stack_release(&s->slots[i]);
        }
        madvise(s->memory, s->length, MADV_FREE); /* only advice: a failure costs memory */
    }
}

void *aw__stack_base(const aw__stack *stack) { return stack->base; }
size_t aw__stack_size(const aw__stack *stack) { return stack->size; }

void *aw__stack_reserve_top(unsigned index, unsigned slot)
{
    if (index >= pool.reserve_count || slot >= STACKS_PER_SLAB)
        return NULL;
    slab *s = pool.reserve[index];
    return s->memory + (slot + 1) * s->slot_size - page_size();
}

void aw__stacks_free_all(void)
{
    aw__prefault_stop();
    while (pool.slabs) {
        slab *s = pool.slabs;
        pool.slabs = s->next;
#ifdef AW_HAVE_VALGRIND
        for (unsigned i = 0; i < s->carved; i++)
            VALGRIND_STACK_DEREGISTER(s->slots[i].valgrind_id);
#endif
        munmap(s->memory, s->length); /* a slab's part of its region */
        free(s);
    }
    if (pool.region_left > 0) /* the last region's unused rest */
        munmap(pool.region_next, pool.region_left * slot_size(pool.stack_size) * STACKS_PER_SLAB);
    pool.region_next = NULL;
    pool.region_left = pool.region_slabs = 0;
    pool.current = NULL;
    pool.reserve_count = 0;
    pool.slabs_this_run = 0;
    pool.free_list = NULL;
    pool.stack_size = 0;
    pool.mappings = 0;
    pool.warned = false;
}

/* ----------------------------------------------------------------------- */
/* Catching a stack overflow                                                 */
/* ----------------------------------------------------------------------- */

static struct sigaction previous_segv;
static stack_t previous_altstack;
static void *signal_stack;
static bool handler_installed;

static void write_str(const char *s)
{
    ssize_t ignored = write(STDERR_FILENO, s, strlen(s));
    (void)ignored;
}

static void write_num(unsigned long n)
{
    char digits[24];
    int i = (int)sizeof digits;
    digits[--i] = '\0';
    do {
        digits[--i] = (char)('0' + n % 10);
        n /= 10;
    } while (n && i > 0);
    write_str(&digits[i]);
}

/*
 * Runs on the alternate signal stack, so it may use only async-signal-safe
 * calls: write() and the like, no printf.  If the fault is in the running
 * task's guard, say so; either way put the previous handler back and return,
 * so the faulting instruction runs again and the program ends the way it
 * would have without us (a core dump, or the sanitizer's report).
 */
static void on_segv(int sig, siginfo_t *info, void *ucontext)
{
    (void)sig;
    (void)ucontext;
    aw__loop *loop = aw__the_loop;
    aw_task *task = loop ? loop->current : NULL;
    char *addr = info->si_addr;
    if (task && task->stack) {
        char *base = aw__stack_base(task->stack);
        if (addr >= base - GUARD_SIZE && addr < base) {
            write_str("awaitlab: stack overflow in task '");
            write_str(task->name);
            write_str("' (id ");
            write_num(task->id);
            write_str("): it used all of its ");
            write_num(aw__stack_size(task->stack) / 1024);
            write_str(" KiB stack. Deep recursion or a large local array? "
                      "Raise aw_config.stack_size or AWAITLAB_STACK_SIZE.\n");
        }
    }
    sigaction(SIGSEGV, &previous_segv, NULL);
}

void aw__overflow_handler_install(void)
{
    size_t size = 64 * 1024;
    signal_stack = malloc(size);
    if (!signal_stack)
        return;
    stack_t ss = {.ss_sp = signal_stack, .ss_size = size, .ss_flags = 0};
    if (sigaltstack(&ss, &previous_altstack) != 0) {
        free(signal_stack);
        signal_stack = NULL;
        return;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, &previous_segv);
    handler_installed = true;
}

void aw__overflow_handler_remove(void)
{
    if (!handler_installed)
        return;
    sigaction(SIGSEGV, &previous_segv, NULL);
    sigaltstack(&previous_altstack, NULL);
    free(signal_stack);
    signal_stack = NULL;
    handler_installed = false;
}
