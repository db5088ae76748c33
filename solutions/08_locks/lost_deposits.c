/*
 * Exercise lost_deposits -- chapter 08, fix the bug.  A solution.
 *
 * deposit_all() pays n amounts into one account, all at once.  The balance
 * lives in a remote store: a deposit reads it, adds its amount and writes
 * it back.  Every deposit reports success, but the money does not add up:
 * twenty deposits of 10 into an empty account leave a balance of 10, not
 * 200.  Find out why, and fix it, so that no deposit is ever lost.
 *
 * Lesson:   chapters/08_locks.md#the-c-version-line-by-line
 * Check it: awaitlab check lost_deposits
 */
#include "awaitlab.h"

#include <stdlib.h>

/*
 * Given -- the check provides them: the account's balance in the remote
 * store.  Each call is a round trip that takes a while (the check decides)
 * and may fail.  In Python: `balance = await read_balance()`,
 * `await write_balance(balance)`.
 */
int read_balance(long *balance);
int write_balance(long balance);

/* One deposit at a time between its read and its write. */
static aw_lock account_lock;

/*
 * async def deposit(amount):
 *     async with account_lock:
 *         balance = await read_balance()
 *         await write_balance(balance + amount)
 *
 * Both round trips are awaits, so without the lock every other deposit
 * could read the same old balance in between, and the last to write back
 * would wipe out the others.
 */
static int deposit(long amount)
{
    int status = aw_lock_acquire(&account_lock);
    if (status != AW_OK)
        return status;
    long balance;
    status = read_balance(&balance);
    if (status == AW_OK)
        status = write_balance(balance + amount);
    aw_lock_release(&account_lock); /* on every path, failed or not */
    return status;
}

/* The body of one deposit task; arg points at its amount. */
static int deposit_task(void *arg, intptr_t *result)
{
    (void)result;
    return deposit(*(const long *)arg);
}

/*
 * tasks = [asyncio.create_task(deposit(a), name=f"deposit-{i}")
 *          for i, a in enumerate(amounts)]
 * results = await asyncio.gather(*tasks, return_exceptions=True)
 *
 * Returns AW_OK if every deposit went through, else the status of the
 * first one (in argument order) that failed.
 */
int deposit_all(long n, const long *amounts)
{
    aw_lock_init(&account_lock, "account");
    aw_task **tasks = calloc((size_t)n, sizeof *tasks);
    if (!tasks)
        return AW_ENOMEM;
    for (long i = 0; i < n; i++)
        tasks[i] = aw_spawn(deposit_task, (void *)&amounts[i], "deposit-%ld", i);
    int status = aw_gather(tasks, (size_t)n, AW_RETURN_EXCEPTIONS);
    for (long i = 0; i < n && status == AW_OK; i++)
        if (aw_task_state_of(tasks[i]) != AW_TASK_OK)
            status = aw_task_state_of(tasks[i]) == AW_TASK_CANCELLED
                         ? AW_ECANCELLED : aw_task_error(tasks[i])->code;
    free(tasks);
    return status;
}
