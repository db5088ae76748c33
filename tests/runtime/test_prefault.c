/*
 * test_prefault.c -- reading ahead: once a run has many tasks, the stack
 * pool maps the next slabs early and the prefault thread faults in their
 * stack tops (runtime/stack.c, runtime/prefault.c).
 *
 * Whether a page is in memory is asked of the kernel with mincore().  The
 * thread works in the background, so each test first waits until it is idle
 * (aw__prefault_wait_idle()) and only then looks.  ThreadSanitizer runs this
 * file too (make tsan): the loop and the thread share the slabs' claim bits.
 */
#include "runtime_test.h"
#include "internal.h"

#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>

enum { SLAB = 256 }; /* stacks per slab, as in stack.c */

static bool resident(const void *page)
{
    unsigned char in_memory = 0;
    return page != NULL && mincore((void *)page, 4096, &in_memory) == 0 && (in_memory & 1);
}

/* What the run saw of the slabs mapped ahead, once the prefault thread was idle. */
static struct {
    bool has_reserve;
    bool far_top_resident;   /* last slot of the second slab ahead */
} ahead;

static int sleep_on(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    return aw_sleep(1);
}

/* Starts `arg` sleepers (each takes a stack), then looks at the reserve. */
static int main_starts_sleepers_and_looks_ahead(void *arg, intptr_t *result)
{
    (void)result;
    long sleepers = (long)(intptr_t)arg;
    for (long i = 0; i < sleepers; i++)
        if (!aw_spawn(sleep_on, NULL, "sleeper"))
            return AW_ENOMEM;
    int status = aw_yield(); /* every sleeper runs its first step */
    aw__prefault_wait_idle();
    ahead.has_reserve = aw__stack_reserve_top(0, 0) != NULL;
    ahead.far_top_resident = resident(aw__stack_reserve_top(1, SLAB - 1));
    return status;
}

/* process_madvise(PIDFD_SELF) is what the thread uses; older kernels lack it. */
static bool kernel_batches_advice(void)
{
    void *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    struct iovec range = {.iov_base = page, .iov_len = 4096};
    long done = syscall(SYS_process_madvise, -10000 /* PIDFD_SELF_THREAD */, &range, 1,
                        23 /* MADV_POPULATE_WRITE */, 0);
    munmap(page, 4096);
    return done == 4096;
}

static void skip_where_nothing_reads_ahead(void)
{
#ifdef RUNNING_ON_VALGRIND
    if (RUNNING_ON_VALGRIND)
        skip(); /* valgrind does not know process_madvise(): no reading ahead */
#endif
    if (!kernel_batches_advice())
        skip();
}

static void test_a_run_with_many_tasks_has_the_next_slabs_faulted_in_ahead(void **state)
{
    (void)state;
    skip_where_nothing_reads_ahead();
    aw__stacks_free_all(); /* start from an empty pool, whatever ran before */
    long sleepers = 3 * SLAB; /* past READ_AHEAD_AFTER (2) slabs */
    assert_int_equal(run_virtual(main_starts_sleepers_and_looks_ahead,
                                 (void *)(intptr_t)sleepers, NULL), AW_OK);
    assert_true(ahead.has_reserve);
    /* Nothing ran on that stack: only the prefault thread can have put it in memory. */
    assert_true(ahead.far_top_resident);
}

static void test_a_run_with_few_tasks_maps_nothing_ahead(void **state)
{
    (void)state;
    aw__stacks_free_all();
    assert_int_equal(run_virtual(main_starts_sleepers_and_looks_ahead,
                                 (void *)(intptr_t)100, NULL), AW_OK);
    assert_false(ahead.has_reserve);
}

/*
 * Run after run, the thread is started and stopped while it may still be
 * working, and every task still finishes: stopping drops what is queued and
 * waits for what is in hand, so no slab is freed under the thread.
 */
static int gather_sleepers(void *arg, intptr_t *result)
{
    long n = (long)(intptr_t)arg;
    aw_task **tasks = calloc((size_t)n, sizeof *tasks);
    if (!tasks)
        return AW_ENOMEM;
    for (long i = 0; i < n; i++)
        tasks[i] = aw_spawn(sleep_on, NULL, "sleeper");
    int status = aw_gather(tasks, (size_t)n, 0);
    long finished = 0;
    for (long i = 0; i < n; i++) {
        finished += aw_task_state_of(tasks[i]) == AW_TASK_OK;
        aw_task_release(tasks[i]);
    }
    free(tasks);
    *result = finished;
    return status;
}

static void test_runs_that_stop_the_thread_mid_work_all_finish(void **state)
{
    (void)state;
    for (int run = 0; run < 6; run++) {
        long n = (run % 2 ? 4 : 8) * SLAB + run; /* growing, shrinking, growing */
        if (run == 3)
            aw__stacks_free_all(); /* and once from an empty pool */
        intptr_t finished = 0;
        assert_int_equal(run_virtual(gather_sleepers, (void *)(intptr_t)n, &finished), AW_OK);
        assert_int_equal(finished, n);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_run_with_many_tasks_has_the_next_slabs_faulted_in_ahead),
        cmocka_unit_test(test_a_run_with_few_tasks_maps_nothing_ahead),
        cmocka_unit_test(test_runs_that_stop_the_thread_mid_work_all_finish),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
