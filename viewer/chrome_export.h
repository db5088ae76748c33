/*
 * chrome_export.h -- a trace in the Chrome trace-event format.
 *
 * The format is the {"traceEvents": [...]} JSON object that chrome://tracing
 * and Perfetto (https://ui.perfetto.dev) open.  Those viewers draw threads,
 * so each task becomes a thread of one process, named after the task and
 * sorted by task id:
 *
 *     pid 1, tid = task id   "running", "sleep", "await fetch-3", "gather",
 *                            "ready" as complete events (ph "X"); the
 *                            outcome ("ok", "error", "cancelled"), requests
 *                            to cancel and slow steps as instant events
 *                            (ph "i"), with the details in their args
 *     pid 1, one more tid    "sections": one complete event per section and
 *                            one instant event per mark
 *
 * Times are microseconds, the unit of the format.  The output is compact
 * JSON with keys in a fixed order, so the same model always gives the same
 * bytes.
 */
#ifndef TV_CHROME_EXPORT_H
#define TV_CHROME_EXPORT_H

#include <stdio.h>

#include <jansson.h>

#include "trace_model.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The process id every task's thread belongs to. */
#define TV_CHROME_PID 1

/*
 * The Chrome trace of `model` as a jansson object, for callers who want to
 * add to it; they own the reference (json_decref).  NULL when out of memory.
 */
json_t *tv_chrome_trace(const tv_model *model);

/* Writes the Chrome trace of `model` to `out`.  Returns 0, or -1 with errno. */
int tv_chrome_export(const tv_model *model, FILE *out);

/* Same, to a new file (replacing any old one).  Returns 0, or -1 with errno. */
int tv_chrome_export_path(const tv_model *model, const char *path);

#ifdef __cplusplus
}
#endif

#endif /* TV_CHROME_EXPORT_H */
