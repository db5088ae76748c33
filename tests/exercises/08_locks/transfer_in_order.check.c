/*
 * Check of transfer_in_order: transfers in every direction at once never
 * deadlock, always hold both locks while money moves, and free them on
 * every path.
 *
 * The accounts and their locks are the world's.  move_money() checks, from
 * the lock lines of the trace, that the calling task holds both accounts'
 * locks and took the lower-numbered one first -- an order that only
 * happened not to deadlock this time is still caught.  The cases: two
 * transfers in opposite directions queued behind a third (taking the
 * payer's lock first deadlocks there), a ring of five, and one transfer
 * that fails for lack of funds while others wait for its accounts.  A deadlock shows as the case running out of time; the message
 * then says who held which lock and waited for which.
 */
#include "check.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int transfer(long from, long to, long amount);

enum { MAX_ACCOUNTS = 8, MAX_TRANSFERS = 8, INSUFFICIENT = AW_EAPP - 3 };

typedef struct planned {
    long from, to, amount;
    double start_s;        /* when it begins                          */
    bool fails;            /* the amount is more than there could be  */
} planned;

/* The world of one case. */
static struct {
    long accounts;
    aw_lock locks[MAX_ACCOUNTS];
    char lock_names[MAX_ACCOUNTS][32];
    long balance[MAX_ACCOUNTS];
    double move_s;
    char problem[300];     /* the first thing move_money() found wrong */
} world;

aw_lock *account_lock(long account)
{
    if (account < 0 || account >= world.accounts)
        return NULL;
    return &world.locks[account];
}

/* Where, in the trace, the caller's current hold on lock `name` began;
 * -1 if it does not hold it. */
static long held_since(const char *name)
{
    size_t n;
    const aw_trace_event *e = aw_trace_events(&n);
    uint32_t self = aw_task_id(aw_current());
    long since = -1;
    for (size_t i = 0; i < n; i++) {
        if (e[i].kind != AW_EV_RESOURCE || !e[i].text || strcmp(e[i].text, "lock") != 0 ||
            !e[i].name || strcmp(e[i].name, name) != 0)
            continue;
        if (e[i].other != self)
            since = -1;
        else if (since < 0)
            since = (long)i;
    }
    return since;
}

static void problem(const char *format, ...) __attribute__((format(printf, 1, 2)));
static void problem(const char *format, ...)
{
    if (world.problem[0])
        return;
    va_list ap;
    va_start(ap, format);
    vsnprintf(world.problem, sizeof world.problem, format, ap);
    va_end(ap);
}

int move_money(long from, long to, long amount)
{
    const char *me = aw_task_name(aw_current());
    if (from < 0 || from >= world.accounts || to < 0 || to >= world.accounts || from == to)
        return aw_raise(AW_EINVAL, "move_money(%ld, %ld): accounts are 0 .. %ld, and two "
                        "different ones", from, to, world.accounts - 1);
    long low = from < to ? from : to, high = from < to ? to : from;
    long low_since = held_since(world.lock_names[low]);
    long high_since = held_since(world.lock_names[high]);
    if (low_since < 0 || high_since < 0)
        problem("%s moved money from account %ld to account %ld without holding %s%s%s: "
                "another transfer could change those balances at the same time",
                me, from, to, low_since < 0 ? world.lock_names[low] : "",
                low_since < 0 && high_since < 0 ? " and " : "",
                high_since < 0 ? world.lock_names[high] : "");
    else if (high_since < low_since)
        problem("%s took %s before %s. It did not deadlock this time, but a transfer the "
                "other way takes them the other way round: each can end up holding one and "
                "waiting for the other. Take the lower-numbered account's lock first, "
                "whichever way the money goes.", me, world.lock_names[high],
                world.lock_names[low]);
    int status = aw_sleep(world.move_s);
    if (status != AW_OK)
        return status;
    if (world.balance[from] < amount)
        return aw_raise(INSUFFICIENT, "account %ld holds %ld, too little to pay %ld", from,
                        world.balance[from], amount);
    world.balance[from] -= amount;
    world.balance[to] += amount;
    return AW_OK;
}

typedef struct transfer_case {
    int count;
    planned plan[MAX_TRANSFERS];
} transfer_case;

/* One planned transfer, as its own task: wait for its moment, then go. */
static int transfer_task(void *arg, intptr_t *result)
{
    const planned *p = arg;
    *result = 0;
    int status = aw_sleep(p->start_s);
    if (status != AW_OK)
        return status;
    return transfer(p->from, p->to, p->amount);
}

