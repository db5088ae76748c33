/*
 * test_stack.c -- task stacks: many at once, deep recursion, the guard page
 * and its message, and the configured stack size.
 *
 * Overflowing a stack ends the process, so those tests run the overflowing
 * program in a child process and look at how it died and what it said.
 */
#include "runtime_test.h"

#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>

/* (AddressSanitizer catches the overflow its own way; those tests skip there.) */

/* ----------------------------------------------------------------------- */
/* Recursion that really uses the stack: about 1 KiB per level              */
/* ----------------------------------------------------------------------- */

__attribute__((noinline)) static int recurse(int levels)
{
    volatile char frame[1024];
    frame[0] = (char)levels;
    frame[sizeof frame - 1] = 1;
    if (levels <= 1)
        return frame[0];
    return recurse(levels - 1) + frame[sizeof frame - 1]; /* not a tail call */
}

/* A task that recurses arg levels deep and returns the result. */
static int recursive_task(void *arg, intptr_t *result)
{
    *result = recurse((int)(intptr_t)arg);
    return AW_OK;
}

/* Tasks that sleep, holding their stacks, while the diver dives. */
static int sleepers_beside_the_diver;

static int sleep_a_second(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    return aw_sleep(1);
}

static int main_runs_recursion(void *arg, intptr_t *result)
{
    for (int i = 0; i < sleepers_beside_the_diver; i++)
        if (!aw_spawn(sleep_a_second, NULL, "sleeper"))
            return AW_ENOMEM;
    aw_task *diver = aw_spawn(recursive_task, arg, "deep-diver");
    int status = aw_await(diver);
    *result = aw_task_value(diver);
    return status;
}

/* Runs main_runs_recursion with `levels` and the given stack size. */
static int run_recursion(int levels, size_t stack_size, intptr_t *result)
{
    aw_config config = {.clock = AW_CLOCK_VIRTUAL, .stack_size = stack_size};
    return aw_run(main_runs_recursion, (void *)(intptr_t)levels, &config, result);
}

/* ----------------------------------------------------------------------- */
/* A run in a child process                                                  */
/* ----------------------------------------------------------------------- */

typedef struct child_end {
    bool exited;        /* returned normally                      */
    int exit_code;
    int signal;         /* the signal that killed it, or 0        */
    char said[4096];    /* what it wrote to stderr                */
} child_end;

/*
 * Runs run_recursion(levels, stack_size) in a child; says how it ended.
 * With after_a_legal_run, the child first runs a legal 40-level recursion,
 * so the overflowing run starts on stacks a finished run left behind.
 * Under valgrind, valgrind reports the child's SIGSEGV on its own channel
 * too: that report is expected.
 */
static child_end run_recursion_in_child(int levels, size_t stack_size, bool after_a_legal_run)
{
    child_end end = {0};
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct rlimit no_core = {0, 0};
        setrlimit(RLIMIT_CORE, &no_core);
        signal(SIGSEGV, SIG_DFL); /* the test framework's handler would catch it */
        unsetenv("AWAITLAB_STACK_SIZE"); /* stack_size 0 means the default */
        dup2(fds[1], STDERR_FILENO);
        close(fds[0]);
        intptr_t value = 0;
        if (after_a_legal_run && (run_recursion(40, stack_size, &value) != AW_OK || value != 40))
            _exit(3);
        int status = run_recursion(levels, stack_size, &value);
        _exit(status == AW_OK && value == levels ? 0 : 1);
    }
    close(fds[1]);
    size_t used = 0;
    ssize_t got;
    while ((got = read(fds[0], end.said + used, sizeof end.said - 1 - used)) > 0)
        used += (size_t)got;
    end.said[used] = '\0';
    close(fds[0]);
    int wstatus;
    assert_int_equal(waitpid(pid, &wstatus, 0), pid);
    end.exited = WIFEXITED(wstatus);
    end.exit_code = end.exited ? WEXITSTATUS(wstatus) : -1;
    end.signal = WIFSIGNALED(wstatus) ? WTERMSIG(wstatus) : 0;
    return end;
}

/* ----------------------------------------------------------------------- */
/* Many tasks                                                                */
/* ----------------------------------------------------------------------- */

/*
 * Valgrind searches a list of every registered stack on each switch, which
 * makes many live stacks quadratic there; it checks memory, not scale, so
 * it gets fewer tasks.
 */
enum { MANY = 50000, MANY_UNDER_VALGRIND = 5000 };

static int many_tasks(void)
{
    return RUNNING_ON_VALGRIND ? MANY_UNDER_VALGRIND : MANY;
}

static int sleep_and_return_index(void *arg, intptr_t *result)
{
    int status = aw_sleep(1);
    *result = (intptr_t)arg;
    return status;
}

static struct {
    int status;
    int64_t at_ns;
    intptr_t sum;
} many;

static int main_spawns_many(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    static aw_task *tasks[MANY];
    int n = many_tasks();
    for (intptr_t i = 0; i < n; i++) {
        tasks[i] = aw_spawn(sleep_and_return_index, (void *)i, "s%d", (int)i);
        if (!tasks[i])
            return AW_ENOMEM;
    }
    many.status = aw_gather(tasks, (size_t)n, 0);
    many.at_ns = now_ns();
    for (int i = 0; i < n; i++)
        many.sum += aw_task_value(tasks[i]);
    return AW_OK;
}

