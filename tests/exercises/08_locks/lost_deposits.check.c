/*
 * Check of lost_deposits: every deposit's amount reaches the balance.
 *
 * The balance lives in the world's store, whose reads and writes each take
 * the check's time; the account does not start empty, and the amounts
 * differ.  The store notes, per task, what it read and what it then wrote
 * back, so it knows what each deposit meant to add; at the end the balance
 * must be the opening balance plus all of that.  It also notes how many
 * deposits were between their read and their write at once -- more than
 * one, and some write will be based on a stale reading.  In the last case
 * one read fails: that deposit must give up and let the others through.
 */
#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int deposit_all(long n, const long *amounts);

enum { MAX_DEPOSITS = 32, MAX_IDS = 256, STORE_DOWN = AW_EAPP - 7 };

/* The world of one case. */
static struct {
    long opening, balance;
    double read_s, write_s;
    int fail_read;           /* which read call fails (1-based), 0: none    */
    int reads;
    long read_value[MAX_IDS]; /* per task id: what it read, if it has       */
    bool between[MAX_IDS];    /* per task id: read, not yet written back     */
    int inside, max_inside;
    long meant;               /* sum of (written - read) over the writes    */
    int writes;
} world;

static uint32_t caller(void)
{
    uint32_t id = aw_task_id(aw_current());
    return id < MAX_IDS ? id : 0;
}

int read_balance(long *balance)
{
    int call = ++world.reads;
    int status = aw_sleep(world.read_s);
    if (status != AW_OK)
        return status;
    if (call == world.fail_read)
        return aw_raise(STORE_DOWN, "store: read timed out");
    uint32_t id = caller();
    world.read_value[id] = world.balance;
    if (!world.between[id]) {
        world.between[id] = true;
        if (++world.inside > world.max_inside)
            world.max_inside = world.inside;
    }
    *balance = world.balance;
    return AW_OK;
}

int write_balance(long balance)
{
    uint32_t id = caller();
    int status = aw_sleep(world.write_s);
    if (status != AW_OK)
        return status;
    if (world.between[id]) {
        world.between[id] = false;
        world.inside--;
        world.meant += balance - world.read_value[id];
    }
    world.balance = balance;
    world.writes++;
    return AW_OK;
}

typedef struct deposit_case {
    long n;
    long amounts[MAX_DEPOSITS];
} deposit_case;

static int drive(void *arg)
{
    deposit_case *c = arg;
    return deposit_all(c->n, c->amounts);
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

static void judge(const deposit_case *c, int status)
{
    long total = 0;
    for (long i = 0; i < c->n; i++)
        total += c->amounts[i];
    bool failing = world.fail_read > 0;
    if (failing && status != STORE_DOWN) {
        check_fail("one read of the balance fails here (\"store: read timed out\", code %d), "
                   "so deposit_all should return that code; it returned %d (%s)",
                   STORE_DOWN, status, aw_strerror(status));
        return;
    }
    if (!failing && status != AW_OK) {
        check_fail("deposit_all returned %d (%s); every deposit succeeds here, so it should "
                   "return AW_OK", status, aw_strerror(status));
        return;
    }
    long expected = world.opening + world.meant;
    long deposits = failing ? c->n - 1 : c->n;
    if (world.writes != deposits || (!failing && world.meant != total)) {
        check_fail("%ld deposits should each write the balance back once; the store saw %d "
                   "writes, which meant to add %ld in all (the deposits total %ld)", deposits,
                   world.writes, world.meant, total);
        return;
    }
    if (world.balance != expected) {
        long lost = expected - world.balance;
        check_fail("%ld deposits adding %ld to an account that held %ld should leave %ld; the "
                   "store ended at %ld, so %ld went missing. Up to %d deposits were between "
                   "their read and their write at the same time: each wrote back the balance "
                   "it had read, plus its amount, over the writes of the others. What keeps "
                   "a second deposit from reading the balance while one is between its read "
                   "and its write?", deposits, world.meant, world.opening, expected,
                   world.balance, lost, world.max_inside);
        return;
    }
}

static void run_case(long n, long opening, double read_s, double write_s, int fail_read)
{
    deposit_case c = {.n = n};
    memset(&world, 0, sizeof world);
    world.opening = world.balance = opening;
    world.read_s = read_s;
    world.write_s = write_s;
    world.fail_read = fail_read;
    for (long i = 0; i < n; i++)
        c.amounts[i] = 10 + 5 * ((i * 7) % 11);
    check_case("%ld deposits into an account holding %ld%s", n, opening,
               fail_read ? ", one read fails" : "");
    double limit = 3 * (double)n * (read_s + write_s) + 1;
    int status = check_run(drive, &c, limit);
    if (check_failed()) {
        if (check_elapsed() >= limit - 1e-6)
            describe_stuck(limit);
    } else {
        judge(&c, status);
    }
    check_case_end();
}

void exercise_check(void)
{
    run_case(20, 0, 0.05, 0.05, 0);
    run_case(7, 1000, 0.12, 0.03, 0);
    run_case(9, 250, 0.02, 0.04, 3);
}
