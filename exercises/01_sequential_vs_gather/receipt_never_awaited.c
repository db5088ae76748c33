/*
 * Exercise receipt_never_awaited -- chapter 01, fix the bug.
 *
 * checkout() charges n orders at once; once an order's card is charged,
 * its receipt is mailed to the customer.  Every card is charged, and
 * checkout() returns AW_OK -- but some customers never get a receipt, and
 * which ones changes with how slow the mail is.  Make sure every customer
 * whose card was charged gets a receipt before checkout() returns.
 *
 * Lesson:   chapters/01_sequential_vs_gather.md#common-mistakes
 * Check it: awaitlab check receipt_never_awaited
 */
#include "awaitlab.h"

#include <stdlib.h>

/*
 * Given -- the check provides them: charge_card() asks the payment service
 * to charge one order's card, send_receipt() mails its receipt.  Both sleep
 * as long as the service takes (the check decides how long).  In Python:
 * `await charge_card(order)`, `await send_receipt(order)`.
 */
int charge_card(long order);
int send_receipt(long order);

/* The body of a receipt's task; arg is the order number. */
static int receipt_task(void *arg, intptr_t *result)
{
    (void)result;
    return send_receipt((long)(intptr_t)arg);
}

/*
 * async def place_order(order):
 *     await charge_card(order)
 *     asyncio.create_task(send_receipt(order), name=f"receipt-{order}")
 *     return order
 */
static int order_task(void *arg, intptr_t *result)
{
    long order = (long)(intptr_t)arg;
    int status = charge_card(order);
    if (status != AW_OK)
        return status;
    /* The customer need not wait for the mail: send it on the side. */
    if (!aw_spawn(receipt_task, arg, "receipt-%ld", order))
        return AW_ENOMEM;
    *result = order;
    return AW_OK;
}

/*
 * await asyncio.gather(*(place_order(i) for i in range(n)))
 *
 * Returns AW_OK, or the status of the first order that failed.
 */
int checkout(long n)
{
    aw_task **orders = calloc((size_t)n, sizeof *orders);
    if (!orders)
        return AW_ENOMEM;
    for (long i = 0; i < n; i++)
        orders[i] = aw_spawn(order_task, (void *)(intptr_t)i, "order-%ld", i);
    int status = aw_gather(orders, (size_t)n, 0);
    free(orders);
    return status;
}
