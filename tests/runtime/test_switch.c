/*
 * test_switch.c -- what a context switch must carry across: the
 * floating-point control state (rounding mode) of each task, and the
 * registers a C function expects to survive a call.
 *
 * Nothing here knows which switch back end is built in: the same tests run
 * against the assembly switch and the ucontext one.
 */
#include "runtime_test.h"

#include <fenv.h>

/* ----------------------------------------------------------------------- */
/* Rounding mode                                                             */
/* ----------------------------------------------------------------------- */

/*
 * Which way lrint() takes 0.25 tells the rounding mode the hardware really
 * used, beyond what fegetround() reports: in double (SSE's MXCSR on
 * x86_64) and in long double (the x87 control word).  Conversions to
 * integer also honour the rounding mode under valgrind, which emulates
 * plain arithmetic in round-to-nearest only.  `volatile` keeps the
 * conversions at run time.
 */
static volatile double quarter = 0.25;
static volatile long double quarter_l = 0.25L;

typedef struct rounding {
    int mode;          /* fegetround()                      */
    bool double_up;    /* lrint(0.25) rounded up to 1       */
    bool long_up;      /* lrintl(0.25L) rounded up to 1     */
} rounding;

static rounding observe_rounding(void)
{
    rounding r = {.mode = fegetround()};
    r.double_up = lrint(quarter) == 1;
    r.long_up = lrintl(quarter_l) == 1;
    return r;
}

static struct {
    rounding upward_before, upward_after;  /* the task that rounds up  */
    rounding nearest_before, nearest_after; /* the task that does not  */
    rounding spawned_by_upward;
    rounding scheduler_after_run;
} seen;

static int observe_fresh_task(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    seen.spawned_by_upward = observe_rounding();
    return AW_OK;
}

static int rounds_upward(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    fesetround(FE_UPWARD);
    seen.upward_before = observe_rounding();
    aw_task *fresh = aw_spawn(observe_fresh_task, NULL, "fresh");
    aw_yield(); /* "nearest" runs now, with its own rounding mode */
    aw_sleep(1);
    seen.upward_after = observe_rounding();
    fesetround(FE_TONEAREST);
    return aw_await(fresh);
}

static int rounds_to_nearest(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    seen.nearest_before = observe_rounding();
    aw_yield(); /* "upward" runs now */
    aw_sleep(1);
    seen.nearest_after = observe_rounding();
    return AW_OK;
}

static int main_runs_both_roundings(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *tasks[2] = {aw_spawn(rounds_upward, NULL, "upward"),
                         aw_spawn(rounds_to_nearest, NULL, "nearest")};
    return aw_gather(tasks, 2, 0);
}

static void check_rounding(rounding r, int mode, bool up)
{
    assert_int_equal(r.mode, mode);
    assert_int_equal(r.double_up, up);
    assert_int_equal(r.long_up, up);
}

static void test_each_task_keeps_its_own_rounding_mode_across_switches(void **state)
{
    (void)state;
    memset(&seen, 0, sizeof seen);
    assert_int_equal(fegetround(), FE_TONEAREST);
    assert_int_equal(run_virtual(main_runs_both_roundings, NULL, NULL), AW_OK);

    check_rounding(seen.upward_before, FE_UPWARD, true);
    check_rounding(seen.upward_after, FE_UPWARD, true);
    check_rounding(seen.nearest_before, FE_TONEAREST, false);
    check_rounding(seen.nearest_after, FE_TONEAREST, false);
    /* A new task starts rounding to nearest, whoever spawned it. */
    check_rounding(seen.spawned_by_upward, FE_TONEAREST, false);
    /* And the thread that called aw_run() got its own mode back. */
    check_rounding(observe_rounding(), FE_TONEAREST, false);
}

/* ----------------------------------------------------------------------- */
/* Callee-saved registers                                                    */
/* ----------------------------------------------------------------------- */

/*
 * A computation with many integer and floating-point values live across
 * every yield, at every level of a recursion: the compiler keeps them in
 * callee-saved registers (or spills them), and the switch must give each
 * task back exactly what it had.  The same function without yields gives
 * the expected answer.
 */
__attribute__((noinline)) static uint64_t churn(uint64_t seed, int depth, bool yield)
{
    uint64_t a = seed * 0x9E3779B97F4A7C15u, b = a ^ (a >> 29), c = b * 0xBF58476D1CE4E5B9u;
    uint64_t d = c ^ (c >> 31), e = d + seed, f = e * 0x94D049BB133111EBu;
    double x = (double)(seed % 1000) / 7.0, y = x * 1.5 + 0.25;
    if (depth > 0)
        a ^= churn(f, depth - 1, yield);
    if (yield)
        aw_yield();
    b += a * 3;
    c ^= b << 7;
    d += c >> 3;
    e ^= d * 5;
    f += e;
    x = x * y + (double)(f & 0xFFFF);
    if (yield)
        aw_yield();
    return a ^ b ^ c ^ d ^ e ^ f ^ (uint64_t)(x * 1000.0);
}

enum { CHURNERS = 4, CHURN_DEPTH = 12 };

static uint64_t churned[CHURNERS];

static int churner(void *arg, intptr_t *result)
{
    (void)result;
    churned[(intptr_t)arg] = churn((uint64_t)(intptr_t)arg + 1, CHURN_DEPTH, true);
    return AW_OK;
}

static int main_runs_churners(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *tasks[CHURNERS];
    for (intptr_t i = 0; i < CHURNERS; i++)
        tasks[i] = aw_spawn(churner, (void *)i, "churner-%d", (int)i);
    return aw_gather(tasks, CHURNERS, 0);
}

static void test_callee_saved_registers_survive_interleaved_switches(void **state)
{
    (void)state;
    memset(churned, 0, sizeof churned);
    assert_int_equal(run_virtual(main_runs_churners, NULL, NULL), AW_OK);
    for (int i = 0; i < CHURNERS; i++)
        assert_int_equal(churned[i], churn((uint64_t)i + 1, CHURN_DEPTH, false));
    /* The tasks really did take turns, step by step. */
    assert_int_equal(count_events("churner-0", AW_EV_RUN), 2 * (CHURN_DEPTH + 1) + 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_each_task_keeps_its_own_rounding_mode_across_switches, clear_trace),
        cmocka_unit_test_teardown(test_callee_saved_registers_survive_interleaved_switches, clear_trace),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
