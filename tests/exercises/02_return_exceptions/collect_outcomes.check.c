/*
 * Check of collect_outcomes: every outcome reported, in argument order,
 * once every fetch has finished.
 *
 * The world's fetch takes its own time per item; some items fail, each
 * case with other items and other error codes, and in one case an
 * "operator" task cancels one fetch half way -- the child that ends
 * cancelled, which aw_task_error() knows nothing about.  The check judges,
 * in order: the status (AW_OK: gather must not fail fast), that no fetch
 * was still running when fetch_report() returned, that the fetches waited
 * side by side, and then every slot of values[] and errors[].
 */
#include "check.h"

#include <stdio.h>
#include <string.h>

int fetch_report(long n, intptr_t *values, int *errors);

enum { MAX_ITEMS = 32 };

static struct {
    long n;
    double delay_s[MAX_ITEMS];
    int fail_code[MAX_ITEMS];  /* 0: succeeds                         */
    long cancel_item;          /* cancelled by the operator, or -1     */
    double cancel_at_s;
    intptr_t values[MAX_ITEMS];
    int errors[MAX_ITEMS];
    aw_error returned_error;   /* the error fetch_report() passed on    */
} world;

static intptr_t value_of(long i)
{
    return 1000 + 17 * (intptr_t)i;
}

/* The operator: cancels one fetch after a while, as a shutting-down
 * service or an impatient user would. */
static int operator_task(void *arg, intptr_t *result)
{
    (void)result;
    int status = aw_sleep(world.cancel_at_s);
    if (status == AW_OK)
        aw_cancel(arg);
    return status;
}

int fetch(long i, intptr_t *value)
{
    if (i < 0 || i >= world.n)
        return aw_raise(AW_EINVAL, "fetch(%ld): there are only items 0 .. %ld", i, world.n - 1);
    if (i == world.cancel_item)
        aw_spawn(operator_task, aw_current(), "operator");
    int status = aw_sleep(world.delay_s[i]);
    if (status != AW_OK)
        return status;
    if (world.fail_code[i])
        return aw_raise(world.fail_code[i], "item-%ld: %s", i,
                        world.fail_code[i] % 2 ? "connection refused" : "server error");
    *value = value_of(i);
    return AW_OK;
}

static int drive(void *arg)
{
    (void)arg;
    int status = fetch_report(world.n, world.values, world.errors);
    const aw_error *e = aw_last_error();
    if (status != AW_OK && e)
        world.returned_error = *e;
    return status;
}

/* When item i ends, and how. */
static double end_of(long i)
{
    return i == world.cancel_item ? world.cancel_at_s : world.delay_s[i];
}

static int expected_error(long i)
{
    return i == world.cancel_item ? AW_ECANCELLED : world.fail_code[i];
}

/* The fetches still running when fetch_report() returned: how many, and
 * their names in `names`.  (check_left_running() would list the operator
 * too.) */
static int fetches_left_running(char *names, size_t size)
{
    int count = 0;
    names[0] = '\0';
    for (long i = 0; i < world.n; i++) {
        char name[32];
        snprintf(name, sizeof name, "fetch-%ld", i);
        if (check_task(name).outcome != CHECK_RUNNING)
            continue;
        size_t used = strlen(names);
        if (used + 40 < size)
            snprintf(names + used, size - used, "%s%s", count ? ", " : "", name);
        count++;
    }
    return count;
}

