/*
 * harness.c -- flags, sections and reports for chapter programs.
 *
 * The harness runs every chapter with an in-memory trace switched on, and
 * measures each section from that trace: how long it took, how many tasks
 * it started, how many ran at once at the peak, and how they ended.  So the
 * numbers in a report are what the runtime recorded, not what the chapter
 * claims about itself.
 */
#include "harness.h"
#include "number.h"
#include "suggest.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_SECTIONS = 16, EXIT_USAGE = 2 };

typedef struct section {
    const char *name;
    const char *what;
    size_t first_event, last_event; /* index range in the captured trace */
    int64_t start_ns, end_ns;
    int tasks, peak, ok, failed, cancelled;
    const char *peak_excludes;      /* waiting on it does not count, or NULL */
    json_t *values;
} section;

static struct {
    const lab_chapter *chapter;
    aw_clock clock;
    unsigned long long seed;
    uint64_t rng_state;
    bool json, log, debug;
    const char *trace_path;
    section sections[MAX_SECTIONS];
    int section_count;
    bool section_open;
    double elapsed_s;
    aw_clock clock_used;
    char error_message[120];   /* the chapter's error, if it ended with one */
} lab = {.seed = 1};

/* ----------------------------------------------------------------------- */
/* Flags                                                                     */
/* ----------------------------------------------------------------------- */

static const char *const common_flags[] = {"clock", "seed", "json", "log", "trace",
                                           "debug", "describe", "help", NULL};

