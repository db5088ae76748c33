/*
 * check.c -- the main() of every exercise check, and the questions a check
 * asks of a run.
 *
 * The check program is built from three parts: the student's file, the
 * exercise's NAME.check.c, and this file.  It speaks to `awaitlab check`
 * through two channels the student's code does not write to by accident:
 *
 *   - verdicts, one JSON object per line, on the file descriptor named by
 *     AWAITLAB_CHECK_FD (stdout when unset, for running a check by hand),
 *     ending with {"done": true} once every case ran -- so a run that crashes
 *     half way still leaves the verdicts of the cases before the crash;
 *   - one trace file per case, case-N.jsonl in AWAITLAB_CHECK_DIR (default
 *     "."), which `awaitlab check` draws as the student's timeline.
 *
 * Every question below is a scan of the events the runtime captured for the
 * case, the same events the timeline shows: a check judges what happened,
 * not what the code under test says happened.
 */
#include "check_internal.h"

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { MESSAGE_MAX = 4096 };

static struct {
    FILE *verdicts;
    const char *dir;
    int case_number;
    bool case_open;
    bool ran;
    char title[200];
    char message[MESSAGE_MAX];
    char trace_path[4200];
    double start_s, end_s;   /* drive() on the virtual clock               */
    size_t end_event;        /* events captured before drive() returned    */
    int status;
} check;

static const char *name_of(const aw_trace_event *e, size_t n, uint32_t id);
static double seconds(int64_t ns);

/* ----------------------------------------------------------------------- */
/* Cases and verdicts                                                        */
/* ----------------------------------------------------------------------- */

void check_case(const char *title_format, ...)
{
    if (check.case_open)
        check_case_end();
    va_list ap;
    va_start(ap, title_format);
    vsnprintf(check.title, sizeof check.title, title_format, ap);
    va_end(ap);
    check.case_open = true;
    check.ran = false;
    check.message[0] = '\0';
    check.case_number++;
    snprintf(check.trace_path, sizeof check.trace_path, "%s/case-%d.jsonl", check.dir,
             check.case_number);
}

void check_fail(const char *format, ...)
{
    size_t used = strlen(check.message);
    if (used + 2 >= sizeof check.message)
        return;
    if (used > 0)
        check.message[used++] = '\n';
    va_list ap;
    va_start(ap, format);
    vsnprintf(check.message + used, sizeof check.message - used, format, ap);
    va_end(ap);
}

bool check_failed(void)
{
    return check.message[0] != '\0';
}

void check_case_end(void)
{
    if (!check.case_open)
        return;
    json_t *v = json_pack("{s:s, s:b, s:s}", "case", check.title, "passed", !check_failed(),
                          "message", check.message);
    if (check.ran) {
        json_object_set_new(v, "trace", json_string(strrchr(check.trace_path, '/') + 1));
        json_object_set_new(v, "elapsed", json_real(check_elapsed()));
    }
    json_dumpf(v, check.verdicts, JSON_COMPACT);
    fputc('\n', check.verdicts);
    fflush(check.verdicts);
    json_decref(v);
    check.case_open = false;
}

/* ----------------------------------------------------------------------- */
/* Running the student's code                                                */
/* ----------------------------------------------------------------------- */

typedef struct run_request {
    check_body drive;
    void *arg;
    double limit_s;
    bool timed_out;
} run_request;

/*
 * The body of "main": drive() inside a timeout scope.  Cancellation is
 * level-triggered, so once the deadline passes every await of the student's
 * code returns AW_ETIMEDOUT and ordinary code unwinds at once.
 */
static int run_main(void *arg, intptr_t *result)
{
    (void)result;
    run_request *request = arg;
    aw_timeout scope;
    check.start_s = aw_now();
    aw_timeout_begin(&scope, request->limit_s);
    int status = request->drive(request->arg);
    request->timed_out = aw_timeout_expired(&scope);
    status = aw_timeout_end(&scope, status);
    check.end_s = aw_now();
    aw_trace_events(&check.end_event);
    return status;
}

