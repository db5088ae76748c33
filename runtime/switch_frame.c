/*
 * switch_frame.c -- the first frame on a new task stack, for the assembly
 * back ends (switch_x86_64.S, switch_aarch64.S).
 *
 * A stack that has never run looks, to aw__switch_stacks(), exactly like a
 * stack that was switched away from: a frame of saved registers whose return
 * address is the task's entry function.  So the first switch "returns" into
 * entry(), and no special case is needed anywhere else.
 */
#ifndef AW_SWITCH_UCONTEXT

#include "switch.h"

#include <stdint.h>
#include <string.h>

#if defined(__x86_64__)

void aw__context_init(aw__context *context, void *stack_base, size_t size,
                      void (*entry)(void))
{
    uintptr_t top = ((uintptr_t)stack_base + size) & ~(uintptr_t)15;
    uint64_t *slot = (uint64_t *)top;

    /*
     * After `ret` pops entry's address, rsp must be 8 bytes off a 16-byte
     * boundary, as if entry had been called: slot[-1] plays the return
     * address of entry (zero, so a debugger's backtrace stops there).
     */
    slot[-1] = 0;                    /* entry's "return address"      */
    slot[-2] = (uintptr_t)entry;     /* where `ret` goes              */
    memset(&slot[-8], 0, 6 * 8);     /* rbp rbx r12 r13 r14 r15 = 0   */
    uint32_t mxcsr = 0x1F80;         /* all exceptions masked, nearest */
    uint16_t x87_control = 0x037F;   /* the same for the x87 unit     */
    memset(&slot[-9], 0, 8);
    memcpy((char *)&slot[-9], &mxcsr, 4);
    memcpy((char *)&slot[-9] + 4, &x87_control, 2);
    context->sp = &slot[-9];
}

#elif defined(__aarch64__)

void aw__context_init(aw__context *context, void *stack_base, size_t size,
                      void (*entry)(void))
{
    uintptr_t top = ((uintptr_t)stack_base + size) & ~(uintptr_t)15;
    uint64_t *frame = (uint64_t *)(top - 176);

    memset(frame, 0, 176);           /* x19-x29, d8-d15, FPCR = 0     */
    frame[11] = (uintptr_t)entry;    /* x30, where `ret` goes         */
    context->sp = frame;
}

#else
#error "no assembly context switch for this architecture: build with SWITCH=ucontext"
#endif

const char *aw__context_backend(void)
{
#if defined(__x86_64__)
    return "x86_64 assembly";
#else
    return "aarch64 assembly";
#endif
}

#endif /* !AW_SWITCH_UCONTEXT */