static void usage_error(const char *format, ...) __attribute__((format(printf, 1, 2), noreturn));
static void usage_error(const char *format, ...)
{
    va_list ap;
    fprintf(stderr, "awaitlab: chapter %s: ", lab.chapter->number);
    va_start(ap, format);
    vfprintf(stderr, format, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(EXIT_USAGE);
}

static const char *closest_flag(const char *name)
{
    const char *names[64];
    size_t count = 0;
    for (const char *const *f = common_flags; *f && count < 63; f++)
        names[count++] = *f;
    for (const lab_param *p = lab.chapter->params; p && p->name && count < 63; p++)
        names[count++] = p->name;
    names[count] = NULL;
    return suggest_closest(name, names);
}

/* A plain decimal (number.h): no hex, no exponent, no nan or inf, no spaces. */
static double parse_number(const char *flag, const char *text, const char *what)
{
    double v;
    if (!number_parse(text, &v))
        usage_error("--%s %s: not %s (plain decimal digits, such as 3 or 0.5)", flag, text, what);
    return v;
}

static void set_param(const lab_param *p, const char *text)
{
    if (p->kind == LAB_PARAM_STRING) {
        *(const char **)p->value = *text ? text : NULL; /* "" unsets it */
    } else if (p->kind == LAB_PARAM_INT) {
        double v = parse_number(p->name, text, "a whole number");
        if (v != floor(v) || v < p->min || v > p->max)
            usage_error("--%s %s: must be a whole number from %.0f to %.0f", p->name, text,
                        p->min, p->max);
        *(long *)p->value = (long)v;
    } else {
        const char *what = p->kind == LAB_PARAM_RATE ? "a rate between 0 and 1"
                                                     : "a number of seconds";
        double v = parse_number(p->name, text, what);
        if (v < p->min || v > p->max)
            usage_error("--%s %s: must be %s from %g to %g", p->name, text,
                        p->kind == LAB_PARAM_RATE ? "a rate" : "a number of seconds",
                        p->min, p->max);
        *(double *)p->value = v;
    }
}

static const lab_param *find_param(const char *name)
{
    for (const lab_param *p = lab.chapter->params; p && p->name; p++)
        if (strcmp(p->name, name) == 0)
            return p;
    return NULL;
}

static const char *string_param(const lab_param *p)
{
    return *(const char *const *)p->value;
}

static void print_param_value(FILE *f, const lab_param *p)
{
    if (p->kind == LAB_PARAM_STRING)
        fputs(string_param(p) ? string_param(p) : "none", f);
    else if (p->kind == LAB_PARAM_INT)
        fprintf(f, "%ld", *(long *)p->value);
    else
        fprintf(f, "%g", *(double *)p->value);
}

static void print_help(void)
{
    const lab_chapter *c = lab.chapter;
    printf("chapter %s: %s\n%s\n\nusage: awaitlab run %s [flags]\n\nchapter flags:\n",
           c->number, c->title, c->summary, c->number);
    for (const lab_param *p = c->params; p && p->name; p++) {
        printf("  --%-12s %s (default ", p->name, p->help);
        print_param_value(stdout, p);
        printf(")\n");
    }
    printf("\ncommon flags:\n"
           "  --clock real|virtual  real waits in real time; virtual jumps to the\n"
           "                        next deadline (exact, instant). Default: real\n"
           "  --seed N              seed for random choices (default 1)\n"
           "  --json                print one JSON object instead of the summary\n"
           "  --log                 print the normalized event log (conformance)\n"
           "  --trace FILE          write the JSON Lines trace to FILE\n"
           "  --debug               warn about steps that hold the loop >= 0.1 s%s\n"
           "\nNumbers are plain decimals, such as 3, 0.5 or .25: no hexadecimal, no\n"
           "exponent, no nan or inf, no spaces around them.\n",
           c->debug ? " (always on in this chapter)" : "");
}

/* A parameter's value as JSON: a number, a string, or null if unset. */
static json_t *param_json(const lab_param *p)
{
    if (p->kind == LAB_PARAM_STRING)
        return string_param(p) ? json_string(string_param(p)) : json_null();
    if (p->kind == LAB_PARAM_INT)
        return json_integer(*(long *)p->value);
    return json_real(*(double *)p->value);
}

static void describe(void)
{
    const lab_chapter *c = lab.chapter;
    json_t *params = json_array();
    for (const lab_param *p = c->params; p && p->name; p++) {
        json_t *value = param_json(p);
        json_t *param = json_pack("{s:s, s:o, s:s}", "name", p->name, "default", value,
                                  "help", p->help);
        if (p->kind != LAB_PARAM_STRING) { /* the accepted range, for tools and tests */
            json_object_set_new(param, "min", json_real(p->min));
            json_object_set_new(param, "max", json_real(p->max));
        }
        json_array_append_new(params, param);
    }
    json_t *d = json_pack("{s:s, s:s, s:s, s:s, s:s?, s:o}", "number", c->number, "slug",
                          c->slug, "title", c->title, "summary", c->summary, "main_knob",
                          c->main_knob, "params", params);
    json_dumpf(d, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
    putchar('\n');
    json_decref(d);
}

static const char *take_value(int argc, char **argv, int *i, const char *flag,
                              const char *inline_value)
{
    if (inline_value)
        return inline_value;
    if (*i + 1 >= argc)
        usage_error("--%s needs a value", flag);
    return argv[++*i];
}

static void parse_common(const char *flag, const char *value_text, int argc, char **argv, int *i)
{
    if (strcmp(flag, "clock") == 0) {
        const char *v = take_value(argc, argv, i, flag, value_text);
        if (strcmp(v, "real") == 0)
            lab.clock = AW_CLOCK_REAL;
        else if (strcmp(v, "virtual") == 0)
            lab.clock = AW_CLOCK_VIRTUAL;
        else
            usage_error("--clock %s: must be 'real' or 'virtual'", v);
    } else if (strcmp(flag, "seed") == 0) {
        const char *v = take_value(argc, argv, i, flag, value_text);
        char *end;
        errno = 0;
        lab.seed = strtoull(v, &end, 10);
        if (!isdigit((unsigned char)*v) || *end || errno)
            usage_error("--seed %s: must be a whole number of 0 or more", v);
    } else if (strcmp(flag, "trace") == 0) {
        lab.trace_path = take_value(argc, argv, i, flag, value_text);
    } else if (value_text) {
        usage_error("--%s takes no value", flag);
    } else if (strcmp(flag, "json") == 0) {
        lab.json = true;
    } else if (strcmp(flag, "log") == 0) {
        lab.log = true;
    } else if (strcmp(flag, "debug") == 0) {
        lab.debug = true;
    } else if (strcmp(flag, "describe") == 0) {
        describe();
        exit(0);
    } else if (strcmp(flag, "help") == 0) {
        print_help();
        exit(0);
    }
}

static bool is_common(const char *flag)
{
    for (const char *const *f = common_flags; *f; f++)
        if (strcmp(flag, *f) == 0)
            return true;
    return false;
}

static void parse_args(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strncmp(argv[i], "--", 2) != 0)
            usage_error("unexpected argument '%s' (flags start with --; try --help)", argv[i]);
        char flag[64];
        const char *eq = strchr(argv[i] + 2, '=');
        size_t len = eq ? (size_t)(eq - argv[i] - 2) : strlen(argv[i] + 2);
        snprintf(flag, sizeof flag, "%.*s", (int)len, argv[i] + 2);
        const char *inline_value = eq ? eq + 1 : NULL;
        if (is_common(flag)) {
            parse_common(flag, inline_value, argc, argv, &i);
            continue;
        }
        const lab_param *p = find_param(flag);
        if (!p) {
            const char *guess = closest_flag(flag);
            if (guess)
                usage_error("unknown flag --%s (did you mean --%s?)", flag, guess);
            usage_error("unknown flag --%s (try --help)", flag);
        }
        set_param(p, take_value(argc, argv, &i, flag, inline_value));
    }
    if (lab.json && lab.log)
        usage_error("--json and --log each print the whole output; pick one");
}

