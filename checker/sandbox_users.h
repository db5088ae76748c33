/*
 * sandbox_users.h -- user ids for sandboxed runs, leased one per worker slot.
 *
 * Started as root, grading runs each slot's submissions under a user id of
 * its own, so that RLIMIT_NPROC (which counts every process of a user,
 * system-wide) bounds one student's fork bomb without touching anyone
 * else.  Two grading runs on one machine must not share those ids either:
 * a slot's user is emptied (every process killed) between runs.  So each id
 * is leased: an flock() on a small lock file, held until the process ends.
 */
#ifndef AWAITLAB_SANDBOX_USERS_H
#define AWAITLAB_SANDBOX_USERS_H

#include <stdbool.h>

/* Leases `count` unused ids from FIRST upwards into `uids`; false (with
 * errno) if fewer than `count` could be had among the first thousand. */
bool ex_sandbox_users_lease(unsigned count, unsigned *uids);

#endif
