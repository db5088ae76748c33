/*
 * race_timeout_handoff -- a waiter's timeout falls due in the same instant
 * another task hands over what it waits for: a lock, a permit, an event, a
 * notification, a queue item.  The timeout was armed first, so the waiter
 * is cancelled before the hand-over, and the hand-over goes to the next in
 * line: nothing is stranded with a task that has left.
 *
 * Each race happens at its own instant, counted from the start, as the
 * Python side's timeout_at() does.
 */
#include "scenario.h"

static aw_lock lock;
static aw_semaphore sem;
static aw_event event;
static aw_lock cond_lock;
static aw_condition cond;
static aw_queue queue;

static int lock_acquire(void) { return aw_lock_acquire(&lock); }
static void lock_release(void) { aw_lock_release(&lock); }
static int sem_acquire(void) { return aw_sem_acquire(&sem); }
static void sem_release(void) { aw_sem_release(&sem); }
static int event_wait(void) { return aw_event_wait(&event); }
static void event_set(void) { aw_event_set(&event); }

static int cond_wait(void)
{
    int status = aw_lock_acquire(&cond_lock);
    if (status != AW_OK)
        return status;
    status = aw_cond_wait(&cond);
    aw_lock_release(&cond_lock); /* wait() holds it again, whatever the status */
    return status;
}

static void cond_notify_one(void)
{
    aw_lock_acquire(&cond_lock);
    aw_cond_notify(&cond, 1);
    aw_lock_release(&cond_lock);
}

static int queue_get(void)
{
    intptr_t item;
    return aw_queue_get(&queue, &item);
}

static void queue_put(void) { aw_queue_put_nowait(&queue, 1); }

typedef struct race {
    const char *name;
    int (*wait)(void);
    void (*hand_over)(void);
    double at; /* seconds from the start */
} race;

static int first_in_line(void *arg, intptr_t *result)
{
    (void)result;
    const race *r = arg;
    aw_timeout scope;
    aw_timeout_begin(&scope, r->at - aw_now());
    int status = aw_timeout_end(&scope, r->wait());
    if (status == AW_OK)
        say("%s: first got it", r->name);
    else if (status == AW_ETIMEDOUT)
        say("%s: first timed out", r->name);
    return AW_OK;
}

static int second_in_line(void *arg, intptr_t *result)
{
    (void)result;
    const race *r = arg;
    int status = r->wait();
    if (status == AW_OK)
        say("%s: second got it", r->name);
    return status;
}

static void run_race(const race *r)
{
    aw_task *tasks[2] = {aw_spawn(first_in_line, (void *)r, "first"),
                         aw_spawn(second_in_line, (void *)r, "second")};
    aw_yield(); /* both are in line before the holder sleeps */
    aw_sleep(r->at - aw_now());
    r->hand_over();
    aw_gather(tasks, 2, 0);
}

static const race races[] = {
    {"lock", lock_acquire, lock_release, 0.2},
    {"semaphore", sem_acquire, sem_release, 0.4},
    {"event", event_wait, event_set, 0.6},
    {"condition", cond_wait, cond_notify_one, 0.8},
    {"queue", queue_get, queue_put, 1.0},
};

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_lock_init(&lock, "lock");
    aw_sem_init(&sem, 0, "sem");
    aw_event_init(&event, "event");
    aw_lock_init(&cond_lock, "cond-lock");
    aw_cond_init(&cond, &cond_lock, "cond");
    aw_queue_init(&queue, 0, "queue");
    aw_lock_acquire(&lock);
    for (size_t i = 0; i < sizeof races / sizeof races[0]; i++)
        run_race(&races[i]);
    aw_queue_dispose(&queue);
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