/* "'worker-0' waits on queue 'jobs'", from a task's last WAIT event. */
static void describe_wait(const aw_trace_event *e, size_t n, const aw_trace_event *wait,
                          char *out, size_t size)
{
    const char *who = name_of(e, n, wait->task);
    if (wait->text && strcmp(wait->text, "task") == 0 && wait->other)
        snprintf(out, size, "'%s' waits on task '%s'", who, name_of(e, n, wait->other));
    else if (wait->name)
        snprintf(out, size, "'%s' waits on %s '%s'", who, wait->text, wait->name);
    else
        snprintf(out, size, "'%s' waits on %s", who, wait->text ? wait->text : "?");
}

/*
 * The run passed its deadline.  Was it busy (some task sleeping, about to
 * go on) or stuck -- every live task waiting on something only another task
 * could give it?  In asyncio the second is a program that hangs forever; the
 * check's own deadline is the only thing that ended it.  The answer comes
 * from each task's last event before the deadline.
 */
static bool report_if_stuck(int64_t deadline_ns)
{
    size_t n;
    const aw_trace_event *e = aw_trace_events(&n);
    uint32_t max_id = 0;
    for (size_t i = 0; i < n; i++)
        if (e[i].task > max_id)
            max_id = e[i].task;
    const aw_trace_event **last = calloc((size_t)max_id + 1, sizeof *last);
    if (!last)
        return false;
    int64_t stuck_since = 0;
    for (size_t i = 0; i < n && e[i].t_ns < deadline_ns; i++) {
        if (e[i].kind == AW_EV_MARK || e[i].kind == AW_EV_RESOURCE || e[i].task == 0)
            continue;
        last[e[i].task] = &e[i];
        stuck_since = e[i].t_ns;
    }
    bool stuck = true;
    int waiting = 0;
    for (uint32_t id = 1; id <= max_id; id++) {
        const aw_trace_event *ev = last[id];
        if (!ev || ev->kind == AW_EV_DONE)
            continue;
        waiting++;
        if (ev->kind != AW_EV_WAIT || !ev->text || strcmp(ev->text, "sleep") == 0 ||
            strcmp(ev->text, "yield") == 0)
            stuck = false;
    }
    if (stuck && waiting > 0) {
        check_fail("deadlock at t=%s: every task was waiting, and nothing could ever wake "
                   "any of them (asyncio would hang here forever):",
                   check_seconds(seconds(stuck_since)));
        int listed = 0;
        for (uint32_t id = 1; id <= max_id && listed < 8; id++) {
            if (!last[id] || last[id]->kind != AW_EV_WAIT)
                continue;
            char line[200];
            describe_wait(e, n, last[id], line, sizeof line);
            check_fail("  %s", line);
            listed++;
        }
    }
    free(last);
    return stuck && waiting > 0;
}

int check_run(check_body drive, void *arg, double limit_s)
{
    if (!(limit_s > 0 && limit_s < 1e6))
        limit_s = 1e6;
    run_request request = {.drive = drive, .arg = arg, .limit_s = limit_s};
    aw_config config = {.clock = AW_CLOCK_VIRTUAL, .trace_capture = true,
                        .trace_path = check.trace_path};
    check.end_event = 0;
    check.start_s = check.end_s = 0;
    check__on_loop_thread();
    int status = aw_run(run_main, &request, &config, NULL);
    check.ran = true;
    if (status == AW_EDEADLOCK) {
        report_if_stuck(INT64_MAX);
    } else if (request.timed_out &&
               !report_if_stuck((int64_t)((check.start_s + limit_s) * 1e9 + 0.5))) {
        check_fail("your code was still running after %s of virtual time (the check "
                   "allows %s): does a loop go on for ever?",
                   check_seconds(limit_s), check_seconds(limit_s));
    }
    check.status = status;
    return status;
}

