/*
 * Check of receipt_never_awaited: every charged order's receipt is
 * delivered before checkout() returns.
 *
 * The payment service and the mail take the check's times per order, so
 * that in the buggy version some receipts are still in the mail when the
 * last card is charged -- which ones depends on the times.  The world
 * records what really happened: cards charged, receipts delivered (and
 * whether a receipt went out before its card was charged).  The batch must
 * also take no longer than the slowest charge-then-mail: receipts go out
 * as soon as their own card is charged, not after everybody's.
 */
#include "check.h"

#include <stdio.h>
#include <string.h>

int checkout(long n);

enum { MAX_ORDERS = 32 };

static struct {
    long n;
    double charge_s[MAX_ORDERS], mail_s[MAX_ORDERS];
    bool charged[MAX_ORDERS];
    int mailed[MAX_ORDERS];     /* receipts delivered, per order */
    long early;                 /* a receipt sent before its charge, or -1 */
} world;

int charge_card(long order)
{
    if (order < 0 || order >= world.n)
        return aw_raise(AW_EINVAL, "charge_card(%ld): there are only orders 0 .. %ld", order,
                        world.n - 1);
    int status = aw_sleep(world.charge_s[order]);
    if (status == AW_OK)
        world.charged[order] = true;
    return status;
}

int send_receipt(long order)
{
    if (order < 0 || order >= world.n)
        return aw_raise(AW_EINVAL, "send_receipt(%ld): there are only orders 0 .. %ld", order,
                        world.n - 1);
    if (!world.charged[order] && world.early < 0)
        world.early = order;
    int status = aw_sleep(world.mail_s[order]);
    if (status == AW_OK)
        world.mailed[order]++;
    return status;
}

static int drive(void *arg)
{
    (void)arg;
    return checkout(world.n);
}

static void judge(int status)
{
    if (status != AW_OK) {
        check_fail("checkout returned %d (%s); every order succeeds here, so it should return "
                   "AW_OK", status, aw_strerror(status));
        return;
    }
    long charged = 0, delivered = 0, twice = -1;
    double bound = 0;
    for (long i = 0; i < world.n; i++) {
        charged += world.charged[i];
        delivered += world.mailed[i] > 0;
        if (world.mailed[i] > 1 && twice < 0)
            twice = i;
        double done = world.charge_s[i] + world.mail_s[i];
        bound = done > bound ? done : bound;
    }
    if (charged != world.n) {
        check_fail("%ld orders should charge %ld cards; %ld were charged when checkout "
                   "returned", world.n, world.n, charged);
        return;
    }
    if (world.early >= 0) {
        check_fail("the receipt of order %ld went out before its card was charged: mail it "
                   "only once charge_card() has returned AW_OK", world.early);
        return;
    }
    if (twice >= 0) {
        check_fail("order %ld's customer got %d receipts; one each is enough", twice,
                   world.mailed[twice]);
        return;
    }
    if (delivered != world.n) {
        char running[400];
        int left = check_left_running(running, sizeof running);
        char got[64];
        if (delivered == 0)
            snprintf(got, sizeof got, "None of the %ld customers", world.n);
        else
            snprintf(got, sizeof got, "Only %ld of the %ld customers", delivered, world.n);
        check_fail("%s got a receipt. checkout() returned at %s, "
                   "as soon as the last card was charged; %d task%s still running then (%s), "
                   "and nobody was waiting for %s. When the main task ends, aw_run() "
                   "cancels every task still running, as asyncio.run() does: a task that is "
                   "never awaited may never finish.", got,
                   check_seconds(check_elapsed()), left, left == 1 ? " was" : "s were",
                   running, left == 1 ? "it" : "them");
        return;
    }
    double took = check_elapsed();
    if (took > bound + 1e-6)
        check_fail("Every receipt arrived, but checkout took %s: a receipt can go out as soon "
                   "as its own card is charged, so the slowest charge-then-mail, %s, is "
                   "enough. Are receipts waiting for each other, or for every card?",
                   check_seconds(took), check_seconds(bound));
}

static void run_case(const char *title, long n, const double *charge_s, const double *mail_s)
{
    memset(&world, 0, sizeof world);
    world.n = n;
    world.early = -1;
    double all = 0;
    for (long i = 0; i < n; i++) {
        world.charge_s[i] = charge_s[i];
        world.mail_s[i] = mail_s[i];
        all += charge_s[i] + mail_s[i];
    }
    check_case("%s", title);
    int status = check_run(drive, NULL, 2 * all + 1);
    if (!check_failed())
        judge(status);
    check_case_end();
}

void exercise_check(void)
{
    double charge[MAX_ORDERS], mail[MAX_ORDERS];
    for (int i = 0; i < 6; i++) {
        charge[i] = 0.3;
        mail[i] = 0.2;
    }
    run_case("6 orders: cards take 0.3 s, mail 0.2 s", 6, charge, mail);

    static const double charge9[] = {0.1, 0.8, 0.35, 0.6, 0.2, 0.7, 0.45, 0.15, 0.5};
    for (int i = 0; i < 9; i++)
        mail[i] = 0.25;
    run_case("9 orders: cards take 0.1 s to 0.8 s, mail 0.25 s", 9, charge9, mail);

    static const double charge4[] = {0.5, 0.5, 0.5, 0.5};
    static const double mail4[] = {1.2, 0.05, 0.8, 0.3};
    run_case("4 orders: cards take 0.5 s, mail 0.05 s to 1.2 s", 4, charge4, mail4);
}
