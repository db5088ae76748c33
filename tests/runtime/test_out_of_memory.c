/*
 * test_out_of_memory.c -- running out of memory is an error value, never an
 * abort (runtime/error.c, runtime/task.c).
 *
 * A child process limits its own data size (RLIMIT_DATA, which covers
 * malloc's heap and its mmap'd blocks) to a little more than it uses, then
 * spawns tasks until aw_spawn() returns NULL, eats the few bytes left, and
 * gathers the tasks.  Both failures must come back as AW_ENOMEM with an
 * error in aw_last_error() -- even though recording an error normally needs
 * a malloc of its own.  The child reports what it saw through a pipe.
 *
 * A second child arms timers out of deadline order -- the ones the timer
 * heap holds -- after memory has run out, so the heap cannot grow: the
 * timers must still fire, in deadline order (runtime/timer.c).
 *
 * Under AddressSanitizer or valgrind the tests are skipped: both reserve
 * memory of their own that no such limit leaves room for.
 *
 * Usage:  build/tests/runtime/test_out_of_memory
 */
#include "runtime_test.h"

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

/* Headroom above what the child already uses: room for ~100,000 tasks. */
enum { HEADROOM_BYTES = 48 << 20, MAX_TASKS = 4 << 20 };

typedef struct seen {
    size_t spawned;
    int spawn_error;      /* aw_last_error()->code after aw_spawn() gave NULL, or 0 */
    int gather_status;
    int gather_error;     /* aw_last_error()->code after aw_gather(), or 0 */
    char gather_message[120];
} seen;

static aw_task **tasks;
static int report_fd;

static int nothing(void *arg, intptr_t *result)
{
    (void)arg;
    *result = 0;
    return AW_OK;
}

/* The data size in use now (VmData), in bytes; 0 if unknown. */
static size_t data_in_use(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return 0;
    char line[256];
    size_t kb = 0;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "VmData: %zu kB", &kb) == 1)
            break;
    fclose(f);
    return kb * 1024;
}

/* Allocates 16-byte blocks until malloc says no; they are never freed. */
static void eat_what_is_left(void)
{
    void *chain = NULL, *block;
    while ((block = malloc(16)) != NULL) {
        *(void **)block = chain;
        chain = block;
    }
}

/* In the child: the experiment; writes a `seen` and exits without tidying up. */
static int starve(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    seen s = {0};
    struct rlimit limit = {data_in_use() + HEADROOM_BYTES, data_in_use() + HEADROOM_BYTES};
    if (limit.rlim_cur == HEADROOM_BYTES || setrlimit(RLIMIT_DATA, &limit) != 0)
        _exit(3);
    aw_task *task;
    while (s.spawned < MAX_TASKS && (task = aw_spawn(nothing, NULL, "t")) != NULL)
        tasks[s.spawned++] = task;
    const aw_error *e = aw_last_error();
    s.spawn_error = e ? e->code : 0;

    eat_what_is_left();
    s.gather_status = aw_gather(tasks, s.spawned, 0);
    e = aw_last_error();
    s.gather_error = e ? e->code : 0;
    if (e)
        snprintf(s.gather_message, sizeof s.gather_message, "%s", e->message);
    ssize_t wrote = write(report_fd, &s, sizeof s);
    _exit(wrote == (ssize_t)sizeof s ? 0 : 4);
}

/* Sanitizers and valgrind keep memory of their own: no limit fits them. */
static void skip_under_memory_tools(void)
{
#ifdef UNDER_ASAN
    skip();
#endif
    if (RUNNING_ON_VALGRIND)
        skip();
}

/* Runs `main` in a child process on the virtual clock; `main` ends it with _exit(). */
static pid_t start_child(aw_fn main, int close_in_child)
{
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (close_in_child >= 0)
            close(close_in_child);
        aw_config config = {.clock = AW_CLOCK_VIRTUAL};
        aw_run(main, NULL, &config, NULL);
        _exit(5); /* main never returns */
    }
    return pid;
}

/* Waits for the child; fails the test unless it exited with status 0. */
static void expect_clean_exit(pid_t pid, const char *instead_of)
{
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    if (WIFSIGNALED(status))
        fail_msg("the child died of %s instead of %s", strsignal(WTERMSIG(status)), instead_of);
    assert_int_equal(WEXITSTATUS(status), 0);
}

static void test_out_of_memory_is_an_error_value(void **state)
{
    (void)state;
    skip_under_memory_tools();
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    report_fd = fds[1];
    tasks = calloc(MAX_TASKS, sizeof *tasks); /* before the child's limit */
    pid_t pid = start_child(starve, fds[0]);
    close(fds[1]);
    seen s;
    ssize_t got = read(fds[0], &s, sizeof s);
    close(fds[0]);
    free(tasks);
    expect_clean_exit(pid, "returning errors");
    assert_int_equal(got, sizeof s);

    /* aw_spawn() ran out before MAX_TASKS, and said why. */
    print_message("aw_spawn() gave NULL after %zu tasks\n", s.spawned);
    assert_true(s.spawned > 0 && s.spawned < MAX_TASKS);
    assert_int_equal(s.spawn_error, AW_ENOMEM);
    /* aw_gather() could not get its memory either: an error, with a message. */
    assert_int_equal(s.gather_status, AW_ENOMEM);
    assert_int_equal(s.gather_error, AW_ENOMEM);
    assert_non_null(strstr(s.gather_message, "out of memory"));
}

/* ----------------------------------------------------------------------- */
/* Timers armed when the heap cannot grow                                    */
/* ----------------------------------------------------------------------- */

enum { SLEEPERS = 3000 };

static int wake_order[SLEEPERS];
static int woken;

/* Sleeper i sleeps SLEEPERS - i ms: each later one is due earlier. */
static int sleep_backwards(void *arg, intptr_t *result)
{
    (void)result;
    int i = (int)(intptr_t)arg;
    int status = aw_yield(); /* all of them take their stacks first */
    if (status == AW_OK)
        status = aw_sleep((SLEEPERS - i) / 1000.0);
    if (status == AW_OK)
        wake_order[woken++] = i;
    return status;
}

/* In the child: every sleeper started, memory gone, then the timers armed. */
static int arm_timers_with_no_memory(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    for (int i = 0; i < SLEEPERS; i++)
        if (!aw_spawn(sleep_backwards, (void *)(intptr_t)i, "sleeper"))
            _exit(6);
    aw_yield(); /* the sleepers run their first step: stacks taken */
    struct rlimit limit = {data_in_use() + (1 << 20), data_in_use() + (1 << 20)};
    if (setrlimit(RLIMIT_DATA, &limit) != 0)
        _exit(3);
    eat_what_is_left();
    int status = aw_sleep((SLEEPERS + 1) / 1000.0); /* the sleepers arm theirs now */
    bool in_order = woken == SLEEPERS;
    for (int k = 0; in_order && k < SLEEPERS; k++)
        in_order = wake_order[k] == SLEEPERS - 1 - k; /* the shortest sleep first */
    _exit(status != AW_OK ? 7 : in_order ? 0 : 8);
}

static void test_timers_armed_with_no_memory_left_still_fire_in_order(void **state)
{
    (void)state;
    skip_under_memory_tools();
    /* exit status 7: a sleep failed; 8: the sleepers woke out of deadline order */
    expect_clean_exit(start_child(arm_timers_with_no_memory, -1), "arming its timers");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_out_of_memory_is_an_error_value),
        cmocka_unit_test(test_timers_armed_with_no_memory_left_still_fire_in_order),
    };
    return cmocka_run_group_tests_name("out_of_memory", tests, NULL, NULL);
}
