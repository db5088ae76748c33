/*
 * judge.c -- ex_check(): build, run, and turn what happened into a result.
 *
 * The verdicts of the check program are trusted only as far as they go:
 * each line is one case, and the run counts as complete only if the last
 * line says {"done": true}.  Anything else -- a signal, a sanitizer report,
 * a limit, an exit() in the middle -- is judged from the outside, from the
 * exit status and the first lines of stderr, and named in words a student
 * can act on.  The cases that finished before keep their verdicts.
 */
#include "checker_internal.h"
#include "timeline_text.h"
#include "trace_model.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ----------------------------------------------------------------------- */
/* Small helpers                                                             */
/* ----------------------------------------------------------------------- */

char *ex__format(const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    char *s = NULL;
    if (vasprintf(&s, format, ap) < 0)
        s = NULL;
    va_end(ap);
    return s;
}

int ex__copy_file(const char *from, const char *to)
{
    int in = open(from, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return -1;
    int out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (out < 0) {
        close(in);
        return -1;
    }
    char buffer[65536];
    ssize_t n;
    int status = 0;
    while ((n = read(in, buffer, sizeof buffer)) > 0)
        if (write(out, buffer, (size_t)n) != n) {
            status = -1;
            break;
        }
    if (n < 0)
        status = -1;
    close(in);
    if (close(out) != 0)
        status = -1;
    return status;
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

const char *ex_status_name(ex_status s)
{
    static const char *const names[] = {"passed",         "failed",      "compile-error",
                                        "crashed",        "sanitizer",   "cpu-limit",
                                        "time-limit",     "memory-limit", "output-limit",
                                        "missing",        "internal-error"};
    return (size_t)s < sizeof names / sizeof *names ? names[s] : "?";
}

ex_case *ex__add_case(ex_result *r, const char *title, bool passed, const char *message)
{
    ex_case *grown = realloc(r->cases, (r->n_cases + 1) * sizeof *grown);
    if (!grown)
        return NULL;
    r->cases = grown;
    ex_case *c = &r->cases[r->n_cases++];
    *c = (ex_case){.title = strdup(title), .passed = passed,
                   .message = message && *message ? strdup(message) : NULL, .elapsed_s = -1};
    return c;
}

static const char INTERRUPTED[] = "interrupted";

void ex_result_mark_interrupted(ex_result *r)
{
    r->status = EX_INTERNAL;
    free(r->summary);
    r->summary = strdup(INTERRUPTED);
    free(r->details);
    r->details = NULL;
}

bool ex_result_interrupted(const ex_result *r)
{
    return r->status == EX_INTERNAL && r->summary && strcmp(r->summary, INTERRUPTED) == 0;
}

void ex_result_free(ex_result *r)
{
    for (size_t i = 0; i < r->n_cases; i++) {
        free(r->cases[i].title);
        free(r->cases[i].message);
        free(r->cases[i].timeline);
    }
    free(r->cases);
    free(r->summary);
    free(r->details);
    free(r->warnings);
    free(r->output);
    memset(r, 0, sizeof *r);
}

char *ex__timeline(const char *trace_path, int width)
{
    tv_model *model = tv_model_load_path(trace_path);
    if (!model)
        return NULL;
    tv_section whole = tv_model_whole_run(model);
    tv_timeline_options options = {.width = width > 0 ? width : 60, .max_tasks = 24};
    char *text = tv_timeline_render_string(model, &whole, &options);
    tv_model_free(model);
    return text;
}

/* ----------------------------------------------------------------------- */
/* The environment of a run                                                  */
/* ----------------------------------------------------------------------- */

char **ex__run_env(const ex_options *o, const char *run_dir, bool for_prediction, ex__env *e)
{
    ex_limits l = o->run_limits;
    /* Leaks are errors too; memory is bounded by the sanitizer (confine.h). */
    snprintf(e->asan, sizeof e->asan,
             "ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:malloc_limit_mb=%lu:"
             "hard_rss_limit_mb=%lu:detect_stack_use_after_return=0",
             l.mem_mb, l.mem_mb);
    snprintf(e->dir, sizeof e->dir, "AWAITLAB_CHECK_DIR=%s", run_dir);
    snprintf(e->trace, sizeof e->trace, "AWAITLAB_TRACE=%s/case-1.jsonl", run_dir);
    int n = 0;
    e->vars[n++] = "PATH=/usr/bin:/bin";
    e->vars[n++] = "LC_ALL=C";
    e->vars[n++] = "TMPDIR=/tmp";
    e->vars[n++] = e->asan;
    e->vars[n++] = "UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1";
    e->vars[n++] = "AWAITLAB_CHECK_FD=3";
    e->vars[n++] = e->dir;
    if (for_prediction) {
        e->vars[n++] = "AWAITLAB_CLOCK=virtual";
        e->vars[n++] = e->trace;
    }
    e->vars[n] = NULL;
    return e->vars;
}

/* ----------------------------------------------------------------------- */
/* Judging how the run ended                                                 */
/* ----------------------------------------------------------------------- */

/* The report starting at the line holding `marker`, at most `lines` long. */
static char *excerpt(const char *text, const char *marker, int lines)
{
    const char *start = strstr(text, marker);
    if (!start)
        return NULL;
    while (start > text && start[-1] != '\n')
        start--;
    const char *end = start;
    for (int i = 0; i < lines && *end; i++) {
        const char *nl = strchr(end, '\n');
        end = nl ? nl + 1 : end + strlen(end);
    }
    return ex__format("%.*s", (int)(end - start), start);
}

/* The line holding `marker`, without its newline. */
static char *line_with(const char *text, const char *marker)
{
    const char *at = strstr(text, marker);
    if (!at)
        return NULL;
    size_t n = strcspn(at, "\n");
    return ex__format("%.*s", (int)n, at);
}

static void set(ex_result *r, ex_status status, char *summary, char *details)
{
    r->status = status;
    free(r->summary);
    r->summary = summary;
    free(r->details);
    r->details = details;
}

static bool judge_sanitizers(const ex_outcome *out, ex_result *r)
{
    const char *err = out->err;
    if (strstr(err, "hard rss limit") || strstr(err, "allocator is out of memory") ||
        strstr(err, "malloc_limit_mb") || strstr(err, "allocation-size-too-big") ||
        strstr(err, "rss-limit-exceeded")) {
        set(r, EX_MEMORY_LIMIT, NULL, excerpt(err, "ERROR: ", 6)); /* the caller says it */
        return true;
    }
    static const char *const markers[] = {"ERROR: AddressSanitizer", "ERROR: LeakSanitizer",
                                          "runtime error:", NULL};
    for (const char *const *m = markers; *m; m++) {
        if (!strstr(err, *m))
            continue;
        char *summary = line_with(err, "SUMMARY: ");
        char *first = line_with(err, *m);
        const char *what = summary ? summary + 9 : first ? first : *m;
        const char *colon = strstr(what, "Sanitizer: ");
        if (colon && colon - what < 20)
            what = colon + 11; /* "AddressSanitizer: heap-buffer-overflow" */
        bool leak = strstr(*m, "Leak") != NULL;
        set(r, EX_SANITIZER,
            ex__format("%s found a bug: %s%s",
                       leak                    ? "LeakSanitizer"
                       : strstr(*m, "runtime") ? "UndefinedBehaviorSanitizer"
                                               : "AddressSanitizer",
                       what,
                       leak ? " -- memory allocated and never freed; the report says where "
                              "it was allocated"
                            : ""),
            excerpt(err, *m, 24));
        free(summary);
        free(first);
        return true;
    }
    return false;
}

bool ex__judge_ending(const ex_outcome *out, const ex_limits *l, ex_result *r)
{
    if (out->interrupted) {
        ex_result_mark_interrupted(r);
        return false;
    }
    if (out->output_exceeded) {
        set(r, EX_OUTPUT_LIMIT,
            ex__format("printed more than %zu KiB and was stopped -- a print in a loop "
                       "that never ends?", l->output_bytes / 1024),
            NULL);
        return false;
    }
    if (out->wall_exceeded) {
        set(r, EX_TIME_LIMIT,
            ex__format("still running after %.0f s of real time, and was stopped: on the "
                       "virtual clock sleeps take no real time, so something loops without "
                       "end, or blocks for real",
                       l->wall_s),
            NULL);
        return false;
    }
    if (out->signal == SIGXCPU ||
        (out->signal == SIGKILL && out->cpu_s >= (double)l->cpu_s - 0.5)) {
        set(r, EX_CPU_LIMIT,
            ex__format("used all of its %u s of CPU time and was stopped: an endless loop? "
                       "A task that loops without awaiting never lets another task run, "
                       "nor the virtual clock move",
                       l->cpu_s),
            NULL);
        return false;
    }
    if (judge_sanitizers(out, r)) {
        if (r->status == EX_MEMORY_LIMIT) {
            free(r->summary);
            r->summary = ex__format("used more than its %lu MB of memory and was stopped: "
                                    "does something grow without end (a queue nobody "
                                    "drains, tasks spawned in a loop)?",
                                    l->mem_mb);
        }
        return false;
    }
    if (out->signal == SIGXFSZ) {
        set(r, EX_OUTPUT_LIMIT,
            ex__format("wrote more than %zu MiB to a file (its trace, most likely) and was "
                       "stopped: a loop that never ends? A task that calls aw_yield() in a "
                       "loop lets the other ready tasks run, but never lets the virtual "
                       "clock move on",
                       l->file_bytes >> 20),
            NULL);
        return false;
    }
    char *overflow = line_with(out->err, "awaitlab: stack overflow");
    if (overflow) {
        set(r, EX_CRASHED, ex__format("crashed: %s", overflow + 10), NULL);
        free(overflow);
        return false;
    }
    if (out->signal) {
        set(r, EX_CRASHED,
            ex__format("crashed: %s (signal %d)", strsignal(out->signal), out->signal),
            out->err[0] ? ex__format("%.*s", 2000, out->err) : NULL);
        return false;
    }
    return true;
}

/* ----------------------------------------------------------------------- */
/* Verdicts                                                                  */
/* ----------------------------------------------------------------------- */

/* Reads the verdict lines; returns whether the last one said "done". */
static bool read_verdicts(const char *channel, const char *run_dir, const char *prefix,
                          const ex_options *o, ex_result *r)
{
    bool done = false;
    for (const char *line = channel; *line;) {
        size_t n = strcspn(line, "\n");
        json_error_t jerr;
        json_t *v = json_loadb(line, n, 0, &jerr);
        line += n + (line[n] ? 1 : 0);
        if (!v)
            continue;
        const char *title = NULL, *message = "", *trace = NULL;
        int passed = 0;
        double elapsed = -1;
        if (json_is_true(json_object_get(v, "done"))) {
            done = true;
        } else if (json_unpack(v, "{s:s, s:b, s?s, s?s, s?F}", "case", &title, "passed",
                               &passed, "message", &message, "trace", &trace, "elapsed",
                               &elapsed) == 0) {
            char *full = ex__format("%s%s", prefix, title);
            ex_case *c = ex__add_case(r, full ? full : title, passed, message);
            free(full);
            if (c) {
                c->elapsed_s = elapsed;
                if (trace && !strchr(trace, '/') && (!passed || o->all_timelines)) {
                    char path[4400];
                    snprintf(path, sizeof path, "%s/%s", run_dir, trace);
                    c->timeline = ex__timeline(path, o->timeline_width);
                }
            }
        }
        json_decref(v);
    }
    return done;
}

/* The case the run was in when it stopped, with what its trace shows. */
static void add_interrupted_case(ex_result *r, const char *run_dir, size_t before,
                                 const ex_options *o)
{
    char path[4400];
    snprintf(path, sizeof path, "%s/case-%zu.jsonl", run_dir, before + 1);
    if (access(path, R_OK) != 0)
        return;
    ex_case *c = ex__add_case(r, "the case that was running", false, r->summary);
    if (c)
        c->timeline = ex__timeline(path, o->timeline_width);
}

static char *trimmed_output(const ex_outcome *out)
{
    if (!out->out[0])
        return NULL;
    if (out->output_exceeded) /* how much got through before the kill is luck */
        return ex__format("%.2000s\n... (stopped at the output limit)", out->out);
    if (out->out_total > 2000)
        return ex__format("%.2000s\n... (%zu bytes in all)", out->out, out->out_total);
    return strdup(out->out);
}

/* `text` with every `from` replaced by `to` (a new string; `text` is freed). */
static char *replace_all(char *text, const char *from, const char *to)
{
    if (!text || !*from || !strstr(text, from))
        return text;
    size_t count = 0, from_len = strlen(from), to_len = strlen(to);
    for (const char *p = strstr(text, from); p; p = strstr(p + from_len, from))
        count++;
    char *out = malloc(strlen(text) + count * to_len + 1), *w = out;
    if (!out)
        return text;
    for (const char *p = text, *hit; (hit = strstr(p, from)) || *p;) {
        size_t n = hit ? (size_t)(hit - p) : strlen(p);
        memcpy(w, p, n);
        w += n;
        if (!hit)
            break;
        memcpy(w, to, to_len);
        w += to_len;
        p = hit + from_len;
    }
    *w = '\0';
    free(text);
    return out;
}

/*
 * Takes out of a report what changes from run to run -- process ids
 * ("==1234==") and addresses -- so that the same code gets the same
 * feedback, byte for byte, every time it is checked (grades rely on it).
 */
static char *normalise(char *text)
{
    if (!text)
        return NULL;
    char *w = text;
    for (const char *p = text; *p;) {
        if (p[0] == '=' && p[1] == '=' && isdigit((unsigned char)p[2])) {
            const char *q = p + 2;
            while (isdigit((unsigned char)*q))
                q++;
            if (q[0] == '=' && q[1] == '=') {
                memcpy(w, "==", 2);
                w += 2;
                p = q + 2;
                continue;
            }
        }
        if (p[0] == '0' && p[1] == 'x' && isxdigit((unsigned char)p[2])) {
            const char *q = p + 2;
            while (isxdigit((unsigned char)*q))
                q++;
            if (q - p > 6) { /* an address, not a small constant */
                memcpy(w, "0x...", 5);
                w += 5;
                p = q;
                continue;
            }
        }
        *w++ = *p++;
    }
    *w = '\0';
    return text;
}

/* Sanitizer reports name the scratch copy of the file: name the student's. */
static void rename_copy(ex_result *r, const char *copy, const char *shown)
{
    r->summary = normalise(replace_all(r->summary, copy, shown));
    r->details = normalise(replace_all(r->details, copy, shown));
    for (size_t i = 0; i < r->n_cases; i++)
        r->cases[i].message = replace_all(r->cases[i].message, copy, shown);
}

/* Runs a built check program and adds its cases (titles after `prefix`). */
static void run_check_program(const char *binary, const char *run_dir, const char *prefix,
                              const ex_options *o, ex_result *r)
{
    char *argv[] = {(char *)binary, NULL};
    ex_sandbox sandbox = o->sandbox;
    sandbox.writable_dir = o->scratch;
    sandbox.readable[0] = NULL;
    ex_outcome out;
    double start = now_s();
    size_t before = r->n_cases;
    ex__env env;
    if (ex_confined_run(argv, run_dir, ex__run_env(o, run_dir, false, &env), &o->run_limits,
                        &sandbox, &out) != 0) {
        set(r, EX_INTERNAL, ex__format("cannot run the check: %s", strerror(errno)), NULL);
        return;
    }
    r->run_s += now_s() - start;
    bool done = read_verdicts(out.channel, run_dir, prefix, o, r);
    if (!r->output)
        r->output = trimmed_output(&out);
    if (!ex__judge_ending(&out, &o->run_limits, r)) {
        add_interrupted_case(r, run_dir, r->n_cases - before, o);
    } else if (!done) {
        set(r, EX_CRASHED,
            ex__format("the program ended (exit status %d) before the check had run every "
                       "case: does your code call exit() or abort()?",
                       out.exit_code),
            out.err[0] ? ex__format("%.*s", 2000, out.err) : NULL);
        add_interrupted_case(r, run_dir, r->n_cases - before, o);
    }
    ex_outcome_free(&out);
}

/* ----------------------------------------------------------------------- */
/* ex_check                                                                  */
/* ----------------------------------------------------------------------- */

static void summarise(ex_result *r)
{
    size_t failed = 0;
    for (size_t i = 0; i < r->n_cases; i++)
        failed += !r->cases[i].passed;
    if (r->status == EX_PASSED && (failed > 0 || r->n_cases == 0))
        r->status = EX_FAILED;
    if (r->summary)
        return;
    if (r->status == EX_PASSED)
        r->summary = ex__format("all %zu case%s passed", r->n_cases, r->n_cases == 1 ? "" : "s");
    else if (r->n_cases == 0)
        r->summary = strdup("the check ran no case");
    else
        r->summary = ex__format("%zu of %zu case%s failed", failed, r->n_cases,
                                r->n_cases == 1 ? "" : "s");
}

/* The prebuilt object of a check, else its source (the link compiles it). */
static void check_object(const ex_options *o, const ex_exercise *e, char *buf, size_t size)
{
    snprintf(buf, size, "%s/checks/%s/%s.check.o", o->lib_dir, e->dir, e->name);
    char source[4400];
    snprintf(source, sizeof source, "%s/tests/exercises/%s/%s.check.c", o->home, e->dir, e->name);
    struct stat object_stat, source_stat;
    if (stat(buf, &object_stat) != 0 ||
        (stat(source, &source_stat) == 0 && source_stat.st_mtime > object_stat.st_mtime))
        snprintf(buf, size, "%s", source);
}

int ex__make_dirs(const ex_options *o, char *src, char *run, size_t size, ex_result *r)
{
    snprintf(src, size, "%s/src", o->scratch);
    snprintf(run, size, "%s/run", o->scratch);
    if ((mkdir(src, 0755) != 0 && errno != EEXIST) || (mkdir(run, 0777) != 0 && errno != EEXIST)) {
        set(r, EX_INTERNAL, ex__format("cannot make %s: %s", src, strerror(errno)), NULL);
        return -1;
    }
    chmod(run, 0777); /* a sandboxed run may be another user */
    if (o->sandbox.enabled && o->sandbox.uid && geteuid() == 0) {
        /* ... whose compiler writes its object next to the source */
        if (chown(o->scratch, o->sandbox.uid, o->sandbox.uid) != 0 ||
            chown(src, o->sandbox.uid, o->sandbox.uid) != 0) {
            set(r, EX_INTERNAL, ex__format("cannot hand %s over: %s", src, strerror(errno)),
                NULL);
            return -1;
        }
    }
    return 0;
}

int ex_check(const ex_exercise *e, const char *student_file, const ex_options *given,
             ex_result *r)
{
    memset(r, 0, sizeof *r);
    ex_options o = *given;
    /* The build and the run happen in the scratch directory: every path
     * they are given must hold from there. */
    char home[4096], lib_dir[4096], file[4096];
    if (realpath(given->home, home))
        o.home = home;
    if (realpath(given->lib_dir, lib_dir))
        o.lib_dir = lib_dir;
    if (realpath(student_file, file))
        student_file = file;
    if (o.run_limits.wall_s <= 0)
        o.run_limits = ex_limits_for_run();
    char shown[200];
    ex_student_path(e, shown, sizeof shown);
    if (access(student_file, R_OK) != 0) {
        set(r, EX_MISSING, ex__format("%s is missing (awaitlab reset %s restores it)", shown,
                                      e->name),
            NULL);
        return 0;
    }
    if (e->kind == EX_PREDICT)
        return ex__check_prediction(e, student_file, &o, r);

    char src[4200], run[4200], name_c[64], binary[4300], object[4400];
    if (ex__make_dirs(&o, src, run, sizeof src, r) != 0)
        return 0;
    snprintf(name_c, sizeof name_c, "%s.c", e->name);
    char copy[4300];
    snprintf(copy, sizeof copy, "%s/%s", src, name_c);
    if (ex__copy_file(student_file, copy) != 0) {
        set(r, EX_INTERNAL, ex__format("cannot copy %s: %s", student_file, strerror(errno)), NULL);
        return 0;
    }
    snprintf(binary, sizeof binary, "%s/check", o.scratch);
    check_object(&o, e, object, sizeof object);
    const char *objects[] = {object, NULL};
    double start = now_s();
    int built = ex__build(&o, src, name_c, shown, objects, true, binary, r);
    r->build_s = now_s() - start;
    if (built != 0)
        return 0;
    run_check_program(binary, run, "", &o, r);
    rename_copy(r, copy, shown);
    if (r->status == EX_PASSED && o.extra_check) {
        /* The instructor's cases: the same student object, their own world. */
        char extra_run[4300], extra_binary[4300];
        snprintf(extra_run, sizeof extra_run, "%s/extra", o.scratch);
        mkdir(extra_run, 0777);
        chmod(extra_run, 0777);
        snprintf(extra_binary, sizeof extra_binary, "%s/check-extra", o.scratch);
        const char *extra[] = {o.extra_check, NULL};
        if (ex__build(&o, src, name_c, shown, extra, true, extra_binary, r) == 0)
            run_check_program(extra_binary, extra_run, "(instructor) ", &o, r);
    }
    summarise(r);
    return 0;
}
