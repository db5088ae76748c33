/*
 * Chapter 08 -- locks: read, await, write.
 *
 * n tasks each add one to a shared counter the way real code often does it:
 * read the value, await something (a database round trip; here a sleep of
 * `delay`), write the value plus one back.  Five sections:
 *
 *   unlocked    no lock: every task reads 0 before any task writes, so the
 *               counter ends at exactly 1 -- not "somewhere below n".
 *   locked      the same increments under a lock: the counter ends at n.
 *   fairness    three tasks take the lock twice each.  They get it in the
 *               order they asked, and a task that releases the lock and asks
 *               again at once goes to the back of the line.
 *   deadlock    two transfers take two locks in opposite orders and wait for
 *               each other forever; a timeout catches it.
 *   lock_order  the fix: both transfers take the locks in the same order.
 *
 * The Python twin is 08_locks.py; the lesson is the .md.
 */
#include "awaitlab.h"
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { FAIR_TASKS = 3, FAIR_ROUNDS = 2 };

static long n = 100;
static double delay = 0.01;
static double timeout = 0.5;

static const lab_param params[] = {
    LAB_INT("n", &n, 1, 100000, "how many tasks increment the counter"),
    LAB_SECONDS("delay", &delay, 0, 3600, "seconds each task awaits while it holds a value or a lock"),
    LAB_SECONDS("timeout", &timeout, 0.001, 3600, "seconds before giving up on the deadlock"),
    LAB_END,
};

/* ----------------------------------------------------------------------- */
/* unlocked and locked: read, await, write                                  */
/* ----------------------------------------------------------------------- */

static long counter;
static long reads_of_zero; /* how many tasks read 0                        */
static long inside;        /* tasks between their read and their write     */
static long max_inside;

static aw_lock counter_lock;

/*
 * async def read_await_write():
 *     global counter
 *     value = counter               # read
 *     await asyncio.sleep(delay)    # a database round trip, say
 *     counter = value + 1           # write
 *
 * (plus the bookkeeping for the report: who read 0, how many were between
 * their read and their write at once)
 */
static int read_await_write(void)
{
    long value = counter;
    reads_of_zero += value == 0;
    if (++inside > max_inside)
        max_inside = inside;

    int status = aw_sleep(delay);
    inside--;
    if (status != AW_OK)
        return status;
    counter = value + 1;
    return AW_OK;
}

/* async def increment_unlocked(): await read_await_write() */
static int increment_unlocked(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    return read_await_write();
}

/*
 * async def increment_locked():
 *     async with lock:
 *         await read_await_write()
 */
static int increment_locked(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    int status = aw_lock_acquire(&counter_lock);
    if (status != AW_OK)
        return status;
    status = read_await_write();
    aw_lock_release(&counter_lock);
    return status;
}

/*
 * counter = 0
 * await asyncio.gather(*(asyncio.create_task(increment(), name=f"inc-{i}")
 *                        for i in range(n)))
 */
static int run_increments(aw_fn increment)
{
    counter = reads_of_zero = inside = max_inside = 0;
    aw_task **tasks = calloc((size_t)n, sizeof *tasks);
    if (!tasks)
        return AW_ENOMEM;
    for (long i = 0; i < n; i++)
        tasks[i] = aw_spawn(increment, NULL, "inc-%ld", i);
    int status = aw_gather(tasks, (size_t)n, 0);
    free(tasks);
    if (status != AW_OK)
        return status;

    lab_value_int("counter", counter);
    lab_value_int("expected", n);
    lab_value_int("reads_of_zero", reads_of_zero);
    lab_value_int("lost_updates", n - counter);
    lab_value_int("max_inside", max_inside);
    lab_say("counter = %ld after %ld increments: %ld lost", counter, n, n - counter);
    lab_say("tasks that read 0: %ld; most tasks between read and write at once: %ld",
            reads_of_zero, max_inside);
    return AW_OK;
}

/* ----------------------------------------------------------------------- */
/* fairness                                                                  */
/* ----------------------------------------------------------------------- */

static aw_lock turn_lock;
static char order[FAIR_TASKS * FAIR_ROUNDS * 16];

/*
 * async def take_turns(name):
 *     for _ in range(FAIR_ROUNDS):
 *         async with lock:
 *             order.append(name)
 *             await asyncio.sleep(delay)
 */
static int take_turns(void *arg, intptr_t *result)
{
    (void)result;
    long i = (long)(intptr_t)arg;
    for (int round = 0; round < FAIR_ROUNDS; round++) {
        int status = aw_lock_acquire(&turn_lock);
        if (status != AW_OK)
            return status;
        size_t used = strlen(order);
        snprintf(order + used, sizeof order - used, "%sworker-%ld", used ? ", " : "", i);
        status = aw_sleep(delay);
        aw_lock_release(&turn_lock);
        if (status != AW_OK)
            return status;
    }
    return AW_OK;
}

