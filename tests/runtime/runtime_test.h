/*
 * runtime_test.h -- what the runtime's unit tests share.
 *
 * Every test runs a small program through aw_run() on the virtual clock with
 * the trace kept in memory, so that times are exact: a 0.5 s sleep ends at
 * exactly 500,000,000 ns, on every run and on every machine.
 *
 * Task bodies never call cmocka's assert_*(): an assertion that fails jumps
 * out of the test, and jumping off a task's stack in the middle of aw_run()
 * would leave the runtime half-way through a run.  Tasks write what they see
 * into static variables; the test body asserts on them (and on the trace)
 * once aw_run() has returned.
 */
#ifndef RUNTIME_TEST_H
#define RUNTIME_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "awaitlab.h"

/*
 * Whether the test runs under valgrind or AddressSanitizer, for the few
 * tests that cannot: a stack overflow, a memory limit.
 */
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#ifndef RUNNING_ON_VALGRIND
#define RUNNING_ON_VALGRIND 0
#endif
#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

/* Milliseconds in nanoseconds, the unit of aw_trace_event.t_ns. */
#define MS(n) ((int64_t)(n) * 1000000)

/* The run's clock in whole nanoseconds (exact: aw_now() is ns / 1e9). */
static inline int64_t now_ns(void)
{
    return (int64_t)llround(aw_now() * 1e9);
}

/* Runs `main` on the virtual clock with the trace captured in memory. */
static inline int run_virtual(aw_fn main, void *arg, intptr_t *result)
{
    aw_config config = {.clock = AW_CLOCK_VIRTUAL, .trace_capture = true};
    return aw_run(main, arg, &config, result);
}

/* The n-th (from 0) captured event of `kind` for task `task`, or NULL. */
static inline const aw_trace_event *nth_event_of(uint32_t task, aw_trace_kind kind, int n)
{
    size_t count;
    const aw_trace_event *events = aw_trace_events(&count);
    for (size_t i = 0; i < count; i++)
        if (events[i].task == task && events[i].kind == kind && n-- == 0)
            return &events[i];
    return NULL;
}

/* The same, for the task spawned under `name`. */
static inline const aw_trace_event *nth_event(const char *name, aw_trace_kind kind, int n)
{
    uint32_t id = aw_trace_task_by_name(name);
    return id ? nth_event_of(id, kind, n) : NULL;
}

/* How many events of `kind` the task called `name` has. */
static inline int count_events(const char *name, aw_trace_kind kind)
{
    int n = 0;
    while (nth_event(name, kind, n))
        n++;
    return n;
}

/* When the task called `name` finished, or -1 if it never did. */
static inline int64_t done_ns(const char *name)
{
    const aw_trace_event *e = nth_event(name, AW_EV_DONE, 0);
    return e ? e->t_ns : -1;
}

/* The status the task called `name` finished with (its DONE event's code). */
static inline int done_code(const char *name)
{
    const aw_trace_event *e = nth_event(name, AW_EV_DONE, 0);
    return e ? e->code : 1;
}

/* Frees the last run's captured events; used as every group's teardown. */
static inline int clear_trace(void **state)
{
    (void)state;
    aw_trace_clear();
    return 0;
}

/* The whole of an open stream, from its start, as a string to free(). */
static inline char *slurp(FILE *f)
{
    fflush(f);
    if (fseek(f, 0, SEEK_END) != 0)
        return NULL;
    long size = ftell(f);
    rewind(f);
    char *text = malloc((size_t)size + 1);
    if (!text)
        return NULL;
    size_t got = fread(text, 1, (size_t)size, f);
    text[got] = '\0';
    return text;
}

/* The whole of a file, as a string to free(); NULL if it cannot be read. */
static inline char *slurp_path(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    char *text = slurp(f);
    fclose(f);
    return text;
}

/*
 * Descriptors this process has open right now, as entries of /proc/self/fd
 * (a count to compare with an earlier one); -1 if it cannot be read.
 */
static inline int count_open_fds(void)
{
    DIR *dir = opendir("/proc/self/fd");
    if (!dir)
        return -1;
    int n = 0;
    while (readdir(dir))
        n++;
    closedir(dir);
    return n;
}

/*
 * Catching what the runtime writes to stderr: stderr goes to a temporary
 * file between stderr_capture_begin() and stderr_capture_end(), which gives
 * back what was written (a string to free()).
 */
typedef struct stderr_capture {
    int saved_fd;
    FILE *file;
} stderr_capture;

static inline void stderr_capture_begin(stderr_capture *c)
{
    fflush(stderr);
    c->file = tmpfile();
    c->saved_fd = dup(STDERR_FILENO);
    if (c->file)
        dup2(fileno(c->file), STDERR_FILENO);
}

static inline char *stderr_capture_end(stderr_capture *c)
{
    fflush(stderr);
    dup2(c->saved_fd, STDERR_FILENO);
    close(c->saved_fd);
    if (!c->file)
        return NULL;
    char *text = slurp(c->file);
    fclose(c->file);
    return text;
}

#endif /* RUNTIME_TEST_H */