static void judge(int status)
{
    double last = 0;
    for (long i = 0; i < world.n; i++)
        last = end_of(i) > last ? end_of(i) : last;
    char running[400];
    int left = fetches_left_running(running, sizeof running);
    double took = check_elapsed();
    if (status != AW_OK) {
        char when[64] = "";
        if (world.returned_error.origin[0])
            snprintf(when, sizeof when, ", when %s failed", world.returned_error.origin);
        check_fail("fetch_report returned %d (%s) at %s%s, with %d fetch%s still running. "
                   "One failure must not end the report: it should wait for all %ld fetches "
                   "and return AW_OK. Which flag makes aw_gather() collect errors as values?",
                   status, aw_strerror(status), check_seconds(took), when, left,
                   left == 1 ? "" : "es", world.n);
        return;
    }
    if (left > 0) {
        check_fail("fetch_report returned at %s while %d fetch%s still running (%s): the "
                   "report can only be complete once every fetch has finished, at %s",
                   check_seconds(took), left, left == 1 ? " was" : "es were", running,
                   check_seconds(last));
        return;
    }
    if (!check_near(took, last)) {
        check_fail("the report took %s; the fetches side by side take %s, until the last "
                   "one ends: are you waiting for more than the fetches?", check_seconds(took),
                   check_seconds(last));
        return;
    }
    for (long i = 0; i < world.n; i++) {
        int want = expected_error(i);
        if (world.errors[i] == want)
            continue;
        if (want == AW_ECANCELLED)
            check_fail("errors[%ld] is %d, but fetch-%ld ended cancelled (the operator "
                       "cancelled it at %s): it should be AW_ECANCELLED (%d). A cancelled "
                       "task has no error: aw_task_error() returns NULL for it, as "
                       "CancelledError is no Exception -- what does aw_task_state_of() say?",
                       i, world.errors[i], i, check_seconds(world.cancel_at_s), AW_ECANCELLED);
        else if (want != 0)
            check_fail("errors[%ld] is %d, but fetch-%ld failed with code %d (item-%ld: ...): "
                       "the code is in aw_task_error(tasks[%ld])->code", i, world.errors[i],
                       i, want, i, i);
        else
            check_fail("errors[%ld] is %d, but fetch-%ld succeeded: it should be 0", i,
                       world.errors[i], i);
        return;
    }
    for (long i = 0; i < world.n; i++) {
        intptr_t want = expected_error(i) ? 0 : value_of(i);
        if (world.values[i] != want) {
            check_fail("values[%ld] is %ld, but fetch-%ld %s %ld", i, (long)world.values[i], i,
                       want ? "returned" : "did not succeed, so it should be", (long)want);
            return;
        }
    }
}

static void run_case(long n, const double *delay_s, const int *fail_code, long cancel_item,
                     double cancel_at_s)
{
    memset(&world, 0, sizeof world);
    world.n = n;
    world.cancel_item = cancel_item;
    world.cancel_at_s = cancel_at_s;
    long failing = 0;
    double total = 0;
    for (long i = 0; i < n; i++) {
        world.delay_s[i] = delay_s[i];
        world.fail_code[i] = fail_code[i];
        world.values[i] = -1;
        world.errors[i] = 12345;
        failing += fail_code[i] != 0;
        total += delay_s[i];
    }
    check_case("%ld fetches, %ld fail%s%s", n, failing, failing == 1 ? "s" : "",
               cancel_item >= 0 ? ", 1 is cancelled" : "");
    int status = check_run(drive, NULL, 2 * total + 1);
    if (!check_failed())
        judge(status);
    check_case_end();
}

void exercise_check(void)
{
    enum { E1 = AW_EAPP - 1, E2 = AW_EAPP - 2, E3 = AW_EAPP - 3, E4 = AW_EAPP - 4 };

    static const double six[] = {0.5, 0.2, 0.7, 0.3, 0.6, 0.4};
    static const int six_fail[] = {0, E1, 0, 0, E1, 0};
    run_case(6, six, six_fail, -1, 0);

    static const double nine[] = {0.3, 0.45, 0.2, 0.6, 0.35, 0.8, 0.25, 0.1, 0.5};
    static const int nine_fail[] = {0, 0, E2, E3, 0, 0, 0, E1, 0};
    run_case(9, nine, nine_fail, 5, 0.25);

    static const double four[] = {0.15, 0.4, 0.25, 0.3};
    static const int four_fail[] = {E4, E3, E2, E1};
    run_case(4, four, four_fail, -1, 0);
}
