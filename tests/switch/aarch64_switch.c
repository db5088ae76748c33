/*
 * aarch64_switch.c -- the aarch64 context switch, tested on its own.
 *
 * Built with a cross compiler and run under qemu-aarch64 by
 * scripts/check-aarch64.sh, so the assembly for the other architecture is
 * exercised on an x86_64 machine too: two contexts take turns five times,
 * each keeping its own FPCR rounding mode, its locals in callee-saved
 * registers, and its floating-point values.
 */
#include "switch.h"
#include <fenv.h>
#include <stdio.h>
#include <stdlib.h>
static aw__context main_ctx, task_ctx;
static volatile long counter;
static void task_entry(void)
{
    fesetround(FE_UPWARD);
    for (int i = 0; i < 5; i++) {
        double d = 0.0; for (int k = 0; k < 10; k++) d += 0.1;
        counter += 10;
        if (fegetround() != FE_UPWARD) { puts("task lost its rounding mode"); exit(1); }
        aw__context_switch(&task_ctx, &main_ctx);
    }
    aw__context_switch(&task_ctx, &main_ctx);
    abort();
}
int main(void)
{
    size_t size = 64 * 1024;
    char *stack = malloc(size);
    aw__context_init(&task_ctx, stack, size, task_entry);
    long local = 1000; double f = 1.5;
    for (int i = 0; i < 5; i++) {
        aw__context_switch(&main_ctx, &task_ctx);
        if (fegetround() != FE_TONEAREST) { puts("main lost its rounding mode"); return 1; }
        local += 1; f *= 2;
    }
    printf("counter=%ld local=%ld f=%g backend=%s\n", counter, local, f, aw__context_backend());
    return (counter == 50 && local == 1005 && f == 48.0) ? 0 : 1;
}
