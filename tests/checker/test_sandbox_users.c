/*
 * test_sandbox_users.c -- two grading runs never share a sandbox user id.
 *
 * A grading run as root gives each worker slot a user id of its own and
 * kills every process of that id between runs.  Were two runs on one
 * machine to share an id, one would kill the other's students.  The ids
 * are leased with flock(): here a second process, leasing while the first
 * holds its ids, must get others.
 */
#include "sandbox_users.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

/* Leases `count` ids in a child process and reads them back through a pipe;
 * the child ends, and its leases with it. */
static void lease_in_another_process(unsigned count, unsigned *uids)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        unsigned got[8] = {0};
        bool ok = ex_sandbox_users_lease(count, got);
        ssize_t n = ok ? write(fds[1], got, count * sizeof *got) : 0;
        _exit(n == (ssize_t)(count * sizeof *got) ? 0 : 1);
    }
    close(fds[1]);
    ssize_t n = read(fds[0], uids, count * sizeof *uids);
    close(fds[0]);
    int status;
    waitpid(pid, &status, 0);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    assert_int_equal(n, (ssize_t)(count * sizeof *uids));
}

static void test_a_second_run_leases_other_ids(void **state)
{
    (void)state;
    unsigned mine[2], theirs[2];
    assert_true(ex_sandbox_users_lease(2, mine));
    assert_int_not_equal(mine[0], mine[1]);
    assert_true(mine[0] >= 61000 && mine[1] >= 61000); /* never a system user */
    lease_in_another_process(2, theirs);
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++)
            assert_int_not_equal(mine[i], theirs[j]);
}

static void test_ids_come_back_when_their_holder_ends(void **state)
{
    (void)state;
    unsigned first[1], again[1];
    lease_in_another_process(1, first);
    lease_in_another_process(1, again);
    assert_int_equal(first[0], again[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ids_come_back_when_their_holder_ends),
        cmocka_unit_test(test_a_second_run_leases_other_ids),
    };
    return cmocka_run_group_tests_name("sandbox users", tests, NULL, NULL);
}
