/*
 * switch_ucontext.c -- the portable context switch back end, on POSIX
 * getcontext/makecontext/swapcontext.  Selected with SWITCH=ucontext (see
 * switch.h).  Slower than the assembly, because swapcontext() also saves and
 * restores the signal mask with a system call, but it runs anywhere glibc
 * does and the test suite runs against it too.
 */
#ifdef AW_SWITCH_UCONTEXT

#include "switch.h"

#include <stdio.h>
#include <stdlib.h>

void aw__context_init(aw__context *context, void *stack_base, size_t size,
                      void (*entry)(void))
{
    if (getcontext(&context->uc) != 0) {
        perror("awaitlab: getcontext");
        abort();
    }
    context->uc.uc_stack.ss_sp = stack_base;
    context->uc.uc_stack.ss_size = size;
    context->uc.uc_link = NULL; /* entry() never returns */
    makecontext(&context->uc, entry, 0);
}

void aw__context_switch(aw__context *from, aw__context *to)
{
    if (swapcontext(&from->uc, &to->uc) != 0) {
        perror("awaitlab: swapcontext");
        abort();
    }
}

const char *aw__context_backend(void)
{
    return "ucontext";
}

#endif /* AW_SWITCH_UCONTEXT */