/* Did the lock go round in turns: 0, 1, 2, 0, 1, 2? */
static bool in_turns(void)
{
    char expected[sizeof order] = "";
    for (int k = 0; k < FAIR_TASKS * FAIR_ROUNDS; k++) {
        size_t used = strlen(expected);
        snprintf(expected + used, sizeof expected - used, "%sworker-%d", used ? ", " : "",
                 k % FAIR_TASKS);
    }
    return strcmp(order, expected) == 0;
}

static int fairness(void)
{
    aw_task *tasks[FAIR_TASKS];
    order[0] = '\0';
    for (long i = 0; i < FAIR_TASKS; i++)
        tasks[i] = aw_spawn(take_turns, (void *)(intptr_t)i, "worker-%ld", i);
    int status = aw_gather(tasks, FAIR_TASKS, 0);
    if (status != AW_OK)
        return status;
    lab_value_str("order", "%s", order);
    lab_value_bool("fifo", in_turns());
    lab_say("the lock went to: %s", order);
    lab_say("%s", in_turns() ? "in turns: first come, first served" : "not in turns!");
    return AW_OK;
}

/* ----------------------------------------------------------------------- */
/* deadlock and lock_order                                                   */
/* ----------------------------------------------------------------------- */

typedef struct transfer_args {
    aw_lock *first, *second;
} transfer_args;

/*
 * async def transfer(first, second):
 *     async with first:
 *         await asyncio.sleep(delay)
 *         async with second:
 *             await asyncio.sleep(delay)   # move the money
 */
static int transfer(void *arg, intptr_t *result)
{
    (void)result;
    const transfer_args *t = arg;
    int status = aw_lock_acquire(t->first);
    if (status != AW_OK)
        return status;
    status = aw_sleep(delay);
    if (status == AW_OK)
        status = aw_lock_acquire(t->second);
    if (status == AW_OK) {
        status = aw_sleep(delay);
        aw_lock_release(t->second);
    }
    aw_lock_release(t->first);
    return status;
}

/*
 * a_to_b = asyncio.create_task(transfer(account_a, account_b), name="a-to-b")
 * b_to_a = asyncio.create_task(transfer(<one of the two orders>), name="b-to-a")
 * try:
 *     async with asyncio.timeout(timeout):
 *         await asyncio.gather(a_to_b, b_to_a)
 * except TimeoutError:
 *     ...
 */
static int two_transfers(bool same_order)
{
    aw_lock account_a, account_b;
    aw_lock_init(&account_a, "account-a");
    aw_lock_init(&account_b, "account-b");
    transfer_args a_to_b = {&account_a, &account_b};
    transfer_args b_to_a = same_order ? a_to_b : (transfer_args){&account_b, &account_a};

    double started = aw_now();
    aw_task *tasks[2] = {aw_spawn(transfer, &a_to_b, "a-to-b"),
                         aw_spawn(transfer, &b_to_a, "b-to-a")};
    aw_timeout scope;
    aw_timeout_begin(&scope, timeout);
    int status = aw_gather(tasks, 2, 0);
    status = aw_timeout_end(&scope, status);

    if (status == AW_ETIMEDOUT) {
        lab_value_bool("timed_out", true);
        lab_value_double("gave_up_after_s", aw_now() - started);
        lab_say("gave up after %.3f s: a-to-b held account-a and waited for account-b, "
                "b-to-a held account-b and waited for account-a", aw_now() - started);
        return AW_OK;
    }
    if (status != AW_OK)
        return status;
    lab_value_bool("timed_out", false);
    lab_value_double("done_after_s", aw_now() - started);
    lab_say("both transfers done after %.3f s", aw_now() - started);
    return AW_OK;
}

/* ----------------------------------------------------------------------- */

static int chapter_main(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_lock_init(&counter_lock, "counter");
    aw_lock_init(&turn_lock, "turns");

    lab_section("unlocked", "read, await, write with no lock: updates are lost");
    int status = run_increments(increment_unlocked);
    lab_section_end();
    if (status != AW_OK)
        return status;

    lab_section("locked", "the same under a lock: one task at a time");
    lab_peak_excludes_waiting_on("counter"); /* queued for the lock: not at work */
    status = run_increments(increment_locked);
    lab_section_end();
    if (status != AW_OK)
        return status;

    lab_section("fairness", "three tasks take the lock twice each: first come, first served");
    status = fairness();
    lab_section_end();
    if (status != AW_OK)
        return status;

    lab_section("deadlock", "two locks taken in opposite orders, caught by a timeout");
    status = two_transfers(false);
    lab_section_end();
    if (status != AW_OK)
        return status;

    lab_section("lock_order", "the fix: every task takes the locks in the same order");
    status = two_transfers(true);
    lab_section_end();
    return status;
}

static const lab_chapter chapter = {
    .number = "08",
    .slug = "locks",
    .title = "Locks: read, await, write",
    .summary = "lost updates without a lock, FIFO fairness, and a deadlock caught by a timeout",
    .params = params,
    .main_knob = "n",
    .main = chapter_main,
};

int main(int argc, char **argv)
{
    return lab_main(&chapter, argc, argv);
}
