/*
 * Exercise lock_across_fetch -- chapter 08, fix the bug.  A solution.
 *
 * add_orders() books n orders at once.  Each order looks up its price from
 * a slow pricing service, then adds it to the day's total, which lives in a
 * remote ledger (read, then write back).  The total comes out right, but
 * ten orders take ten price lookups' time where one lookup's should do:
 * the timeline is a staircase, one order at a time.  Make the orders
 * overlap again -- without losing a single update to the total.
 *
 * Lesson:   chapters/08_locks.md#common-mistakes
 * Check it: awaitlab check lock_across_fetch
 */
#include "awaitlab.h"

#include <stdlib.h>

/*
 * Given -- the check provides them.  fetch_price() asks the pricing
 * service (slow: the check decides how slow); read_total() and
 * write_total() are quick round trips to the ledger.  In Python:
 * `price = await fetch_price(item)`, `total = await read_total()`,
 * `await write_total(total)`.
 */
int fetch_price(long item, long *price);
int read_total(long *total);
int write_total(long total);

static aw_lock ledger_lock; /* one order at a time between read and write */

/*
 * async def add_order(item):
 *     price = await fetch_price(item)       # no lock: nothing shared yet
 *     async with ledger_lock:
 *         total = await read_total()
 *         await write_total(total + price)
 *
 * The lock guards only what is shared, the total's read and write.  The
 * price lookup touches nothing shared, so it happens before the lock is
 * taken, and every order's lookup can run at the same time.
 */
static int add_order(long item)
{
    long price, total;
    int status = fetch_price(item, &price);
    if (status != AW_OK)
        return status;

    status = aw_lock_acquire(&ledger_lock);
    if (status != AW_OK)
        return status;
    status = read_total(&total);
    if (status == AW_OK)
        status = write_total(total + price);
    aw_lock_release(&ledger_lock);
    return status;
}

/* The body of one order's task; arg is the item number. */
static int order_task(void *arg, intptr_t *result)
{
    (void)result;
    return add_order((long)(intptr_t)arg);
}

/*
 * await asyncio.gather(*(asyncio.create_task(add_order(i), name=f"order-{i}")
 *                        for i in range(n)))
 *
 * Returns AW_OK, or the status of the first order that failed.
 */
int add_orders(long n)
{
    aw_lock_init(&ledger_lock, "ledger");
    aw_task **tasks = calloc((size_t)n, sizeof *tasks);
    if (!tasks)
        return AW_ENOMEM;
    for (long i = 0; i < n; i++)
        tasks[i] = aw_spawn(order_task, (void *)(intptr_t)i, "order-%ld", i);
    int status = aw_gather(tasks, (size_t)n, 0);
    free(tasks);
    return status;
}
