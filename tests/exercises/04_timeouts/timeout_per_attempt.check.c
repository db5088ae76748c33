/*
 * Check of timeout_per_attempt: every attempt gets its own deadline.
 *
 * The server's attempts either answer after a delay the check chooses or
 * never answer at all.  The world notes when each attempt was sent and how
 * it ended (answered, or given up at which moment).  A correct ask() sends
 * attempt k at k * per_try when the ones before it hung, gives each hung
 * attempt exactly per_try seconds, stops at the first answer, and returns
 * AW_ETIMEDOUT only once every attempt went unanswered.
 */
#include "check.h"

#include <stdio.h>

int ask(long attempts, double per_try, intptr_t *reply);

enum { MAX_ATTEMPTS = 8 };

static const double HANGS = -1; /* a delay meaning "never answers" */

/* The world of one case. */
static struct {
    long attempts;
    double per_try;
    double delay[MAX_ATTEMPTS];   /* HANGS, or seconds to the answer        */
    int sent;                     /* send_request() calls                   */
    double sent_at[MAX_ATTEMPTS];
    double ended_at[MAX_ATTEMPTS]; /* -1 while waiting                      */
    bool answered[MAX_ATTEMPTS];
} world;

static intptr_t reply_of(long attempt)
{
    return 7000 + (intptr_t)attempt;
}

int send_request(long attempt, intptr_t *reply)
{
    if (attempt < 0 || attempt >= world.attempts || world.sent >= MAX_ATTEMPTS)
        return aw_raise(AW_EINVAL, "send_request(%ld): only attempts 0 .. %ld are allowed",
                        attempt, world.attempts - 1);
    int k = world.sent++;
    world.sent_at[k] = aw_now();
    world.ended_at[k] = -1;
    double delay = world.delay[attempt];
    int status = aw_sleep(delay == HANGS ? 1e6 : delay);
    world.ended_at[k] = aw_now();
    if (status != AW_OK)
        return status;
    world.answered[k] = true;
    *reply = reply_of(attempt);
    return AW_OK;
}

typedef struct ask_case {
    intptr_t reply;
} ask_case;

static int drive(void *arg)
{
    ask_case *c = arg;
    return ask(world.attempts, world.per_try, &c->reply);
}

/* The first attempt that answers, or -1 if they all hang. */
static long first_answer(void)
{
    for (long k = 0; k < world.attempts; k++)
        if (world.delay[k] != HANGS)
            return k;
    return -1;
}

/* After a run that never ended: say which attempt was left waiting. */
static void explain_hang(void)
{
    for (int k = 0; k < world.sent; k++)
        if (world.ended_at[k] < 0 || world.ended_at[k] - world.sent_at[k] > world.per_try + 1e-6) {
            check_fail("attempt %d, sent at %s, never gets an answer, and nothing gave it up "
                       "after its %s: each attempt needs a deadline of its own", k,
                       check_seconds(world.sent_at[k]), check_seconds(world.per_try));
            return;
        }
}

