/*
 * Check of lock_across_fetch: the slow price lookups overlap, and the
 * total still loses nothing.
 *
 * The pricing service takes the check's time per item; the ledger's read
 * and write are quick.  The world judges three things: the total at the end
 * (the opening total plus every price -- a lock removed altogether loses
 * updates), whether any lookup was made while its task held a lock (found
 * from the lock lines of the trace), and the time: the lookups side by side
 * plus the ledger updates one after another.
 */
#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int add_orders(long n);

enum { MAX_ORDERS = 32 };

/* The world of one case. */
static struct {
    long n;
    double fetch_s[MAX_ORDERS], read_s, write_s;
    long opening, total;
    long fetched;              /* lookups made                          */
    char held_name[40];        /* the first lookup made holding a lock:  */
    char held_by[40];          /* which lock, and which task             */
    long held_item;
} world;

static long price_of(long item)
{
    return 100 + 13 * item;
}

/* The lock the running task holds, from the trace's lock lines, or NULL. */
static const char *lock_held_by_caller(void)
{
    size_t n;
    const aw_trace_event *e = aw_trace_events(&n);
    uint32_t self = aw_task_id(aw_current());
    enum { MAX_LOCKS = 8 };
    const char *names[MAX_LOCKS];
    uint32_t owners[MAX_LOCKS];
    int locks = 0;
    for (size_t i = 0; i < n; i++) {
        if (e[i].kind != AW_EV_RESOURCE || !e[i].text || strcmp(e[i].text, "lock") != 0 ||
            !e[i].name)
            continue;
        int k = 0;
        while (k < locks && strcmp(names[k], e[i].name) != 0)
            k++;
        if (k == locks) {
            if (locks == MAX_LOCKS)
                continue;
            names[locks++] = e[i].name;
        }
        owners[k] = e[i].other;
    }
    for (int k = 0; k < locks; k++)
        if (owners[k] == self)
            return names[k];
    return NULL;
}

int fetch_price(long item, long *price)
{
    if (item < 0 || item >= world.n)
        return aw_raise(AW_EINVAL, "fetch_price(%ld): there are only items 0 .. %ld", item,
                        world.n - 1);
    const char *held = lock_held_by_caller();
    if (held && !world.held_name[0]) {
        snprintf(world.held_name, sizeof world.held_name, "%s", held);
        snprintf(world.held_by, sizeof world.held_by, "%s", aw_task_name(aw_current()));
        world.held_item = item;
    }
    world.fetched++;
    int status = aw_sleep(world.fetch_s[item]);
    if (status == AW_OK)
        *price = price_of(item);
    return status;
}

int read_total(long *total)
{
    int status = aw_sleep(world.read_s);
    if (status == AW_OK)
        *total = world.total;
    return status;
}

int write_total(long total)
{
    int status = aw_sleep(world.write_s);
    if (status == AW_OK)
        world.total = total;
    return status;
}

static int drive(void *arg)
{
    (void)arg;
    return add_orders(world.n);
}

/*
 * Who was stuck, and on what: a case that runs past its limit is nearly
 * always tasks waiting for something nobody will do.  This replays the
 * trace up to `before_s` and adds one line per thing waited on, e.g.
 * "deposit-1, deposit-3 were waiting on lock 'account', held by deposit-0,
 * which had already finished".  (Tasks that were sleeping are left out.)
 * Returns true if some lock was held by a task that had finished.
 */
static bool describe_stuck(double before_s)
{
    bool orphaned = false;
    size_t n;
    const aw_trace_event *e = aw_trace_events(&n);
    uint32_t max_id = 0;
    for (size_t i = 0; i < n; i++)
        if (e[i].task > max_id)
            max_id = e[i].task;
    typedef struct stuck_task {
        const char *name, *on, *resource;
        bool done;
    } stuck_task;
    stuck_task *t = calloc((size_t)max_id + 1, sizeof *t);
    if (!t)
        return false;
    int64_t before_ns = (int64_t)(before_s * 1e9) - 1;
    for (size_t i = 0; i < n && e[i].t_ns < before_ns; i++) {
        stuck_task *s = &t[e[i].task];
        switch (e[i].kind) {
        case AW_EV_SPAWN:
            s->name = e[i].text;
            break;
        case AW_EV_WAIT:
            s->on = e[i].text;
            s->resource = e[i].name;
            break;
        case AW_EV_WAKE:
        case AW_EV_RUN:
            s->on = NULL;
            break;
        case AW_EV_DONE:
            s->on = NULL;
            s->done = true;
            break;
        default:
            break;
        }
    }
    for (uint32_t id = 2; id <= max_id; id++) {
        if (!t[id].on || !t[id].resource || strcmp(t[id].on, "sleep") == 0)
            continue;
        const char *on = t[id].on, *resource = t[id].resource;
        char names[240] = "";
        int count = 0;
        for (uint32_t other = id; other <= max_id; other++) {
            if (!t[other].on || !t[other].resource || strcmp(t[other].on, on) != 0 ||
                strcmp(t[other].resource, resource) != 0)
                continue;
            size_t used = strlen(names);
            if (count < 6 && used + 40 < sizeof names)
                snprintf(names + used, sizeof names - used, "%s%s", count ? ", " : "",
                         t[other].name ? t[other].name : "?");
            count++;
            if (other != id)
                t[other].on = NULL; /* reported with this group */
        }
        char more[32] = "";
        if (count > 6)
            snprintf(more, sizeof more, " and %d more", count - 6);
        /* The owner of a lock, from its last resource line. */
        char held[120] = "";
        if (strcmp(on, "lock") == 0)
            for (size_t i = 0; i < n && e[i].t_ns < before_ns; i++)
                if (e[i].kind == AW_EV_RESOURCE && e[i].name && strcmp(e[i].name, resource) == 0)
                    snprintf(held, sizeof held, e[i].other && e[i].other <= max_id
                             ? ", held by %s%s" : "%s%s",
                             e[i].other && e[i].other <= max_id && t[e[i].other].name
                                 ? t[e[i].other].name : "",
                             e[i].other && e[i].other <= max_id && t[e[i].other].done
                                 ? ", which had already finished without releasing it" : "");
        if (strstr(held, "without releasing"))
            orphaned = true;
        check_fail("%s%s %s waiting on %s '%s'%s", names, more, count == 1 ? "was" : "were", on,
                   resource, held);
    }
    free(t);
    return orphaned;
}

