/*
 * Chapter 07 -- events: one set() releases everybody.
 *
 * An event is a flag that tasks can wait for.  Three sections:
 *
 *   set_wakes_all  n waiters wait; `delay` seconds later one set() wakes all
 *                  of them at once, in the order they began to wait.  A
 *                  latecomer that waits on the event once it is set does
 *                  not wait at all.
 *   set_and_clear  set() followed at once by clear(): every task waiting at
 *                  the set() still wakes, but a task that waits after the
 *                  clear() waits for the next set().
 *   start_line     n runners warm up for different times, then wait at the
 *                  start line; when the last one is ready the starter fires
 *                  the "go" event and they all start at the same instant.
 *
 * The Python twin is 07_events.py; the lesson is the .md.
 */
#include "awaitlab.h"
#include "harness.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static long n = 5;
static double delay = 0.5;

static const lab_param params[] = {
    LAB_INT("n", &n, 1, 10000, "how many waiters, and how many runners"),
    LAB_SECONDS("delay", &delay, 0, 3600, "seconds before the event is set; warm-ups and races last up to this"),
    LAB_END,
};

/* ----------------------------------------------------------------------- */
/* set_wakes_all and set_and_clear                                          */
/* ----------------------------------------------------------------------- */

static aw_event event;
static long *woke;         /* waiters in the order they woke          */
static long woken;
static long woke_while_set; /* how many saw is_set() true on waking   */
static double latecomer_waited;
static double section_start;

/*
 * async def waiter(i):
 *     await event.wait()
 *     woke.append(i)
 */
static int waiter(void *arg, intptr_t *result)
{
    (void)result;
    int status = aw_event_wait(&event);
    if (status != AW_OK)
        return status;
    woke[woken++] = (long)(intptr_t)arg;
    woke_while_set += aw_event_is_set(&event);
    return AW_OK;
}

/*
 * async def latecomer(arrive):
 *     global latecomer_waited
 *     await asyncio.sleep(arrive)
 *     started = now()
 *     await event.wait()
 *     latecomer_waited = now() - started
 */
static int latecomer(void *arg, intptr_t *result)
{
    (void)result;
    const double *arrive = arg;
    int status = aw_sleep(*arrive);
    if (status != AW_OK)
        return status;
    double started = aw_now();
    status = aw_event_wait(&event);
    if (status != AW_OK)
        return status;
    latecomer_waited = aw_now() - started;
    return AW_OK;
}

/* Did the waiters wake in the order they started waiting, 0 to n - 1? */
static bool in_fifo_order(void)
{
    for (long i = 0; i < woken; i++)
        if (woke[i] != i)
            return false;
    return woken == n;
}

static void spawn_waiters(aw_task **tasks)
{
    woken = woke_while_set = 0;
    for (long i = 0; i < n; i++)
        tasks[i] = aw_spawn(waiter, (void *)(intptr_t)i, "waiter-%ld", i);
}

/*
 * event = asyncio.Event()
 * tasks = [asyncio.create_task(waiter(i)) for i in range(n)]
 * tasks.append(asyncio.create_task(latecomer(2 * delay)))
 * await asyncio.sleep(delay)
 * event.set()
 * await asyncio.gather(*tasks)
 */
static int set_wakes_all(aw_task **tasks)
{
    aw_event_init(&event, "event");
    spawn_waiters(tasks);
    static double arrive; /* static: it must outlive the latecomer */
    arrive = 2 * delay;
    tasks[n] = aw_spawn(latecomer, &arrive, "latecomer");
    int status = aw_sleep(delay);
    if (status != AW_OK)
        return status;
    aw_event_set(&event);
    double set_at = aw_now() - section_start;
    status = aw_gather(tasks, (size_t)n + 1, 0);
    if (status != AW_OK)
        return status;

    lab_value_int("woken", woken);
    lab_value_double("set_at_s", set_at);
    lab_value_bool("fifo", in_fifo_order());
    lab_value_double("latecomer_waited_s", latecomer_waited);
    lab_say("one set() at %.3f s woke all %ld waiters, %s", set_at, woken,
            in_fifo_order() ? "in the order they began to wait" : "OUT OF ORDER");
    lab_say("the latecomer found the event set and waited %.3f s", latecomer_waited);
    return AW_OK;
}

/*
 * tasks = [asyncio.create_task(waiter(i)) for i in range(n)]
 * await asyncio.sleep(delay)
 * event.set()
 * event.clear()                   # at once: the waiters still wake
 * late = asyncio.create_task(latecomer(0))
 * await asyncio.sleep(delay)
 * event.set()                     # only now does the latecomer wake
 */
static int set_and_clear(aw_task **tasks)
{
    aw_event_init(&event, "event");
    spawn_waiters(tasks);
    int status = aw_sleep(delay);
    if (status != AW_OK)
        return status;
    aw_event_set(&event);
    aw_event_clear(&event);
    static const double arrive = 0;
    tasks[n] = aw_spawn(latecomer, (void *)&arrive, "latecomer");
    status = aw_sleep(delay);
    if (status != AW_OK)
        return status;
    long woken_by_first_set = woken;
    aw_event_set(&event);
    status = aw_gather(tasks, (size_t)n + 1, 0);
    if (status != AW_OK)
        return status;

    lab_value_int("woken_by_first_set", woken_by_first_set);
    lab_value_int("saw_it_set", woke_while_set);
    lab_value_double("latecomer_waited_s", latecomer_waited);
    lab_say("set() then clear() woke %ld of %ld waiters; %ld of them saw the event set",
            woken_by_first_set, n, woke_while_set);
    lab_say("the latecomer came after the clear() and waited %.3f s for the next set()",
            latecomer_waited);
    return AW_OK;
}

