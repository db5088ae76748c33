/*
 * Check of profiles_one_by_one: n profile requests wait at the same time.
 *
 * The profile service takes the check's time per user (a different time
 * for each user in the later cases), so only code that has every request
 * out before it awaits any of them passes: the batch must take as long as
 * the slowest profile, all n requests must have slept at the same time,
 * and every profile must be in its user's slot.
 */
#include "check.h"

int load_profiles(long n, intptr_t *profiles);

enum { MAX_USERS = 32 };

static struct {
    long n;
    double delay_s[MAX_USERS];
    long requests;             /* fetch_profile() calls made */
    intptr_t profiles[MAX_USERS];
} world;

static intptr_t profile_of(long user)
{
    return 5000 + 31 * (intptr_t)user;
}

/* The profile service: user u takes delay_s[u]. */
int fetch_profile(long user, intptr_t *profile)
{
    if (user < 0 || user >= world.n)
        return aw_raise(AW_EINVAL, "fetch_profile(%ld): there are only users 0 .. %ld", user,
                        world.n - 1);
    world.requests++;
    int status = aw_sleep(world.delay_s[user]);
    if (status != AW_OK)
        return status;
    *profile = profile_of(user);
    return AW_OK;
}

static int drive(void *arg)
{
    (void)arg;
    return load_profiles(world.n, world.profiles);
}

static void judge(int status)
{
    double slowest = 0, total = 0;
    for (long u = 0; u < world.n; u++) {
        slowest = world.delay_s[u] > slowest ? world.delay_s[u] : slowest;
        total += world.delay_s[u];
    }
    if (status != AW_OK) {
        check_fail("load_profiles returned %d (%s); every request succeeds here, so it should "
                   "return AW_OK", status, aw_strerror(status));
        return;
    }
    if (world.requests != world.n) {
        check_fail("%ld users need %ld requests, one each; your run made %ld", world.n,
                   world.n, world.requests);
        return;
    }
    double took = check_elapsed();
    int peak = check_peak_sleeping(NULL);
    if (!check_near(took, slowest)) {
        if (peak == 1)
            check_fail("%ld profiles took %s -- every request's time added up (%s) -- and "
                       "never more than one request was out at a time. Side by side they "
                       "take %s, the slowest one. Is each request awaited before the next "
                       "one is spawned?", world.n, check_seconds(took), check_seconds(total),
                       check_seconds(slowest));
        else
            check_fail("%ld profiles should take as long as the slowest, %s; yours took %s, "
                       "with at most %d requests out at the same time", world.n,
                       check_seconds(slowest), check_seconds(took), peak);
        return;
    }
    for (long u = 0; u < world.n; u++)
        if (world.profiles[u] != profile_of(u)) {
            check_fail("profiles[%ld] holds %ld, but user %ld's profile is %ld: each profile "
                       "belongs in its user's slot", u, (long)world.profiles[u], u,
                       (long)profile_of(u));
            return;
        }
}

static void run_case(long n, const double *delay_s)
{
    world.n = n;
    world.requests = 0;
    double total = 0, fastest = delay_s[0], slowest = delay_s[0];
    for (long u = 0; u < n; u++) {
        world.delay_s[u] = delay_s[u];
        world.profiles[u] = -1;
        total += delay_s[u];
        fastest = delay_s[u] < fastest ? delay_s[u] : fastest;
        slowest = delay_s[u] > slowest ? delay_s[u] : slowest;
    }
    if (check_near(fastest, slowest))
        check_case("%ld profiles of %s each", n, check_seconds(slowest));
    else
        check_case("%ld profiles of %s to %s", n, check_seconds(fastest), check_seconds(slowest));
    int status = check_run(drive, NULL, 2 * total + 1);
    if (!check_failed())
        judge(status);
    check_case_end();
}

void exercise_check(void)
{
    double ten[10];
    for (int u = 0; u < 10; u++)
        ten[u] = 0.4;
    run_case(10, ten);

    static const double seven[] = {0.25, 0.9, 0.4, 0.6, 0.2, 0.75, 0.3};
    run_case(7, seven);

    static const double three[] = {1.5, 0.25, 0.6};
    run_case(3, three);
}
