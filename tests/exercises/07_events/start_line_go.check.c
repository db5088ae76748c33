/*
 * Check of start_line_go: every runner starts its race at the same instant,
 * the moment the slowest one is warm.
 *
 * The warm-ups and races are the check's, different in each case (and the
 * slowest runner is a different one each time), so a start line built from
 * a guessed sleep fails, and so does a runner that starts as soon as it is
 * warm.  The world notes when each runner was ready and when it began its
 * race; the whole race must take the slowest warm-up plus the longest race.
 */
#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int race(long n);

enum { MAX_RUNNERS = 16 };

/* The world of one case. */
static struct {
    long n;
    double warm[MAX_RUNNERS], run[MAX_RUNNERS];
    double ready_at[MAX_RUNNERS];   /* when warm_up(i) returned, or -1     */
    double started_at[MAX_RUNNERS]; /* when run_race(i) was called, or -1  */
} world;

static int bad_runner(const char *what, long i)
{
    return aw_raise(AW_EINVAL, "%s(%ld): there are only runners 0 .. %ld", what, i,
                    world.n - 1);
}

int warm_up(long i)
{
    if (i < 0 || i >= world.n)
        return bad_runner("warm_up", i);
    int status = aw_sleep(world.warm[i]);
    if (status == AW_OK)
        world.ready_at[i] = aw_now();
    return status;
}

int run_race(long i)
{
    if (i < 0 || i >= world.n)
        return bad_runner("run_race", i);
    if (world.started_at[i] < 0)
        world.started_at[i] = aw_now();
    return aw_sleep(world.run[i]);
}

static int drive(void *arg)
{
    (void)arg;
    return race(world.n);
}

/*
 * Who was stuck, and on what: a case that runs past its limit is nearly
 * always tasks waiting for something nobody will do.  This replays the
 * trace up to `before_s` and adds one line per thing waited on, e.g.
 * "deposit-1, deposit-3 were waiting on lock 'account', held by deposit-0,
 * which had already finished".  (Tasks that were sleeping are left out.)
 * Returns true if some lock was held by a task that had finished.
 */
static bool describe_stuck(double before_s)
{
    bool orphaned = false;
    size_t n;
    const aw_trace_event *e = aw_trace_events(&n);
    uint32_t max_id = 0;
    for (size_t i = 0; i < n; i++)
        if (e[i].task > max_id)
            max_id = e[i].task;
    typedef struct stuck_task {
        const char *name, *on, *resource;
        bool done;
    } stuck_task;
    stuck_task *t = calloc((size_t)max_id + 1, sizeof *t);
    if (!t)
        return false;
    int64_t before_ns = (int64_t)(before_s * 1e9) - 1;
    for (size_t i = 0; i < n && e[i].t_ns < before_ns; i++) {
        stuck_task *s = &t[e[i].task];
        switch (e[i].kind) {
        case AW_EV_SPAWN:
            s->name = e[i].text;
            break;
        case AW_EV_WAIT:
            s->on = e[i].text;
            s->resource = e[i].name;
            break;
        case AW_EV_WAKE:
        case AW_EV_RUN:
            s->on = NULL;
            break;
        case AW_EV_DONE:
            s->on = NULL;
            s->done = true;
            break;
        default:
            break;
        }
    }
    for (uint32_t id = 2; id <= max_id; id++) {
        if (!t[id].on || !t[id].resource || strcmp(t[id].on, "sleep") == 0)
            continue;
        const char *on = t[id].on, *resource = t[id].resource;
        char names[240] = "";
        int count = 0;
        for (uint32_t other = id; other <= max_id; other++) {
            if (!t[other].on || !t[other].resource || strcmp(t[other].on, on) != 0 ||
                strcmp(t[other].resource, resource) != 0)
                continue;
            size_t used = strlen(names);
            if (count < 6 && used + 40 < sizeof names)
                snprintf(names + used, sizeof names - used, "%s%s", count ? ", " : "",
                         t[other].name ? t[other].name : "?");
            count++;
            if (other != id)
                t[other].on = NULL; /* reported with this group */
        }
        char more[32] = "";
        if (count > 6)
            snprintf(more, sizeof more, " and %d more", count - 6);
        /* The owner of a lock, from its last resource line. */
        char held[120] = "";
        if (strcmp(on, "lock") == 0)
            for (size_t i = 0; i < n && e[i].t_ns < before_ns; i++)
                if (e[i].kind == AW_EV_RESOURCE && e[i].name && strcmp(e[i].name, resource) == 0)
                    snprintf(held, sizeof held, e[i].other && e[i].other <= max_id
                             ? ", held by %s%s" : "%s%s",
                             e[i].other && e[i].other <= max_id && t[e[i].other].name
                                 ? t[e[i].other].name : "",
                             e[i].other && e[i].other <= max_id && t[e[i].other].done
                                 ? ", which had already finished without releasing it" : "");
        if (strstr(held, "without releasing"))
            orphaned = true;
        check_fail("%s%s %s waiting on %s '%s'%s", names, more, count == 1 ? "was" : "were", on,
                   resource, held);
    }
    free(t);
    return orphaned;
}