/* ----------------------------------------------------------------------- */
/* Sections                                                                  */
/* ----------------------------------------------------------------------- */

static section *current_section(void)
{
    return lab.section_count ? &lab.sections[lab.section_count - 1] : NULL;
}

void lab_section(const char *name, const char *what)
{
    if (lab.section_open)
        lab_section_end();
    if (lab.section_count == MAX_SECTIONS)
        return;
    section *s = &lab.sections[lab.section_count++];
    memset(s, 0, sizeof *s);
    s->name = name;
    s->what = what;
    s->values = json_object();
    aw_trace_mark("section %s", name);
    aw_trace_events(&s->first_event);
    s->start_ns = (int64_t)llround(aw_now() * 1e9);
    lab.section_open = true;
    if (!lab.json && !lab.log) {
        printf("\n== %s: %s\n", name, what);
        fflush(stdout);
    }
}

void lab_peak_excludes_waiting_on(const char *name)
{
    if (current_section() && lab.section_open)
        current_section()->peak_excludes = name;
}

/* Does the step that begins at event `run` end with its task parked on `name`? */
static bool step_parks_on(const aw_trace_event *e, size_t n, size_t run, const char *name)
{
    for (size_t i = run + 1; i < n; i++) {
        if (e[i].task != e[run].task || (e[i].kind != AW_EV_WAIT && e[i].kind != AW_EV_DONE))
            continue;
        return e[i].kind == AW_EV_WAIT && e[i].name && strcmp(e[i].name, name) == 0;
    }
    return false;
}

/*
 * Like aw_trace_peak_concurrency(), but a task does not count while it is
 * queued on the resource `name`: from the moment it parks there until it
 * runs a step that does something else.  Two instants need care.  A task's
 * first step, which only finds no permit free and parks, does not count:
 * the task never did any of the limited work.  And a woken waiter counts
 * from its next RUN, not from its WAKE: a release wakes the next waiter
 * before the releasing task has finished, and both would count at once.
 */
static int peak_not_waiting_on(size_t first, size_t last, const char *name)
{
    enum { NOT_STARTED, COUNTED, WAITING, FINISHED };
    size_t n;
    const aw_trace_event *e = aw_trace_events(&n);
    if (last > n)
        last = n;
    uint32_t max_id = 0;
    for (size_t i = 0; i < last; i++)
        if (e[i].task > max_id)
            max_id = e[i].task;
    unsigned char *state = calloc((size_t)max_id + 1, 1);
    if (!state)
        return -1;
    int live = 0, peak = 0;
    for (size_t i = 0; i < last; i++) {
        uint32_t id = e[i].task;
        if (i == first)
            peak = live;
        if (id <= 1 || e[i].kind == AW_EV_MARK)
            continue;
        if (e[i].kind == AW_EV_RUN && (state[id] == NOT_STARTED || state[id] == WAITING)) {
            if (step_parks_on(e, last, i, name)) {
                state[id] = WAITING;
            } else {
                state[id] = COUNTED;
                live++;
            }
        } else if (e[i].kind == AW_EV_WAIT && state[id] == COUNTED && e[i].name &&
                   strcmp(e[i].name, name) == 0) {
            state[id] = WAITING;
            live--;
        } else if (e[i].kind == AW_EV_DONE) {
            live -= state[id] == COUNTED;
            state[id] = FINISHED;
        }
        if (i >= first && live > peak)
            peak = live;
    }
    free(state);
    return peak;
}

