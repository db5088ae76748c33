/*
 * trace_query.c -- questions tests and graders ask of a captured trace.
 *
 * They read the same events a person sees in the timeline, so a test that
 * says "peak concurrency was 10" checks what really happened, not a counter
 * the code under test kept about itself.  Each query is a plain scan: traces
 * of teaching programs are small, and clarity wins over an index here.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

uint32_t aw_trace_task_by_name(const char *name)
{
    size_t n;
    const aw_trace_event *e = aw_trace_events(&n);
    for (size_t i = 0; i < n; i++)
        if (e[i].kind == AW_EV_SPAWN && strcmp(e[i].text, name) == 0)
            return e[i].task;
    return 0;
}

bool aw_trace_span(uint32_t task, int64_t *start_ns, int64_t *end_ns)
{
    size_t n;
    const aw_trace_event *e = aw_trace_events(&n);
    bool started = false;
    for (size_t i = 0; i < n; i++) {
        if (e[i].task != task || e[i].kind == AW_EV_MARK)
            continue;
        if (e[i].kind == AW_EV_RUN && !started) {
            started = true;
            *start_ns = e[i].t_ns;
        }
        if (e[i].kind == AW_EV_DONE) {
            if (!started)
                *start_ns = e[i].t_ns; /* cancelled before it ever ran */
            *end_ns = e[i].t_ns;
            return true;
        }
    }
    return false;
}

/*
 * A task counts from its first RUN to its DONE; main (id 1) never counts.
 * The whole trace is swept so that tasks started before the window count;
 * only the counts inside the window are candidates for the peak.
 */
int aw_trace_peak_concurrency(size_t first, size_t last)
{
    size_t n;
    const aw_trace_event *e = aw_trace_events(&n);
    if (last > n)
        last = n;
    uint32_t max_id = 0;
    for (size_t i = 0; i < last; i++)
        if (e[i].task > max_id)
            max_id = e[i].task;
    bool *running = calloc((size_t)max_id + 1, 1);
    if (!running)
        return -1;
    int live = 0, peak = 0;
    for (size_t i = 0; i < last; i++) {
        uint32_t id = e[i].task;
        if (i == first)
            peak = live;
        if (id <= 1 || e[i].kind == AW_EV_MARK)
            continue;
        if (e[i].kind == AW_EV_RUN && !running[id]) {
            running[id] = true;
            live++;
        } else if (e[i].kind == AW_EV_DONE && running[id]) {
            running[id] = false;
            live--;
        }
        if (i >= first && live > peak)
            peak = live;
    }
    free(running);
    return peak;
}
