/*
 * trace.c -- recording what happens, for people and for tests.
 *
 * Every change of a task's state is an event (see docs/trace-format.md).
 * Events go to up to two places:
 *
 *   - a JSON Lines file (AWAITLAB_TRACE=path, or fd:N), written as they
 *     happen, so the viewer and `awaitlab run --timeline` can draw them and
 *     any program on the runtime can be watched;
 *   - an in-memory array (aw_config.trace_capture), which tests and the
 *     chapter harness query with the aw_trace_*() functions.
 *
 * When neither is on, AW__TRACE() costs one predictable branch, which is why
 * the check is a global flag and not a function call.
 */
#include "internal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

bool aw__trace_enabled;

static struct {
    FILE *out;
    aw_clock clock;
    bool capture;
    aw_trace_event *events;
    size_t count;
    size_t capacity;
} trace;

/* ----------------------------------------------------------------------- */
/* JSON Lines                                                                */
/* ----------------------------------------------------------------------- */

/*
 * Times print as seconds with exactly six decimals, computed in integers so
 * that the same nanoseconds always give the same bytes.
 */
static void put_seconds(FILE *f, int64_t ns)
{
    int64_t us = (ns + 500) / 1000;
    fprintf(f, "%lld.%06lld", (long long)(us / 1000000), (long long)(us % 1000000));
}

