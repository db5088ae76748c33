/*
 * fuzz_trace.c -- the trace reader behind `awaitlab view --replay` and
 * `awaitlab run --timeline/--svg/--chrome-trace`: any bytes as a JSON Lines
 * trace, and whatever model they make drawn every way the CLI draws one.
 */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#include "chrome_export.h"
#include "svg_export.h"
#include "timeline_text.h"
#include "trace_model.h"

/* Everything a replay asks of a model: each task's state, a text timeline, SVG, Chrome JSON. */
static void draw_every_way(const tv_model *model)
{
    tv_section whole = tv_model_whole_run(model);
    free(tv_timeline_render_string(model, &whole, &(tv_timeline_options){.width = 60}));
    FILE *sink = fopen("/dev/null", "w");
    if (sink) {
        tv_svg_export(model, &whole, NULL, sink);
        fclose(sink);
    }
    json_decref(tv_chrome_trace(model));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* fmemopen, like a file: getline() sees the same lines, NUL bytes included. */
    FILE *in = fmemopen((void *)data, size, "r");
    if (!in)
        return 0;   /* size 0 on older C libraries */
    tv_model *model = tv_model_load(in);
    fclose(in);
    if (model) {
        draw_every_way(model);
        tv_model_free(model);
    }
    return 0;
}
