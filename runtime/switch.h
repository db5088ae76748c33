/*
 * switch.h -- moving the CPU from one stack to another.
 *
 * This is the one place where the context switch back end is chosen, the way
 * Redis's ae.c picks epoll or kqueue at the top and the rest of the loop does
 * not care.  Two back ends:
 *
 *   - switch_<arch>.S: a few instructions of assembly that save the registers
 *     the C calling convention says a function must preserve (callee-saved
 *     registers and the floating-point control state), swap the stack pointer
 *     and restore the other side's registers.  About 10 ns per switch.
 *   - switch_ucontext.c: POSIX getcontext/makecontext/swapcontext, portable
 *     but slower (swapcontext also saves the signal mask, a system call).
 *     Build with SWITCH=ucontext, or on an architecture without assembly.
 */
#ifndef AWAITLAB_SWITCH_H
#define AWAITLAB_SWITCH_H

#include <stddef.h>

#ifdef AW_SWITCH_UCONTEXT
#include <ucontext.h>
typedef struct aw__context {
    ucontext_t uc;
} aw__context;
#else
typedef struct aw__context {
    void *sp; /* everything else is saved on the stack it points into */
} aw__context;
#endif

/*
 * Prepares `context` so that the first switch to it calls entry() on the
 * stack [stack_base, stack_base + size).  entry() must never return.
 */
void aw__context_init(aw__context *context, void *stack_base, size_t size,
                      void (*entry)(void));

/* Saves the running context in `from` and continues in `to`. */
void aw__context_switch(aw__context *from, aw__context *to);

/* The name of the back end, for messages and tests. */
const char *aw__context_backend(void);

#endif /* AWAITLAB_SWITCH_H */
