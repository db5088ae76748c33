/*
 * sandbox_users.c -- user ids for sandboxed runs, leased with flock().
 *
 * A lease is an exclusive flock() on /run/lock/awaitlab-sandbox-UID.lock
 * (or under /tmp where /run/lock is missing).  The kernel drops it when the
 * process ends, however it ends, so a crashed grader never strands an id.
 */
#include "sandbox_users.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/file.h>
#include <unistd.h>

enum { FIRST_SANDBOX_UID = 61000, SANDBOX_UIDS = 1000 };

static const char *lock_dir(void)
{
    return access("/run/lock", W_OK) == 0 ? "/run/lock" : "/tmp";
}

/* Takes the lease on `uid` if nobody holds it; the descriptor stays open. */
static bool try_lease(unsigned uid)
{
    char path[128];
    snprintf(path, sizeof path, "%s/awaitlab-sandbox-%u.lock", lock_dir(), uid);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        return false;
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        close(fd);
        return false;
    }
    return true; /* held until exit: the descriptor is never closed */
}

bool ex_sandbox_users_lease(unsigned count, unsigned *uids)
{
    unsigned leased = 0;
    for (unsigned uid = FIRST_SANDBOX_UID;
         leased < count && uid < FIRST_SANDBOX_UID + SANDBOX_UIDS; uid++)
        if (try_lease(uid))
            uids[leased++] = uid;
    if (leased < count)
        errno = EAGAIN;
    return leased == count;
}
