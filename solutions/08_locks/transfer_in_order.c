/*
 * Exercise transfer_in_order -- chapter 08, complete the code.  A solution.
 *
 * transfer() moves money between two accounts, each guarded by its own
 * lock, and many transfers run at once, in both directions.  Hold both
 * accounts' locks while the money moves, take them in one fixed order --
 * the lower-numbered account first, whichever way the money goes -- so
 * that two transfers can never wait for each other, and release both on
 * every path, also when the move fails.
 *
 * Lesson:   chapters/08_locks.md#common-mistakes
 * Check it: awaitlab check transfer_in_order
 */
#include "awaitlab.h"

/*
 * Given -- the check provides them.  account_lock(a) is the lock of
 * account a.  move_money() moves the amount (it takes a while: the check
 * decides) and fails, moving nothing, when the account paying has too
 * little; the caller must hold both accounts' locks.  In Python:
 * `await move_money(src, dst, amount)`.
 */
aw_lock *account_lock(long account);
int move_money(long from, long to, long amount);

/*
 * async def transfer(src, dst, amount):
 *     first, second = sorted((src, dst))
 *     async with account_lock(first):
 *         async with account_lock(second):
 *             await move_money(src, dst, amount)
 *
 * `from` and `to` differ.  Returns move_money's status, or AW_ECANCELLED if
 * cancelled while waiting for a lock.
 */
int transfer(long from, long to, long amount)
{
    /* One global order, by account number: a transfer from 3 to 1 and one
     * from 1 to 3 both want account 1 first, so whoever gets it can always
     * get account 3 too. */
    long low = from < to ? from : to, high = from < to ? to : from;
    aw_lock *first = account_lock(low), *second = account_lock(high);

    int status = aw_lock_acquire(first);
    if (status != AW_OK)
        return status;
    status = aw_lock_acquire(second);
    if (status == AW_OK) {
        status = move_money(from, to, amount);
        aw_lock_release(second);
    }
    aw_lock_release(first); /* in reverse order, each only if it was taken */
    return status;
}