static void judge(int status)
{
    if (status != AW_OK) {
        check_fail("add_orders returned %d (%s); every order succeeds here, so it should "
                   "return AW_OK", status, aw_strerror(status));
        return;
    }
    long prices = 0;
    double slowest = 0, lookups = 0, ledger = (double)world.n * (world.read_s + world.write_s);
    for (long i = 0; i < world.n; i++) {
        prices += price_of(i);
        lookups += world.fetch_s[i];
        if (world.fetch_s[i] > slowest)
            slowest = world.fetch_s[i];
    }
    if (world.fetched != world.n) {
        check_fail("%ld orders should look up %ld prices; yours looked up %ld", world.n,
                   world.n, world.fetched);
        return;
    }
    long expected = world.opening + prices;
    if (world.total != expected) {
        check_fail("the total should end at %ld (%ld, plus %ld orders worth %ld); it ended at "
                   "%ld: %ld was lost. Between an order's read of the total and its write, "
                   "another order read the same old total. The lock is still needed -- "
                   "around what, exactly?", expected, world.opening, world.n, prices,
                   world.total, expected - world.total);
        return;
    }
    double took = check_elapsed(), bound = slowest + ledger;
    if (world.held_name[0]) {
        check_fail("%s looked up the price of item %ld while holding lock '%s': for all "
                   "%s of the lookup, no other order could go on. %ld orders took %s; "
                   "side by side, the lookups take %s, and the %ld ledger updates one at a "
                   "time %s more.", world.held_by, world.held_item, world.held_name,
                   check_seconds(world.fetch_s[world.held_item]), world.n,
                   check_seconds(took), check_seconds(slowest), world.n,
                   check_seconds(ledger));
        return;
    }
    if (took > bound + 1e-6)
        check_fail("%ld orders took %s; side by side, the lookups take %s (%s one after "
                   "another), and the %ld ledger updates one at a time %s more: it should "
                   "take at most %s", world.n, check_seconds(took), check_seconds(slowest),
                   check_seconds(lookups), world.n, check_seconds(ledger),
                   check_seconds(bound));
}

static void run_case(long n, long opening, double read_s, double write_s, const double *fetch_s)
{
    memset(&world, 0, sizeof world);
    world.n = n;
    world.opening = world.total = opening;
    world.read_s = read_s;
    world.write_s = write_s;
    double all = 0, fastest = fetch_s[0], slowest = fetch_s[0];
    for (long i = 0; i < n; i++) {
        world.fetch_s[i] = fetch_s[i];
        all += fetch_s[i] + read_s + write_s;
        fastest = fetch_s[i] < fastest ? fetch_s[i] : fastest;
        slowest = fetch_s[i] > slowest ? fetch_s[i] : slowest;
    }
    if (check_near(fastest, slowest))
        check_case("%ld orders, lookups of %s each", n, check_seconds(slowest));
    else
        check_case("%ld orders, lookups of %s to %s", n, check_seconds(fastest),
                   check_seconds(slowest));
    double limit = 2 * all + 1;
    int status = check_run(drive, NULL, limit);
    if (check_failed()) {
        if (check_elapsed() >= limit - 1e-6)
            describe_stuck(limit);
    } else {
        judge(status);
    }
    check_case_end();
}

void exercise_check(void)
{
    double ten[10];
    for (int i = 0; i < 10; i++)
        ten[i] = 0.5;
    run_case(10, 0, 0.01, 0.01, ten);

    static const double six[] = {0.3, 0.9, 0.45, 0.6, 0.31, 0.8};
    run_case(6, 1200, 0.02, 0.03, six);

    double fifteen[15];
    for (int i = 0; i < 15; i++)
        fifteen[i] = 0.2 + 0.01 * (i % 7);
    run_case(15, 75, 0.005, 0.015, fifteen);
}
