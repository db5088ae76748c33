/*
 * Exercise transfer_in_order -- chapter 08, complete the code.
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
    /* TODO: pick the two locks in the one global order: `first` is the
     *       lock of the lower-numbered account, `second` the other one. */
    aw_lock *first = account_lock(from), *second = account_lock(to);
    (void)first;
    (void)second;

    /* TODO: take first, then second, with aw_lock_acquire (give up if it
     *       does not return AW_OK); move the money while holding both;
     *       then release them in reverse order -- each one only if it was
     *       taken, and also when move_money failed. */
    int status = move_money(from, to, amount);
    return status;
}