static void test_fifty_thousand_tasks_sleeping_at_once_all_complete(void **state)
{
    (void)state;
    assert_int_equal(run_virtual(main_spawns_many, NULL, NULL), AW_OK);
    assert_int_equal(many.status, AW_OK);
    assert_int_equal(many.at_ns, MS(1000));
    int n = many_tasks();
    assert_int_equal(many.sum, (intptr_t)n * (n - 1) / 2);
    assert_int_equal(aw_trace_peak_concurrency(0, SIZE_MAX), n); /* all at once */
}

/* ----------------------------------------------------------------------- */
/* Depth                                                                     */
/* ----------------------------------------------------------------------- */

static void test_deep_but_legal_recursion_fits_in_the_default_stack(void **state)
{
    (void)state;
    intptr_t value = 0;
    assert_int_equal(run_recursion(40, 0, &value), AW_OK); /* ~40 KiB of 64 */
    assert_int_equal(value, 40);
}

static void test_stack_overflow_kills_the_process_with_a_message_naming_the_task(
    void **state)
{
    (void)state;
#ifdef UNDER_ASAN
    skip();
#endif
    child_end end = run_recursion_in_child(1 << 30, 0, false); /* no end in sight */
    assert_false(end.exited);
    assert_int_equal(end.signal, SIGSEGV);
    assert_non_null(strstr(end.said, "stack overflow in task 'deep-diver'"));
    assert_non_null(strstr(end.said, "64 KiB"));
}

static void test_default_stack_is_too_small_for_200_KiB_of_recursion(void **state)
{
    (void)state;
#ifdef UNDER_ASAN
    skip();
#endif
    child_end end = run_recursion_in_child(200, 0, false);
    assert_int_equal(end.signal, SIGSEGV);
    assert_non_null(strstr(end.said, "stack overflow in task 'deep-diver'"));
}

/*
 * Guards are installed a slab (256 stacks) at a time, and stacks outlive
 * their run: a task on the 301st stack of the second run must still have
 * its guard.
 */
static void test_overflow_is_caught_on_a_later_slab_in_a_later_run(void **state)
{
    (void)state;
#ifdef UNDER_ASAN
    skip();
#endif
    sleepers_beside_the_diver = 300;
    child_end end = run_recursion_in_child(1 << 30, 0, true);
    sleepers_beside_the_diver = 0;
    assert_false(end.exited);
    assert_int_equal(end.signal, SIGSEGV);
    assert_non_null(strstr(end.said, "stack overflow in task 'deep-diver'"));
}

/* ----------------------------------------------------------------------- */
/* Stacks kept from one run to the next                                      */
/* ----------------------------------------------------------------------- */

static uintptr_t stack_page_of_the_task;

static int note_stack_page(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    stack_page_of_the_task = (uintptr_t)__builtin_frame_address(0) & ~(uintptr_t)4095;
    return AW_OK;
}

static int main_spawns_one_noting_its_stack(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    return aw_await(aw_spawn(note_stack_page, NULL, "noter"));
}

static void test_a_second_run_starts_on_the_stacks_the_first_run_left(void **state)
{
    (void)state;
    assert_int_equal(run_virtual(main_spawns_one_noting_its_stack, NULL, NULL), AW_OK);
    uintptr_t first_run_page = stack_page_of_the_task;
    unsigned char resident;
    /* Still mapped after the run: mincore() fails with ENOMEM on unmapped memory. */
    assert_int_equal(mincore((void *)first_run_page, 4096, &resident), 0);

    assert_int_equal(run_virtual(main_spawns_one_noting_its_stack, NULL, NULL), AW_OK);
    assert_true(stack_page_of_the_task == first_run_page);
}

static void test_configured_1_MiB_stack_fits_200_KiB_of_recursion(void **state)
{
    (void)state;
    intptr_t value = 0;
    assert_int_equal(run_recursion(200, 1024 * 1024, &value), AW_OK);
    assert_int_equal(value, 200);
}

static void test_AWAITLAB_STACK_SIZE_sets_the_stack_size_in_KiB(void **state)
{
    (void)state;
    intptr_t value = 0;
    setenv("AWAITLAB_STACK_SIZE", "1024", 1);
    int status = run_recursion(200, 0, &value);
    unsetenv("AWAITLAB_STACK_SIZE");
    assert_int_equal(status, AW_OK);
    assert_int_equal(value, 200);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_fifty_thousand_tasks_sleeping_at_once_all_complete, clear_trace),
        cmocka_unit_test_teardown(test_deep_but_legal_recursion_fits_in_the_default_stack, clear_trace),
        cmocka_unit_test_teardown(test_stack_overflow_kills_the_process_with_a_message_naming_the_task, clear_trace),
        cmocka_unit_test_teardown(test_default_stack_is_too_small_for_200_KiB_of_recursion, clear_trace),
        cmocka_unit_test_teardown(test_overflow_is_caught_on_a_later_slab_in_a_later_run, clear_trace),
        cmocka_unit_test_teardown(test_a_second_run_starts_on_the_stacks_the_first_run_left, clear_trace),
        cmocka_unit_test_teardown(test_configured_1_MiB_stack_fits_200_KiB_of_recursion, clear_trace),
        cmocka_unit_test_teardown(test_AWAITLAB_STACK_SIZE_sets_the_stack_size_in_KiB, clear_trace),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
