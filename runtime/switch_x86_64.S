/*
 * switch_x86_64.S -- the context switch for x86_64 (System V ABI).
 *
 * void aw__switch_stacks(void **save_sp, void *load_sp);
 *
 * The ABI lets a called function clobber every register except rbx, rbp and
 * r12-r15, the stack pointer, and the control bits of MXCSR and the x87
 * control word (rounding mode, exception masks).  So a switch pushes exactly
 * those on the current stack, stores the stack pointer in *save_sp, loads
 * load_sp and pops the same set from the other stack.  The final `ret` then
 * returns into whatever called aw__switch_stacks on that side -- or, the
 * first time, into the entry function that switch_frame.c placed there.
 *
 * Frame, from the saved stack pointer upwards:
 *   [sp+0]  MXCSR (4 bytes), x87 control word (2 bytes), 2 unused bytes
 *   [sp+8]  r15, r14, r13, r12, rbx, rbp
 *   [sp+56] return address
 */
    .text
    .globl  aw__switch_stacks
    .hidden aw__switch_stacks
    .type   aw__switch_stacks, @function
    .p2align 4
aw__switch_stacks:
    .cfi_startproc
    pushq   %rbp
    pushq   %rbx
    pushq   %r12
    pushq   %r13
    pushq   %r14
    pushq   %r15
    subq    $8, %rsp
    stmxcsr (%rsp)
    fnstcw  4(%rsp)
    /* Our control state, to compare with below.  Each part is read back at
     * the size it was stored: one 8-byte read of both would have to wait
     * until both stores reached the cache (a failed store forwarding),
     * which cost more than the rest of the switch. */
    movl    (%rsp), %eax
    movzwl  4(%rsp), %ecx

    movq    %rsp, (%rdi)        /* *save_sp = rsp */
    movq    %rsi, %rsp          /* rsp = load_sp  */

    /* Loading the control registers is slow (microcoded); nearly every
     * task keeps the default rounding and masks, so load only if the
     * other side's saved state differs from ours. */
    cmpl    (%rsp), %eax
    jne     2f
    cmpw    4(%rsp), %cx
    jne     2f
1:
    addq    $8, %rsp
    popq    %r15
    popq    %r14
    popq    %r13
    popq    %r12
    popq    %rbx
    popq    %rbp
    ret
2:
    ldmxcsr (%rsp)
    fldcw   4(%rsp)
    jmp     1b
    .cfi_endproc
    .size   aw__switch_stacks, .-aw__switch_stacks

    .section .note.GNU-stack, "", @progbits
