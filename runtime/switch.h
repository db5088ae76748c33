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
#ifdef AW_SWITCH_UCONTEXT
void aw__context_switch(aw__context *from, aw__context *to);
#else
void aw__switch_stacks(void **save_sp, void *load_sp); /* switch_<arch>.S */

/* Inline: every call level a switch crosses is one more return the CPU
 * mispredicts on the other side, because its return-address predictor
 * remembers the calls of the stack we left. */
static inline void aw__context_switch(aw__context *from, aw__context *to)
{
    aw__switch_stacks(&from->sp, to->sp);
}
#endif

/*
 * Hints the CPU to fetch what switching to `context` will read: the saved
 * frame at its stack pointer and the callers' frames just above it, where
 * the resumed code returns to.  Only a hint, so a no-op is always correct.
 */
/* Prefetch-only functions must be inlined to survive, see loop.c. */
#define AW__PREFETCH_HELPER inline __attribute__((always_inline))

static AW__PREFETCH_HELPER void aw__context_prefetch(const aw__context *context)
{
#ifdef AW_SWITCH_UCONTEXT
    (void)context;
#else
    const char *sp = (const char *)context->sp;
    if (sp == NULL)
        return; /* never switched to yet */
    for (int line = 0; line < 4; line++)
        __builtin_prefetch(sp + 64 * line);
#endif
}

/* The name of the back end, for messages and tests. */
const char *aw__context_backend(void);

#endif /* AWAITLAB_SWITCH_H */
