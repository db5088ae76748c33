/*
 * Exercise render_on_thread -- chapter 10, complete the code.
 *
 * make_invoices() makes n invoices at once, one task each: load the order
 * (a database call that awaits), render it (render_invoice(), a CPU-heavy
 * library call that blocks its thread), and store the PDF (an upload that
 * awaits).  Run the rendering on a worker thread with aw_to_thread(), so
 * that it never holds the loop while the other invoices load and store.
 *
 * Lesson:   chapters/10_offloading.md#the-c-version-line-by-line
 * Check it: awaitlab check render_on_thread
 */
#include "awaitlab.h"

#include <stdlib.h>

/*
 * Given -- the check provides them.
 *
 * load_order(i, &order)    await db.load_order(i): sets the order's number
 * render_invoice(order)    render(order): blocks the calling thread while it
 *                          computes, returns the PDF's size in bytes.  An
 *                          ordinary function that knows nothing of tasks.
 * store_invoice(i, bytes)  await storage.put(i, pdf)
 */
int load_order(long i, intptr_t *order);
long render_invoice(long order);
int store_invoice(long i, long bytes);

/*
 * TODO: a thread function for aw_to_thread(): intptr_t fn(void *arg) that
 *       calls render_invoice() and returns its result.  It runs on a worker
 *       thread, so it must not call any aw_* function.  The order number
 *       fits in the pointer: (void *)(intptr_t)order, and back.
 */

/*
 * async def invoice(i):
 *     order = await load_order(i)
 *     size = await asyncio.to_thread(render_invoice, order)
 *     await store_invoice(i, size)
 *     return size
 */
static int invoice_task(void *arg, intptr_t *result)
{
    long i = (long)(intptr_t)arg;
    intptr_t order;
    int status = load_order(i, &order);
    if (status != AW_OK)
        return status;

    /* TODO: render the order on a worker thread (aw_to_thread), and give
     *       up with its status if that fails. */
    long bytes = 0;

    status = store_invoice(i, bytes);
    if (status != AW_OK)
        return status;
    *result = bytes;
    return AW_OK;
}

/*
 * sizes = await asyncio.gather(*(invoice(i) for i in range(n)))
 *
 * Returns AW_OK with invoice i's size in sizes[i], or the first failure.
 */
int make_invoices(long n, intptr_t *sizes)
{
    aw_task **tasks = calloc((size_t)n, sizeof *tasks);
    if (!tasks)
        return AW_ENOMEM;
    for (long i = 0; i < n; i++)
        tasks[i] = aw_spawn(invoice_task, (void *)(intptr_t)i, "invoice-%ld", i);
    int status = aw_gather(tasks, (size_t)n, 0);
    if (status == AW_OK)
        for (long i = 0; i < n; i++)
            sizes[i] = aw_task_value(tasks[i]);
    free(tasks);
    return status;
}
