/*
 * blocking_calls.c -- sleep(), usleep() and nanosleep() as a check sees them.
 *
 * A blocking call made by a task, on the loop's thread, freezes every other
 * task for as long as it blocks: the classic mistake of offloading chapter
 * 10.  A check runs on the virtual clock, where a real blocking sleep would
 * be invisible -- virtual time does not move while the thread sits in the
 * kernel -- and would only cost the student real seconds.  So the check
 * program defines these three functions itself (the linker takes them before
 * the C library's):
 *
 *   - on the loop's thread, inside a run on the virtual clock, the call moves
 *     the clock forward by the time asked, exactly as the real call would
 *     hold the real clock, and records a step that held the loop (AW_EV_SLOW,
 *     the event debug mode writes): the timeline shows every task frozen
 *     behind it, and check_blocking_steps() counts it;
 *   - on the loop's thread outside a run on the virtual clock it really
 *     sleeps;
 *   - on any other thread (an aw_to_thread() worker, where blocking is the
 *     point) it returns at once: the thread's work takes no virtual time,
 *     and the loop is not held.
 */
#include "check_internal.h"
#include "internal.h"

#include <errno.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static __thread bool on_loop_thread;

void check__on_loop_thread(void)
{
    on_loop_thread = true;
}

/* Holds the loop for `ns`: the virtual clock moves, no task gets a turn. */
static void hold_loop(int64_t ns)
{
    aw__loop *loop = aw__the_loop;
    aw_task *task = aw__current();
    loop->virtual_now_ns += ns;
    AW__TRACE(AW_EV_SLOW, task->id, 0, 0, ns, NULL, NULL);
}

static bool virtual_loop_thread(void)
{
    return aw__the_loop && aw__current() && aw__the_loop->clock == AW_CLOCK_VIRTUAL;
}

int nanosleep(const struct timespec *request, struct timespec *remaining)
{
    if (!request || request->tv_nsec < 0 || request->tv_nsec >= 1000000000L) {
        errno = EINVAL;
        return -1;
    }
    if (!on_loop_thread)
        return 0;
    if (!virtual_loop_thread())
        return (int)syscall(SYS_nanosleep, request, remaining);
    hold_loop((int64_t)request->tv_sec * 1000000000 + request->tv_nsec);
    if (remaining)
        remaining->tv_sec = remaining->tv_nsec = 0;
    return 0;
}

void check_block(double seconds)
{
    if (!(seconds > 0))
        return;
    struct timespec t = {.tv_sec = (time_t)seconds,
                         .tv_nsec = (long)((seconds - (double)(time_t)seconds) * 1e9)};
    nanosleep(&t, NULL);
}

unsigned int sleep(unsigned int seconds)
{
    struct timespec t = {.tv_sec = seconds};
    nanosleep(&t, NULL);
    return 0;
}

int usleep(useconds_t microseconds)
{
    struct timespec t = {.tv_sec = microseconds / 1000000,
                         .tv_nsec = (long)(microseconds % 1000000) * 1000};
    return nanosleep(&t, NULL);
}