/* ----------------------------------------------------------------------- */
/* start_line                                                                */
/* ----------------------------------------------------------------------- */

typedef struct runner {
    double warm_up, race; /* seconds, drawn from --seed               */
    double started;       /* when it left the start line              */
} runner;

static runner *runners;
static aw_event all_ready, go;
static long ready;
static long winner = -1;

/*
 * async def run(i):
 *     global ready, winner
 *     await asyncio.sleep(runners[i].warm_up)
 *     ready += 1
 *     if ready == n:
 *         all_ready.set()            # the last one in tells the starter
 *     await go.wait()                # the start line
 *     runners[i].started = now()
 *     await asyncio.sleep(runners[i].race)
 *     if winner is None:
 *         winner = i
 */
static int run(void *arg, intptr_t *result)
{
    (void)result;
    long i = (long)(intptr_t)arg;
    int status = aw_sleep(runners[i].warm_up);
    if (status != AW_OK)
        return status;
    if (++ready == n)
        aw_event_set(&all_ready);
    status = aw_event_wait(&go);
    if (status != AW_OK)
        return status;
    runners[i].started = aw_now();
    status = aw_sleep(runners[i].race);
    if (status != AW_OK)
        return status;
    if (winner < 0)
        winner = i;
    return AW_OK;
}

/*
 * async def starter():
 *     await all_ready.wait()
 *     go.set()
 */
static int starter(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    int status = aw_event_wait(&all_ready);
    if (status != AW_OK)
        return status;
    aw_event_set(&go);
    return AW_OK;
}

/* A multiple of delay / 5, from delay / 5 to delay: whole tenths by default. */
static double draw_time(void)
{
    return delay * (1 + floor(lab_random() * 5)) / 5;
}

/* Did every runner leave the start line within the same millisecond? */
static bool started_together(void)
{
    double first = runners[0].started, last = runners[0].started;
    for (long i = 1; i < n; i++) {
        first = fmin(first, runners[i].started);
        last = fmax(last, runners[i].started);
    }
    return last - first < 0.001;
}

static int start_line(aw_task **tasks)
{
    aw_event_init(&all_ready, "all_ready");
    aw_event_init(&go, "go");
    ready = 0;
    winner = -1;
    double slowest_warm_up = 0;
    for (long i = 0; i < n; i++) {
        runners[i].warm_up = draw_time();
        runners[i].race = draw_time();
        if (runners[i].warm_up > slowest_warm_up)
            slowest_warm_up = runners[i].warm_up;
    }
    for (long i = 0; i < n; i++)
        tasks[i] = aw_spawn(run, (void *)(intptr_t)i, "runner-%ld", i);
    tasks[n] = aw_spawn(starter, NULL, "starter");
    int status = aw_gather(tasks, (size_t)n + 1, 0);
    if (status != AW_OK)
        return status;

    double went = runners[0].started - section_start;
    lab_value_double("slowest_warm_up_s", slowest_warm_up);
    lab_value_double("go_at_s", went);
    lab_value_bool("started_together", started_together());
    lab_value_str("winner", "runner-%ld", winner);
    lab_say("the slowest runner needed %.3f s to get ready; go at %.3f s", slowest_warm_up,
            went);
    lab_say("%s; runner-%ld won in %.3f s", started_together() ? "all started at once"
            : "they did NOT start together", winner, runners[winner].race);
    return AW_OK;
}

/* ----------------------------------------------------------------------- */

static int chapter_main(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task **tasks = calloc((size_t)n + 1, sizeof *tasks);
    woke = calloc((size_t)n, sizeof *woke);
    runners = calloc((size_t)n, sizeof *runners);
    int status = AW_ENOMEM;
    if (!tasks || !woke || !runners)
        goto out;

    lab_section("set_wakes_all", "n waiters, one set(): all wake at once");
    section_start = aw_now();
    status = set_wakes_all(tasks);
    lab_section_end();
    if (status != AW_OK)
        goto out;

    lab_section("set_and_clear", "set() then clear() at once: the waiters still wake");
    section_start = aw_now();
    status = set_and_clear(tasks);
    lab_section_end();
    if (status != AW_OK)
        goto out;

    lab_section("start_line", "runners wait at the start line until the starter says go");
    section_start = aw_now();
    status = start_line(tasks);
    lab_section_end();
out:
    free(tasks);
    free(woke);
    free(runners);
    return status;
}

static const lab_chapter chapter = {
    .number = "07",
    .slug = "events",
    .title = "Events: one set() releases everybody",
    .summary = "many waiters woken by one set(), clear(), and a start line for runners",
    .params = params,
    .main_knob = "n",
    .main = chapter_main,
};

int main(int argc, char **argv)
{
    return lab_main(&chapter, argc, argv);
}