/* ----------------------------------------------------------------------- */
/* Questions about the run                                                   */
/* ----------------------------------------------------------------------- */

double check_elapsed(void)
{
    return check.end_s - check.start_s;
}

bool check_near(double a, double b)
{
    return fabs(a - b) < 1e-6;
}

const char *check_seconds(double s)
{
    static char buffers[16][32]; /* enough for the times of one message */
    static int next;
    char *b = buffers[next++ % 16];
    snprintf(b, sizeof buffers[0], "%.3f", s);
    char *end = b + strlen(b) - 1;  /* "0.500" -> "0.5", "2.000" -> "2.0" */
    while (end > b + 1 && *end == '0' && end[-1] != '.')
        *end-- = '\0';
    strcat(b, " s");
    return b;
}

/* The events of the case up to the moment drive() returned. */
static const aw_trace_event *events(size_t *n)
{
    const aw_trace_event *e = aw_trace_events(n);
    if (check.end_event > 0 && check.end_event < *n)
        *n = check.end_event;
    return e;
}

static double seconds(int64_t ns)
{
    return (double)ns / 1e9;
}

static bool has_prefix(const char *name, const char *prefix)
{
    return name && (!prefix || strncmp(name, prefix, strlen(prefix)) == 0);
}

/* The name of task `id` (SPAWN events carry it). */
static const char *name_of(const aw_trace_event *e, size_t n, uint32_t id)
{
    for (size_t i = 0; i < n; i++)
        if (e[i].kind == AW_EV_SPAWN && e[i].task == id && e[i].text)
            return e[i].text;
    return id == 1 ? "main" : "?";
}

static check_task_info info_of(const aw_trace_event *e, size_t n, uint32_t id)
{
    check_task_info t = {.outcome = CHECK_NEVER, .started_s = -1, .ended_s = -1,
                         .cancel_requested_s = -1};
    for (size_t i = 0; i < n; i++) {
        if (e[i].task != id || e[i].kind == AW_EV_MARK)
            continue;
        switch (e[i].kind) {
        case AW_EV_SPAWN:
            t.outcome = CHECK_RUNNING;
            t.spawned_s = seconds(e[i].t_ns);
            break;
        case AW_EV_RUN:
            if (t.started_s < 0)
                t.started_s = seconds(e[i].t_ns);
            break;
        case AW_EV_CANCEL:
            if (t.cancel_requested_s < 0)
                t.cancel_requested_s = seconds(e[i].t_ns);
            break;
        case AW_EV_DONE:
            t.ended_s = seconds(e[i].t_ns);
            t.code = e[i].code;
            t.value = (intptr_t)e[i].value;
            t.outcome = e[i].code == AW_OK            ? CHECK_OK
                        : e[i].code == AW_ECANCELLED ? CHECK_CANCELLED
                                                      : CHECK_ERROR;
            break;
        default:
            break;
        }
    }
    return t;
}

check_task_info check_task(const char *name)
{
    size_t n;
    const aw_trace_event *e = events(&n);
    for (size_t i = 0; i < n; i++)
        if (e[i].kind == AW_EV_SPAWN && strcmp(e[i].text, name) == 0)
            return info_of(e, n, e[i].task);
    return info_of(e, 0, 0);
}

int check_count(const char *prefix, check_outcome outcome)
{
    size_t n;
    const aw_trace_event *e = events(&n);
    int count = 0;
    for (size_t i = 0; i < n; i++) {
        if (e[i].kind != AW_EV_SPAWN || e[i].task <= 1 || !has_prefix(e[i].text, prefix))
            continue;
        if (outcome == CHECK_ANY || info_of(e, n, e[i].task).outcome == outcome)
            count++;
    }
    return count;
}