/* Judges a run in which every runner was ready by `go_at`. */
static void judge(int status, double go_at, long slowest, double longest_race)
{
    if (status != AW_OK) {
        check_fail("race returned %d (%s); every runner finishes here, so it should return "
                   "AW_OK", status, aw_strerror(status));
        return;
    }
    int spawned = check_count("runner-", CHECK_ANY);
    if (spawned != world.n) {
        check_fail("%ld runners should give %ld tasks named runner-0 .. runner-%ld; your "
                   "run spawned %d", world.n, world.n, world.n - 1, spawned);
        return;
    }
    for (long i = 0; i < world.n; i++) {
        double at = world.started_at[i];
        if (at < 0) {
            check_fail("runner-%ld never started its race (run_race was not called for it)",
                       i);
            return;
        }
        if (at < go_at - 1e-9) {
            check_fail("runner-%ld started its race at %s, as soon as it was warm; but "
                       "runner-%ld was not ready until %s. Every runner should wait at the "
                       "start line and leave at %s, when the last one is ready.",
                       i, check_seconds(at), slowest, check_seconds(go_at),
                       check_seconds(go_at));
            return;
        }
        if (!check_near(at, go_at)) {
            check_fail("runner-%ld started its race at %s, %s after the last runner was "
                       "ready (at %s): the start line should open the moment the last "
                       "runner is ready -- does something sleep or poll instead of waiting "
                       "for an event?", i, check_seconds(at), check_seconds(at - go_at),
                       check_seconds(go_at));
            return;
        }
    }
    if (!check_near(check_elapsed(), go_at + longest_race))
        check_fail("the race should take %s (the last runner ready at %s, then the longest "
                   "race, %s); yours took %s", check_seconds(go_at + longest_race),
                   check_seconds(go_at), check_seconds(longest_race),
                   check_seconds(check_elapsed()));
}

static void run_case(long n, const double *warm, const double *run)
{
    world.n = n;
    double go_at = 0, longest_race = 0, total = 0;
    long slowest = 0;
    for (long i = 0; i < n; i++) {
        world.warm[i] = warm[i];
        world.run[i] = run[i];
        world.ready_at[i] = world.started_at[i] = -1;
        if (warm[i] > go_at) {
            go_at = warm[i];
            slowest = i;
        }
        if (run[i] > longest_race)
            longest_race = run[i];
        total += warm[i] + run[i];
    }
    check_case("%ld runner%s, the slowest ready at %s", n, n == 1 ? "" : "s",
               check_seconds(go_at));
    double limit = 2 * total + 1;
    int status = check_run(drive, NULL, limit);
    if (check_failed()) {
        if (check_elapsed() >= limit - 1e-6 && !describe_stuck(limit))
            check_fail("Nothing set it before the check gave up: which task should, and "
                       "when?");
    } else {
        judge(status, go_at, slowest, longest_race);
    }
    check_case_end();
}

void exercise_check(void)
{
    static const double warm4[] = {0.3, 0.1, 0.7, 0.2}, run4[] = {0.5, 0.4, 0.6, 0.3};
    run_case(4, warm4, run4);

    static const double warm7[] = {0.9, 0.2, 0.4, 0.2, 0.6, 0.1, 0.35};
    static const double run7[] = {0.3, 0.8, 0.5, 0.45, 0.2, 0.6, 0.7};
    run_case(7, warm7, run7);

    static const double warm1[] = {0.25}, run1[] = {0.4};
    run_case(1, warm1, run1);
}