static int drive(void *arg)
{
    transfer_case *c = arg;
    aw_task *tasks[MAX_TRANSFERS];
    for (int k = 0; k < c->count; k++)
        tasks[k] = aw_spawn(transfer_task, &c->plan[k], "transfer-%d", k);
    return aw_gather(tasks, (size_t)c->count, AW_RETURN_EXCEPTIONS);
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

static void judge(const transfer_case *c, const long *expected)
{
    if (world.problem[0]) {
        check_fail("%s", world.problem);
        return;
    }
    for (int k = 0; k < c->count; k++) {
        char name[32];
        snprintf(name, sizeof name, "transfer-%d", k);
        check_task_info t = check_task(name);
        const planned *p = &c->plan[k];
        if (p->fails && (t.outcome != CHECK_ERROR || t.code != INSUFFICIENT)) {
            check_fail("%s (%ld from account %ld to account %ld) cannot be paid: move_money "
                       "fails with code %d, and transfer() should return that code; %s",
                       name, p->amount, p->from, p->to, INSUFFICIENT,
                       t.outcome == CHECK_OK ? "yours returned AW_OK" : "yours did not");
            return;
        }
        if (!p->fails && t.outcome != CHECK_OK) {
            check_fail("%s (%ld from account %ld to account %ld) should succeed; it ended %s "
                       "(code %d)", name, p->amount, p->from, p->to,
                       t.outcome == CHECK_CANCELLED ? "cancelled" : "with an error", t.code);
            return;
        }
    }
    for (long a = 0; a < world.accounts; a++)
        if (world.balance[a] != expected[a]) {
            check_fail("account %ld should end with %ld; it holds %ld", a, expected[a],
                       world.balance[a]);
            return;
        }
}

static void run_case(const char *title, long accounts, double move_s, int count,
                     const planned *plan)
{
    transfer_case c = {.count = count};
    memset(&world, 0, sizeof world);
    world.accounts = accounts;
    world.move_s = move_s;
    long expected[MAX_ACCOUNTS];
    for (long a = 0; a < accounts; a++) {
        snprintf(world.lock_names[a], sizeof world.lock_names[a], "account-%ld", a);
        aw_lock_init(&world.locks[a], world.lock_names[a]);
        world.balance[a] = expected[a] = 300 + 100 * a;
    }
    double last = 0;
    for (int k = 0; k < count; k++) {
        c.plan[k] = plan[k];
        if (!plan[k].fails) {
            expected[plan[k].from] -= plan[k].amount;
            expected[plan[k].to] += plan[k].amount;
        }
        last = plan[k].start_s > last ? plan[k].start_s : last;
    }
    check_case("%s", title);
    double limit = last + 4 * count * move_s + 1;
    check_run(drive, &c, limit);
    if (check_failed()) {
        if (check_elapsed() >= limit - 1e-6) {
            if (!describe_stuck(limit))
                check_fail("A transfer that holds one lock and waits for another, held by "
                           "a transfer waiting for the first, waits forever. In what order "
                           "does each transfer take its two locks?");
        }
    } else {
        judge(&c, expected);
    }
    check_case_end();
}

void exercise_check(void)
{
    static const planned crossing[] = {
        {.from = 1, .to = 2, .amount = 30},
        {.from = 1, .to = 0, .amount = 20},
        {.from = 0, .to = 1, .amount = 50},
    };
    run_case("three transfers at once, two of them between the same accounts, opposite ways",
             3, 0.2, 3, crossing);

    static const planned ring[] = {
        {.from = 0, .to = 1, .amount = 10}, {.from = 1, .to = 2, .amount = 20},
        {.from = 2, .to = 3, .amount = 30}, {.from = 3, .to = 4, .amount = 40},
        {.from = 4, .to = 0, .amount = 50},
    };
    run_case("a ring of five transfers, each account paying the next", 5, 0.1, 5, ring);

    static const planned failing[] = {
        {.from = 3, .to = 1, .amount = 100000, .fails = true},
        {.from = 1, .to = 3, .amount = 25, .start_s = 0.05},
        {.from = 0, .to = 2, .amount = 60},
        {.from = 3, .to = 0, .amount = 15, .start_s = 0.3},
        {.from = 2, .to = 1, .amount = 5, .start_s = 0.1},
    };
    run_case("one transfer fails for lack of funds while others wait for its accounts", 4,
             0.15, 5, failing);
}