/* Each attempt sent when it should be, and given exactly per_try. */
static void judge_attempts(int status, long wanted)
{
    double per_try = world.per_try;
    for (int k = 0; k < world.sent; k++) {
        double due = k * per_try;
        if (!check_near(world.sent_at[k], due)) {
            check_fail("attempt %d should be sent at %s, once attempt %d had had its %s; yours "
                       "was sent at %s", k, check_seconds(due), k - 1, check_seconds(per_try),
                       check_seconds(world.sent_at[k]));
            return;
        }
        double got = world.ended_at[k] - world.sent_at[k];
        if (world.delay[k] != HANGS && !world.answered[k] && got < world.delay[k] - 1e-9) {
            check_fail("attempt %d, sent at %s, would have answered %s later, within its %s, "
                       "but it was given up after %s%s", k, check_seconds(world.sent_at[k]),
                       check_seconds(world.delay[k]), check_seconds(per_try),
                       check_seconds(got),
                       got < 1e-9 ? ": it was cancelled the moment it began. A scope whose "
                                    "deadline has passed stays cancelled until it ends -- "
                                    "which deadline was this attempt still inside?"
                                  : "");
            return;
        }
        if (world.delay[k] == HANGS && !check_near(world.ended_at[k], due + per_try)) {
            check_fail("attempt %d, sent at %s, got %s before it was given up, not the %s each "
                       "attempt should get%s", k, check_seconds(world.sent_at[k]),
                       check_seconds(got), check_seconds(per_try),
                       got < 1e-9 ? ": it was cancelled the moment it began. A scope whose "
                                    "deadline has passed stays cancelled until it ends -- "
                                    "which deadline was this attempt still inside?"
                                  : "");
            return;
        }
    }
    if (world.sent < wanted) {
        double last = world.sent > 0 ? world.ended_at[world.sent - 1] : 0;
        check_fail("attempt %d went unanswered and was given up at %s; then ask() should send "
                   "the request again, but it returned %s after %d attempt%s. Inside a "
                   "timeout scope its expired deadline shows as AW_ECANCELLED, not "
                   "AW_ETIMEDOUT -- where does your loop see AW_ETIMEDOUT?",
                   world.sent - 1, check_seconds(last),
                   status == AW_ETIMEDOUT ? "AW_ETIMEDOUT" : aw_strerror(status), world.sent,
                   world.sent == 1 ? "" : "s");
        return;
    }
    if (world.sent > wanted)
        check_fail("attempt %ld answered, so ask() should stop there; yours sent %d attempts",
                   wanted - 1, world.sent);
}

static void judge(const ask_case *c, int status)
{
    long answer = first_answer();
    long wanted = answer < 0 ? world.attempts : answer + 1;
    double ends = answer < 0 ? (double)world.attempts * world.per_try
                             : (double)answer * world.per_try + world.delay[answer];
    judge_attempts(status, wanted);
    if (check_failed())
        return;
    if (answer < 0 && status != AW_ETIMEDOUT) {
        check_fail("all %ld attempts went unanswered: ask() should return AW_ETIMEDOUT; yours "
                   "returned %d (%s)", world.attempts, status, aw_strerror(status));
        return;
    }
    if (answer >= 0 && status != AW_OK) {
        check_fail("attempt %ld answered at %s, so ask() should return AW_OK; yours returned "
                   "%d (%s)", answer, check_seconds(ends), status, aw_strerror(status));
        return;
    }
    if (answer >= 0 && c->reply != reply_of(answer)) {
        check_fail("*reply holds %ld, but the answer to attempt %ld was %ld", (long)c->reply,
                   answer, (long)reply_of(answer));
        return;
    }
    if (!check_near(check_elapsed(), ends))
        check_fail("ask() should return at %s; yours returned at %s", check_seconds(ends),
                   check_seconds(check_elapsed()));
}

static void run_case(long attempts, double per_try, const double *delay, const char *story)
{
    world.attempts = attempts;
    world.per_try = per_try;
    world.sent = 0;
    for (long k = 0; k < attempts; k++) {
        world.delay[k] = delay[k];
        world.answered[k] = false;
    }
    ask_case c = {.reply = -12345};
    check_case("%ld attempts of %s: %s", attempts, check_seconds(per_try), story);
    int status = check_run(drive, &c, (double)attempts * per_try + 1);
    if (check_failed())
        explain_hang();
    else
        judge(&c, status);
    check_case_end();
}

void exercise_check(void)
{
    static const double second_answers[] = {HANGS, 0.25, 0.1};
    run_case(3, 0.4, second_answers, "the first hangs, the second answers");

    static const double third_answers[] = {HANGS, HANGS, 0.1, 0.05};
    run_case(4, 0.3, third_answers, "two hang, the third answers");

    static const double all_hang[] = {HANGS, HANGS, HANGS};
    run_case(3, 0.5, all_hang, "every one hangs");

    static const double first_answers[] = {0.15, 0.1, 0.1, 0.1, 0.1};
    run_case(5, 0.2, first_answers, "the first answers");
}