/* A JSON string: quotes, backslashes and control characters escaped. */
static void put_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p < 0x20)
            fprintf(f, "\\u%04x", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

static void put_outcome(FILE *f, int code, int64_t value, const aw_error *error)
{
    if (code == AW_OK) {
        fprintf(f, ",\"outcome\":\"ok\",\"value\":%lld", (long long)value);
    } else if (code == AW_ECANCELLED) {
        fputs(",\"outcome\":\"cancelled\"", f);
    } else {
        fprintf(f, ",\"outcome\":\"error\",\"code\":%d,\"error\":", code);
        put_string(f, error ? error->message : aw_strerror(code));
        fputs(",\"origin\":", f);
        put_string(f, error ? error->origin : "");
    }
}

static void write_line(const aw_trace_event *e, const aw_error *error)
{
    static const char *const names[] = {
        [AW_EV_SPAWN] = "spawn", [AW_EV_RUN] = "run",       [AW_EV_WAIT] = "wait",
        [AW_EV_WAKE] = "wake",   [AW_EV_CANCEL] = "cancel", [AW_EV_DONE] = "done",
        [AW_EV_MARK] = "mark",   [AW_EV_SLOW] = "slow",     [AW_EV_RESOURCE] = "resource"};
    FILE *f = trace.out;
    fputs("{\"t\":", f);
    put_seconds(f, e->t_ns);
    fprintf(f, ",\"ev\":\"%s\"", names[e->kind]);
    if (e->kind != AW_EV_MARK && e->kind != AW_EV_RESOURCE)
        fprintf(f, ",\"task\":%u", e->task);
    switch (e->kind) {
    case AW_EV_SPAWN:
        fputs(",\"name\":", f);
        put_string(f, e->text);
        fprintf(f, ",\"parent\":%u", e->other);
        break;
    case AW_EV_WAIT:
        fputs(",\"on\":", f);
        put_string(f, e->text);
        fprintf(f, ",\"target\":%u", e->other);
        if (e->name) {
            fputs(",\"name\":", f);
            put_string(f, e->name);
        }
        if (strcmp(e->text, "sleep") == 0) {
            fputs(",\"until\":", f);
            put_seconds(f, e->value);
        }
        break;
    case AW_EV_WAKE:
        fprintf(f, ",\"status\":%d", e->code);
        break;
    case AW_EV_CANCEL:
        fprintf(f, ",\"by\":%u", e->other);
        break;
    case AW_EV_DONE:
        put_outcome(f, e->code, e->value, error);
        break;
    case AW_EV_MARK:
        fputs(",\"text\":", f);
        put_string(f, e->text);
        break;
    case AW_EV_SLOW:
        fputs(",\"held\":", f);
        put_seconds(f, e->value);
        break;
    case AW_EV_RESOURCE:
        fputs(",\"kind\":", f);
        put_string(f, e->text);
        fputs(",\"name\":", f);
        put_string(f, e->name ? e->name : "");
        fprintf(f, ",\"level\":%lld,\"capacity\":%d,\"waiters\":%d,\"owner\":%u",
                (long long)e->value, e->code, e->waiters, e->other);
        break;
    case AW_EV_RUN:
        break;
    }
    fputs("}\n", f);
}

/* ----------------------------------------------------------------------- */
/* In memory                                                                 */
/* ----------------------------------------------------------------------- */

static void capture(aw_trace_event e)
{
    if (trace.count == trace.capacity) {
        size_t capacity = trace.capacity ? trace.capacity * 2 : 1024;
        aw_trace_event *events = realloc(trace.events, capacity * sizeof *events);
        if (!events) {
            fprintf(stderr, "awaitlab: out of memory for the trace; capture stopped\n");
            trace.capture = false;
            return;
        }
        trace.events = events;
        trace.capacity = capacity;
    }
    if (e.text)
        e.text = strdup(e.text);
    if (e.name)
        e.name = strdup(e.name);
    trace.events[trace.count++] = e;
}

void aw_trace_clear(void)
{
    for (size_t i = 0; i < trace.count; i++) {
        free((char *)trace.events[i].text);
        free((char *)trace.events[i].name);
    }
    free(trace.events);
    trace.events = NULL;
    trace.count = trace.capacity = 0;
}

const aw_trace_event *aw_trace_events(size_t *count)
{
    if (count)
        *count = trace.count;
    return trace.events;
}

/* ----------------------------------------------------------------------- */
/* The runtime's side                                                        */
/* ----------------------------------------------------------------------- */

static void record(aw_trace_event e, const aw_error *error)
{
    if (trace.out)
        write_line(&e, error);
    if (trace.capture) {
        if (e.kind == AW_EV_DONE && error)
            e.text = error->message;
        capture(e);
    }
}

void aw__trace_emit(aw_trace_kind kind, uint32_t task, uint32_t other, int code,
                    int64_t value, const char *text, const aw_error *error)
{
    record((aw_trace_event){.t_ns = aw__now_ns(), .kind = kind, .task = task, .other = other,
                            .code = code, .value = value, .text = text},
           error);
}

void aw__trace_wait(const aw_task *task, const aw__wait *wait)
{
    record((aw_trace_event){.t_ns = aw__now_ns(), .kind = AW_EV_WAIT, .task = task->id,
                            .other = wait->target, .value = wait->until_ns,
                            .text = wait->on, .name = wait->name},
           NULL);
}

void aw__trace_resource(const char *kind, const char *name, long level, long capacity,
                        long waiters, uint32_t owner)
{
    if (!aw__trace_on())
        return;
    record((aw_trace_event){.t_ns = aw__now_ns(), .kind = AW_EV_RESOURCE, .other = owner,
                            .code = (int)capacity, .value = level, .waiters = (int32_t)waiters,
                            .text = kind, .name = name},
           NULL);
}

static FILE *open_output(const char *path)
{
    if (strncmp(path, "fd:", 3) == 0) {
        char *end;
        long fd = strtol(path + 3, &end, 10);
        int copy = (*end == '\0' && fd >= 0) ? dup((int)fd) : -1;
        return copy >= 0 ? fdopen(copy, "w") : NULL;
    }
    return fopen(path, "w");
}

int aw__trace_open(const aw__trace_options *options)
{
    aw_trace_clear();
    trace.clock = options->clock;
    trace.capture = options->capture;
    trace.out = NULL;
    if (options->path) {
        trace.out = open_output(options->path);
        if (!trace.out) {
            fprintf(stderr, "awaitlab: cannot write the trace to '%s': %s\n",
                    options->path, strerror(errno));
            return -1;
        }
        fprintf(trace.out, "{\"ev\":\"start\",\"version\":1,\"clock\":\"%s\"}\n",
                options->clock == AW_CLOCK_VIRTUAL ? "virtual" : "real");
    }
    aw__trace_enabled = trace.out || trace.capture;
    return 0;
}

void aw__trace_flush(void)
{
    if (trace.out && trace.clock == AW_CLOCK_REAL)
        fflush(trace.out);
}

void aw__trace_close(int64_t end_ns)
{
    if (trace.out) {
        fputs("{\"t\":", trace.out);
        put_seconds(trace.out, end_ns);
        fputs(",\"ev\":\"end\"}\n", trace.out);
        fclose(trace.out);
        trace.out = NULL;
    }
    aw__trace_enabled = false;
}

void aw_trace_mark(const char *format, ...)
{
    if (!aw__the_loop || !aw__trace_on())
        return;
    char text[160];
    va_list ap;
    va_start(ap, format);
    vsnprintf(text, sizeof text, format, ap);
    va_end(ap);
    aw__trace_emit(AW_EV_MARK, 0, 0, 0, 0, text, NULL);
}
