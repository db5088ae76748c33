/*
 * Check of render_on_thread: the blocking render runs on a worker thread.
 *
 * render_invoice() calls check_block(): on the loop's thread it holds the
 * loop for the render's time (a blocking step, and every other task frozen
 * behind it); on a worker thread it costs nothing.  While a thread job is
 * out the virtual clock stands still, so the offloaded renders take no
 * virtual time at all: a correct run takes exactly as long as the slowest
 * invoice's load plus store.  A heartbeat task runs beside make_invoices()
 * and notes the longest gap between its beats, to put a number on a freeze.
 */
#include "check.h"

#include <stdio.h>

int make_invoices(long n, intptr_t *sizes);

enum { MAX_INVOICES = 32 };
static const double BEAT = 0.05; /* the heartbeat's period */

static struct {
    long n;
    double load_s[MAX_INVOICES], render_s[MAX_INVOICES], store_s[MAX_INVOICES];
    int renders[MAX_INVOICES];   /* written on worker threads: atomics   */
    long stored[MAX_INVOICES];   /* what store_invoice() got, or -1       */
    intptr_t sizes[MAX_INVOICES];
    double longest_gap;
} world;

static intptr_t order_of(long i)
{
    return 7000 + 13 * (intptr_t)i;
}

static long bytes_of(long order)
{
    return 20000 + (order * 37) % 5000;
}

int load_order(long i, intptr_t *order)
{
    if (i < 0 || i >= world.n)
        return aw_raise(AW_EINVAL, "load_order(%ld): there are only orders 0 .. %ld", i,
                        world.n - 1);
    int status = aw_sleep(world.load_s[i]);
    if (status != AW_OK)
        return status;
    *order = order_of(i);
    return AW_OK;
}

/* Blocks whichever thread calls it -- may be a worker: touch no aw_* here. */
long render_invoice(long order)
{
    long i = (order - 7000) / 13;
    if (order < 7000 || (order - 7000) % 13 != 0 || i >= world.n)
        return 0;
    __atomic_add_fetch(&world.renders[i], 1, __ATOMIC_SEQ_CST);
    check_block(world.render_s[i]);
    return bytes_of(order);
}

int store_invoice(long i, long bytes)
{
    if (i < 0 || i >= world.n)
        return aw_raise(AW_EINVAL, "store_invoice(%ld): there are only invoices 0 .. %ld", i,
                        world.n - 1);
    int status = aw_sleep(world.store_s[i]);
    if (status != AW_OK)
        return status;
    world.stored[i] = bytes;
    return AW_OK;
}

/* A task that should beat every BEAT seconds; it notes its longest gap. */
static int heartbeat(void *arg, intptr_t *result)
{
    (void)arg;
    *result = 0;
    double last = aw_now();
    for (;;) {
        int status = aw_sleep(BEAT);
        if (aw_now() - last > world.longest_gap)
            world.longest_gap = aw_now() - last;
        last = aw_now();
        if (status != AW_OK)
            return status;
    }
}

static int drive(void *arg)
{
    (void)arg;
    aw_task *beats = aw_spawn(heartbeat, NULL, "heartbeat");
    int status = make_invoices(world.n, world.sizes);
    aw_cancel(beats);
    aw_await(beats);
    return status;
}

static void run_case(long n, double load, double render, double store)
{
    world.n = n;
    world.longest_gap = 0;
    double expected = 0, rendering = 0;
    for (long i = 0; i < n; i++) {
        world.load_s[i] = load + 0.05 * (double)(i % 4);
        world.render_s[i] = render + 0.1 * (double)(i % 3);
        world.store_s[i] = store + 0.02 * (double)(i % 5);
        world.renders[i] = 0;
        world.stored[i] = -1;
        world.sizes[i] = 0;
        rendering += world.render_s[i];
        if (world.load_s[i] + world.store_s[i] > expected)
            expected = world.load_s[i] + world.store_s[i];
    }
    check_case("%ld invoice%s, renders of %s%s", n, n == 1 ? "" : "s", check_seconds(render),
               n == 1 ? "" : " and more");
    int status = check_run(drive, NULL, 60.0);
    if (check_failed())
        goto done;
    if (status != AW_OK) {
        check_fail("make_invoices returned %d (%s); every step succeeds here, so it should "
                   "return AW_OK", status, aw_strerror(status));
        goto done;
    }
    double held;
    int blocking = check_blocking_steps(&held);
    if (blocking > 0) {
        check_fail("%d step%s held the loop, for %s in all (the renders take %s): no "
                   "other task ran meanwhile, and the heartbeat, due every %s, once waited "
                   "%s.", blocking, blocking == 1 ? "" : "s", check_seconds(held),
                   check_seconds(rendering), check_seconds(BEAT),
                   check_seconds(world.longest_gap));
        check_fail("render_invoice() blocks whichever thread calls it; called from a task, "
                   "that is the loop's. Hand it to a worker with aw_to_thread().");
        goto done;
    }
    int renders = 0;
    for (long i = 0; i < n; i++)
        renders += world.renders[i];
    if (renders == 0)
        check_fail("render_invoice() was never called: each invoice must be rendered, on a "
                   "worker thread -- aw_to_thread() with a thread function that calls it");
    for (long i = 0; i < n && !check_failed(); i++)
        if (world.renders[i] != 1)
            check_fail("order %ld of invoice %ld was rendered %d times; each invoice needs "
                       "exactly one render_invoice() call", (long)order_of(i), i,
                       world.renders[i]);
    for (long i = 0; i < n && !check_failed(); i++)
        if (world.stored[i] != bytes_of(order_of(i)))
            check_fail("store_invoice(%ld, ...) got %ld bytes, but render_invoice(%ld) "
                       "returned %ld: store the size the thread's job returned (aw_to_thread "
                       "puts it in *result)", i, world.stored[i], (long)order_of(i),
                       bytes_of(order_of(i)));
    for (long i = 0; i < n && !check_failed(); i++)
        if (world.sizes[i] != bytes_of(order_of(i)))
            check_fail("sizes[%ld] holds %ld; invoice %ld's PDF has %ld bytes", i,
                       (long)world.sizes[i], i, bytes_of(order_of(i)));
    if (!check_failed() && !check_near(check_elapsed(), expected))
        check_fail("the invoices took %s; with the renders off the loop, they should take "
                   "as long as the slowest load plus store, %s", check_seconds(check_elapsed()),
                   check_seconds(expected));
done:
    check_case_end();
}

void exercise_check(void)
{
    run_case(6, 0.2, 0.3, 0.1);
    run_case(11, 0.05, 0.5, 0.15);
    run_case(1, 0.1, 0.8, 0.05);
}