/* Counts the section's tasks and their outcomes from the trace. */
static void measure(section *s)
{
    size_t n;
    const aw_trace_event *e = aw_trace_events(&n);
    uint32_t first_id = UINT32_MAX;
    for (size_t i = s->first_event; i < s->last_event; i++) {
        if (e[i].kind != AW_EV_SPAWN)
            continue;
        s->tasks++;
        if (e[i].task < first_id)
            first_id = e[i].task;
    }
    for (size_t i = s->first_event; i < s->last_event; i++) {
        if (e[i].kind != AW_EV_DONE || e[i].task < first_id)
            continue;
        if (e[i].code == AW_OK)
            s->ok++;
        else if (e[i].code == AW_ECANCELLED)
            s->cancelled++;
        else
            s->failed++;
    }
    if (s->peak_excludes)
        s->peak = peak_not_waiting_on(s->first_event, s->last_event, s->peak_excludes);
    else
        s->peak = aw_trace_peak_concurrency(s->first_event, s->last_event);
}

void lab_section_end(void)
{
    section *s = current_section();
    if (!s || !lab.section_open)
        return;
    lab.section_open = false;
    s->end_ns = (int64_t)llround(aw_now() * 1e9);
    aw_trace_events(&s->last_event);
    aw_trace_mark("section-end %s", s->name);
    measure(s);
    if (!lab.json && !lab.log) {
        printf("   %.3f s  %d tasks  peak %d at once  %d ok  %d failed  %d cancelled\n",
               (double)(s->end_ns - s->start_ns) / 1e9, s->tasks, s->peak, s->ok,
               s->failed, s->cancelled);
        if (s->peak_excludes)
            printf("   (the peak leaves out tasks waiting on '%s')\n", s->peak_excludes);
        fflush(stdout);
    }
}

void lab_value_int(const char *key, long value)
{
    if (current_section())
        json_object_set_new(current_section()->values, key, json_integer(value));
}

void lab_value_double(const char *key, double value)
{
    if (current_section())
        json_object_set_new(current_section()->values, key, json_real(value));
}

void lab_value_bool(const char *key, bool value)
{
    if (current_section())
        json_object_set_new(current_section()->values, key, json_boolean(value));
}

void lab_value_str(const char *key, const char *format, ...)
{
    char text[256];
    va_list ap;
    va_start(ap, format);
    vsnprintf(text, sizeof text, format, ap);
    va_end(ap);
    if (current_section())
        json_object_set_new(current_section()->values, key, json_string(text));
}

void lab_say(const char *format, ...)
{
    if (lab.json || lab.log)
        return;
    va_list ap;
    va_start(ap, format);
    fputs("   ", stdout);
    vprintf(format, ap);
    va_end(ap);
    putchar('\n');
    fflush(stdout);
}

long lab_count_in_state(aw_task *const *tasks, long count, aw_task_state state)
{
    long found = 0;
    for (long i = 0; i < count; i++)
        found += tasks[i] && aw_task_state_of(tasks[i]) == state;
    return found;
}

