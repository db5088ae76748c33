/*
 * fiber.c -- switching between the scheduler and a task, and telling the
 * tools about it.
 *
 * The scheduler runs on the thread's own stack; every task on its own.  The
 * loop resumes a task with aw__fiber_resume(), and the task comes back with
 * aw__switch_to_scheduler() when it suspends or finishes.  Tasks never switch
 * to each other directly: one place decides who runs next, which keeps the
 * order easy to reason about (and to trace).
 *
 * AddressSanitizer keeps "shadow" bookkeeping per stack and must be told
 * before every switch which stack we are about to run on
 * (__sanitizer_start_switch_fiber) and, first thing on the new stack, that
 * the switch happened (__sanitizer_finish_switch_fiber).  The two calls
 * must pair up exactly, including the very first entry into a task, and a
 * task switching away for the last time passes NULL so that its fake stack
 * is freed.  See compiler-rt's include/sanitizer/common_interface_defs.h.
 */
#include "internal.h"

#ifdef AW_ASAN
#include <sanitizer/common_interface_defs.h>
#endif

/*
 * ThreadSanitizer keeps a shadow call stack and a clock per thread; a task
 * is a "fiber" to it, and must be switched to explicitly.  Flags 0 make
 * every switch a happens-before edge, which is the truth: the scheduler and
 * the tasks take turns on one thread.  See compiler-rt's
 * include/sanitizer/tsan_interface.h.
 */
#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define AW_TSAN 1
#endif
#endif
#if defined(__SANITIZE_THREAD__)
#define AW_TSAN 1
#endif

#ifdef AW_TSAN
#include <sanitizer/tsan_interface.h>
#endif

/* The task will never run again: forget its fiber (from the scheduler). */
void aw__fiber_forget(aw_task *task)
{
#ifdef AW_TSAN
    if (task->tsan_fiber) {
        __tsan_destroy_fiber(task->tsan_fiber);
        task->tsan_fiber = NULL;
    }
#else
    (void)task;
#endif
}

/* Called by the loop: run `task` until it switches back. */
void aw__fiber_resume(aw_task *task)
{
    aw__loop *loop = aw__the_loop;
#ifdef AW_TSAN
    if (!loop->tsan_scheduler)
        loop->tsan_scheduler = __tsan_get_current_fiber();
    if (!task->tsan_fiber)
        task->tsan_fiber = __tsan_create_fiber(0);
    __tsan_switch_to_fiber(task->tsan_fiber, 0);
#endif
#ifdef AW_ASAN
    void *scheduler_fake_stack = NULL;
    __sanitizer_start_switch_fiber(&scheduler_fake_stack,
                                   aw__stack_base(task->stack),
                                   aw__stack_size(task->stack));
    aw__context_switch(&loop->scheduler, &task->context);
    __sanitizer_finish_switch_fiber(scheduler_fake_stack, NULL, NULL);
#else
    aw__context_switch(&loop->scheduler, &task->context);
#endif
}

/* First thing a task does on its new stack. */
void aw__fiber_started(void)
{
#ifdef AW_ASAN
    aw__loop *loop = aw__the_loop;
    __sanitizer_finish_switch_fiber(NULL, &loop->scheduler_stack_bottom,
                                    &loop->scheduler_stack_size);
#endif
}

/*
 * Called by a task: give the CPU back to the scheduler.  Returns when the
 * scheduler resumes this task -- never, if `finished`.
 */
void aw__switch_to_scheduler(aw_task *from, bool finished)
{
    aw__loop *loop = aw__the_loop;
#ifdef AW_TSAN
    __tsan_switch_to_fiber(loop->tsan_scheduler, 0);
#endif
#ifdef AW_ASAN
    __sanitizer_start_switch_fiber(finished ? NULL : &from->asan_fake_stack,
                                   loop->scheduler_stack_bottom,
                                   loop->scheduler_stack_size);
    aw__context_switch(&from->context, &loop->scheduler);
    __sanitizer_finish_switch_fiber(from->asan_fake_stack,
                                    &loop->scheduler_stack_bottom,
                                    &loop->scheduler_stack_size);
#else
    (void)finished;
    aw__context_switch(&from->context, &loop->scheduler);
#endif
}