/* Whether a task counts towards a peak after event `ev`, given `on` before. */
static bool counts_after(const aw_trace_event *ev, bool sleeping_only, bool on)
{
    if (ev->kind == AW_EV_DONE)
        return false;
    if (sleeping_only) {
        if (ev->kind == AW_EV_WAIT)
            return ev->text && strcmp(ev->text, "sleep") == 0;
        return ev->kind == AW_EV_WAKE ? false : on;
    }
    return ev->kind == AW_EV_RUN ? true : on;
}

/*
 * Both peaks sweep the events once, keeping a flag per task id: ids are
 * small and dense, so an array indexed by id is all the bookkeeping needed.
 */
static int peak_of(const char *prefix, bool sleeping_only)
{
    size_t n;
    const aw_trace_event *e = events(&n);
    uint32_t max_id = 0;
    for (size_t i = 0; i < n; i++)
        if (e[i].task > max_id)
            max_id = e[i].task;
    char *on = calloc((size_t)max_id + 1, 1);
    char *matches = calloc((size_t)max_id + 1, 1);
    int live = 0, peak = 0;
    for (size_t i = 0; on && matches && i < n; i++) {
        uint32_t id = e[i].task;
        if (e[i].kind == AW_EV_MARK || id <= 1)
            continue;
        if (e[i].kind == AW_EV_SPAWN)
            matches[id] = has_prefix(e[i].text, prefix);
        if (!matches[id])
            continue;
        bool now = counts_after(&e[i], sleeping_only, on[id]);
        live += (int)now - (int)on[id];
        on[id] = now;
        if (live > peak)
            peak = live;
    }
    if (!on || !matches)
        peak = -1;
    free(on);
    free(matches);
    return peak;
}

int check_peak_sleeping(const char *prefix)
{
    return peak_of(prefix, true);
}

int check_peak_alive(const char *prefix)
{
    return peak_of(prefix, false);
}

long check_resource_peak(const char *kind, const char *name)
{
    size_t n;
    const aw_trace_event *e = events(&n);
    long peak = -1;
    for (size_t i = 0; i < n; i++)
        if (e[i].kind == AW_EV_RESOURCE && e[i].text && strcmp(e[i].text, kind) == 0 &&
            e[i].name && strcmp(e[i].name, name) == 0 && e[i].value > peak)
            peak = (long)e[i].value;
    return peak;
}

int check_blocking_steps(double *held_s)
{
    size_t n;
    const aw_trace_event *e = events(&n);
    int count = 0;
    double held = 0;
    for (size_t i = 0; i < n; i++)
        if (e[i].kind == AW_EV_SLOW) {
            count++;
            held += seconds(e[i].value);
        }
    if (held_s)
        *held_s = held;
    return count;
}

int check_left_running(char *names, size_t size)
{
    size_t n;
    const aw_trace_event *e = events(&n);
    int count = 0;
    if (size)
        names[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (e[i].kind != AW_EV_SPAWN || e[i].task <= 1 ||
            info_of(e, n, e[i].task).outcome != CHECK_RUNNING)
            continue;
        size_t used = strlen(names);
        if (used + 40 < size)
            snprintf(names + used, size - used, "%s%s", count ? ", " : "",
                     name_of(e, n, e[i].task));
        count++;
    }
    return count;
}

/* ----------------------------------------------------------------------- */
/* The program                                                               */
/* ----------------------------------------------------------------------- */

int main(void)
{
    const char *fd = getenv("AWAITLAB_CHECK_FD");
    check.verdicts = fd ? fdopen(atoi(fd), "w") : stdout;
    if (!check.verdicts)
        check.verdicts = stdout;
    check.dir = getenv("AWAITLAB_CHECK_DIR") ? getenv("AWAITLAB_CHECK_DIR") : ".";
    exercise_check();
    check_case_end();
    fprintf(check.verdicts, "{\"done\":true,\"cases\":%d}\n", check.case_number);
    fclose(check.verdicts);
    aw_trace_clear();
    return 0;
}