/* splitmix64: tiny, well tested, and easy to write the same way in Python. */
double lab_random(void)
{
    uint64_t z = (lab.rng_state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    z ^= z >> 31;
    return (double)(z >> 11) * 0x1.0p-53;
}

unsigned long long lab_seed(void)
{
    return lab.seed;
}

/* ----------------------------------------------------------------------- */
/* Reports                                                                   */
/* ----------------------------------------------------------------------- */

static json_t *params_json(void)
{
    json_t *params = json_object();
    for (const lab_param *p = lab.chapter->params; p && p->name; p++)
        json_object_set_new(params, p->name, param_json(p));
    json_object_set_new(params, "seed", json_integer((json_int_t)lab.seed));
    return params;
}

static void print_json(double elapsed)
{
    json_t *sections = json_array();
    for (int i = 0; i < lab.section_count; i++) {
        section *s = &lab.sections[i];
        json_array_append_new(
            sections,
            json_pack("{s:s, s:f, s:i, s:i, s:s*, s:i, s:i, s:i, s:O}", "name", s->name,
                      "elapsed_s", (double)(s->end_ns - s->start_ns) / 1e9, "tasks", s->tasks,
                      "peak_concurrency", s->peak, "peak_excludes_waiting_on",
                      s->peak_excludes, "ok", s->ok, "failed", s->failed, "cancelled",
                      s->cancelled, "values", s->values));
    }
    json_t *report = json_pack(
        "{s:s, s:s, s:s, s:o, s:f, s:o}", "chapter", lab.chapter->number, "title",
        lab.chapter->title, "clock",
        lab.clock_used == AW_CLOCK_VIRTUAL ? "virtual" : "real", "params", params_json(),
        "elapsed_s", elapsed, "sections", sections);
    json_dumpf(report, stdout, JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(9));
    putchar('\n');
    json_decref(report);
}

static void print_time_ms(int64_t ns)
{
    printf("%.3f", (double)llround((double)ns / 1e6) / 1000.0);
}

/*
 * The normalized event log the conformance suite compares with the Python
 * twin's: sections, task starts and ends, in order, with times in whole
 * milliseconds.  Both sides run on a virtual clock there, so the times are
 * exact and compared exactly.
 */
static void print_log(void)
{
    size_t n;
    const aw_trace_event *e = aw_trace_events(&n);
    const char **names = calloc(n + 2, sizeof *names);
    bool *started = calloc(n + 2, sizeof *started);
    for (size_t i = 0; names && started && i < n; i++) {
        uint32_t id = e[i].task;
        if (e[i].kind == AW_EV_SPAWN && id <= n + 1)
            names[id] = e[i].text;
        if (e[i].kind == AW_EV_MARK) {
            print_time_ms(e[i].t_ns);
            printf(" %s\n", e[i].text);
        } else if (id > 1 && e[i].kind == AW_EV_RUN && !started[id]) {
            started[id] = true;
            print_time_ms(e[i].t_ns);
            printf(" start %s\n", names[id]);
        } else if (id > 1 && e[i].kind == AW_EV_DONE && started[id]) {
            /* A task cancelled before it ever ran has no line at all: its
             * coroutine never started, which is what asyncio's side sees. */
            print_time_ms(e[i].t_ns);
            if (e[i].code == AW_OK)
                printf(" end %s ok\n", names[id]);
            else if (e[i].code == AW_ECANCELLED)
                printf(" end %s cancelled\n", names[id]);
            else
                printf(" end %s error %s\n", names[id], e[i].text ? e[i].text : "");
        }
    }
    free(names);
    free(started);
}

/* Runs the chapter's main as the runtime's main task, and times it. */
static int harness_main(void *arg, intptr_t *result)
{
    (void)arg;
    int status = lab.chapter->main(NULL, result);
    const aw_error *error = aw_last_error();
    if (status != AW_OK && error && error->code == status) /* say what, not just the code */
        snprintf(lab.error_message, sizeof lab.error_message, "%s", error->message);
    if (lab.section_open)
        lab_section_end();
    lab.elapsed_s = aw_now();
    lab.clock_used = aw_clock_in_use();
    return status;
}

int lab_main(const lab_chapter *chapter, int argc, char **argv)
{
    lab.chapter = chapter;
    parse_args(argc, argv);
    lab.rng_state = lab.seed;

    aw_config config = {.clock = lab.clock, .trace_path = lab.trace_path,
                        .trace_capture = true, .debug = lab.debug || chapter->debug};
    if (!lab.json && !lab.log) {
        printf("chapter %s: %s\n", chapter->number, chapter->title);
        for (const lab_param *p = chapter->params; p && p->name; p++) {
            if (p->kind == LAB_PARAM_STRING && !string_param(p))
                continue; /* unset: the chapter says what it does instead */
            printf("%s=", p->name);
            print_param_value(stdout, p);
            putchar(' ');
        }
        const char *env = getenv("AWAITLAB_CLOCK");
        bool virtual_clock = lab.clock == AW_CLOCK_VIRTUAL ||
                             (lab.clock == AW_CLOCK_DEFAULT && env && !strcmp(env, "virtual"));
        printf("clock=%s\n", virtual_clock ? "virtual" : "real");
        fflush(stdout);
    }
    int status = aw_run(harness_main, NULL, &config, NULL);
    if (status != AW_OK) {
        fprintf(stderr, "awaitlab: chapter %s ended with an error: %s\n", chapter->number,
                lab.error_message[0] ? lab.error_message : aw_strerror(status));
    }
    if (lab.json)
        print_json(lab.elapsed_s);
    else if (lab.log)
        print_log();
    else
        printf("\ntotal %.3f s\n", lab.elapsed_s);
    for (int i = 0; i < lab.section_count; i++)
        json_decref(lab.sections[i].values);
    aw_trace_clear();
    return status == AW_OK ? 0 : 1;
}
