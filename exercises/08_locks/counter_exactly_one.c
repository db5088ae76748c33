/*
 * Exercise counter_exactly_one -- chapter 08, predict the output.
 *
 * A hundred tasks each add one to a shared counter, four times over: read,
 * sleep, write without a lock; read, yield, write; read and write, then
 * sleep; and read, sleep, write under a lock.  A tutorial says "without a
 * lock the counter could be less than 100".  What does each round really
 * print, and when?  Write the four lines in counter_exactly_one.txt, one
 * per line, exactly as printed; then run the program to see.
 *
 * Lesson:   chapters/08_locks.md#the-answer
 * Check it: awaitlab check counter_exactly_one
 */
#include "awaitlab.h"

#include <stdio.h>

enum { TASKS = 100 };

static long counter;
static aw_lock counter_lock;

/* value = counter; await asyncio.sleep(0.01); counter = value + 1 */
static int read_sleep_write(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    long value = counter;
    int status = aw_sleep(0.01);
    if (status != AW_OK)
        return status;
    counter = value + 1;
    return AW_OK;
}

/* value = counter; await asyncio.sleep(0); counter = value + 1 */
static int read_yield_write(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    long value = counter;
    int status = aw_yield();
    if (status != AW_OK)
        return status;
    counter = value + 1;
    return AW_OK;
}

/* value = counter; counter = value + 1; await asyncio.sleep(0.01) */
static int read_write_sleep(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    long value = counter;
    counter = value + 1;
    return aw_sleep(0.01);
}

/* async with lock: value = counter; await asyncio.sleep(0.01); counter = value + 1 */
static int locked_read_sleep_write(void *arg, intptr_t *result)
{
    int status = aw_lock_acquire(&counter_lock);
    if (status != AW_OK)
        return status;
    status = read_sleep_write(arg, result);
    aw_lock_release(&counter_lock);
    return status;
}

/* Runs TASKS tasks of `increment` at once and prints the counter. */
static int round_of(aw_fn increment, const char *what)
{
    aw_task *tasks[TASKS];
    counter = 0;
    for (int i = 0; i < TASKS; i++)
        tasks[i] = aw_spawn(increment, NULL, "inc-%d", i);
    int status = aw_gather(tasks, TASKS, 0);
    printf("%.3f %s: counter = %ld\n", aw_now(), what, counter);
    return status;
}

static int main_task(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_lock_init(&counter_lock, "counter");
    int status = round_of(read_sleep_write, "read, sleep, write");
    if (status == AW_OK)
        status = round_of(read_yield_write, "read, yield, write");
    if (status == AW_OK)
        status = round_of(read_write_sleep, "read, write, sleep");
    if (status == AW_OK)
        status = round_of(locked_read_sleep_write, "locked read, sleep, write");
    return status;
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    return aw_run(main_task, NULL, &(aw_config){.clock = AW_CLOCK_VIRTUAL}, NULL) == AW_OK ? 0 : 1;
}
