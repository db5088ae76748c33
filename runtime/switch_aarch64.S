/*
 * switch_aarch64.S -- the context switch for AArch64 (AAPCS64).
 *
 * void aw__switch_stacks(void **save_sp, void *load_sp);
 *
 * A called function must preserve x19-x28, the frame pointer x29, the link
 * register x30 (our return address), the low halves of v8-v15 (d8-d15), the
 * stack pointer, and the floating-point control register FPCR.  A switch
 * stores them in a 176-byte frame on the current stack, saves sp, loads the
 * other sp, restores the other frame and returns through x30.
 *
 * Frame layout (offsets from the saved sp):
 *   0..79    x19-x28        80..95   x29, x30
 *   96..159  d8-d15         160      FPCR       168 padding
 */
    .text
    .globl  aw__switch_stacks
    .hidden aw__switch_stacks
    .type   aw__switch_stacks, %function
    .p2align 4
aw__switch_stacks:
    sub     sp, sp, #176
    stp     x19, x20, [sp, #0]
    stp     x21, x22, [sp, #16]
    stp     x23, x24, [sp, #32]
    stp     x25, x26, [sp, #48]
    stp     x27, x28, [sp, #64]
    stp     x29, x30, [sp, #80]
    stp     d8,  d9,  [sp, #96]
    stp     d10, d11, [sp, #112]
    stp     d12, d13, [sp, #128]
    stp     d14, d15, [sp, #144]
    mrs     x9, fpcr
    str     x9, [sp, #160]

    mov     x9, sp
    str     x9, [x0]            /* *save_sp = sp */
    mov     sp, x1              /* sp = load_sp  */

    ldr     x9, [sp, #160]
    msr     fpcr, x9
    ldp     x19, x20, [sp, #0]
    ldp     x21, x22, [sp, #16]
    ldp     x23, x24, [sp, #32]
    ldp     x25, x26, [sp, #48]
    ldp     x27, x28, [sp, #64]
    ldp     x29, x30, [sp, #80]
    ldp     d8,  d9,  [sp, #96]
    ldp     d10, d11, [sp, #112]
    ldp     d12, d13, [sp, #128]
    ldp     d14, d15, [sp, #144]
    add     sp, sp, #176
    ret
    .size   aw__switch_stacks, .-aw__switch_stacks

    .section .note.GNU-stack, "", %progbits
