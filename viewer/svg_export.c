/*
 * svg_export.c -- the timeline as SVG.
 *
 * The picture, top to bottom:
 *
 *     title                        (if given)
 *     what is drawn: "run: 5.500 s of virtual time"
 *     ruler: ticks and labels in seconds (time_axis.h's round steps)
 *     sections: a band per section, named
 *     lanes: a name, then a bar per stretch of one activity, outcome marks
 *     legend
 *
 * Time maps to pixels as time maps to columns in the text timeline: one
 * tv_axis whose columns are pixels.  Neighbouring intervals of the same
 * activity are drawn as one bar, which keeps files small for tasks that
 * take many steps.  Stretches of no time (every step, in virtual time) are
 * left out, as in the text timeline, but a task that lives no time at all
 * still gets its outcome mark.
 */
#include "svg_export.h"

#include "lane_sample.h"
#include "time_axis.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define MARGIN 12
#define NAME_WIDTH 170     /* pixels for the lane names                   */
#define LANE_HEIGHT 18
#define BAR_HEIGHT 12
#define INDENT 10          /* pixels per level of the task tree           */
#define MIN_TICK_GAP 70    /* pixels from one ruler label to the next     */
#define FONT "font-family=\"DejaVu Sans Mono, Menlo, Consolas, monospace\""

static const char *const colours[TV_N_ACTIVITIES] = {
    [TV_ACT_RUNNING] = "#2e7d32", [TV_ACT_AWAIT] = "#b0bec5",
    [TV_ACT_SLEEP] = "#64b5f6",   [TV_ACT_RESOURCE] = "#ffb300",
    [TV_ACT_IO] = "#ab47bc",      [TV_ACT_READY] = "#e0e0e0"};

typedef struct picture {
    const tv_model *model;
    const tv_section *window;
    tv_axis axis;       /* time to pixels, from x = chart_x                */
    int chart_x;        /* where the time axis starts                      */
    int width;
    FILE *out;
} picture;

/* ----------------------------------------------------------------------- */
/* Small things                                                             */
/* ----------------------------------------------------------------------- */

/* Writes text with XML's five special characters escaped. */
static void put_text(FILE *out, const char *text)
{
    for (; *text; text++) {
        switch (*text) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&#39;", out); break;
        default:
            if ((unsigned char)*text >= 0x20 || *text == '\t')
                fputc(*text, out);
        }
    }
}

/* The x of an instant, in pixels. */
static double x_of(const picture *p, tv_time t)
{
    double fraction = p->axis.span > 0 ? (double)(t - p->axis.t0) / (double)p->axis.span : 0;
    return p->chart_x + fraction * p->axis.width;
}

static void seconds(char *text, size_t size, tv_time t)
{
    tv_format_seconds(text, size, t, 3);
}

/* ----------------------------------------------------------------------- */
/* Heading, ruler, sections                                                 */
/* ----------------------------------------------------------------------- */

static int draw_heading(const picture *p, const char *title, int y)
{
    static const char *const clocks[] = {
        [TV_CLOCK_UNKNOWN] = "", [TV_CLOCK_REAL] = " of real time",
        [TV_CLOCK_VIRTUAL] = " of virtual time"};
    char span[TV_SECONDS_BYTES], from[TV_SECONDS_BYTES], to[TV_SECONDS_BYTES];
    if (title != NULL) {
        fprintf(p->out, "<text x=\"%d\" y=\"%d\" font-size=\"16\" font-weight=\"bold\">",
                MARGIN, y + 14);
        put_text(p->out, title);
        fputs("</text>\n", p->out);
        y += 22;
    }
    seconds(span, sizeof span, p->axis.span);
    seconds(from, sizeof from, p->window->t0);
    seconds(to, sizeof to, p->window->t1);
    fprintf(p->out, "<text x=\"%d\" y=\"%d\" font-size=\"12\" fill=\"#555\">", MARGIN, y + 12);
    if (p->window->name != NULL) {
        fputs("section ", p->out);
        put_text(p->out, p->window->name);
    } else {
        fputs("run", p->out);
    }
    fprintf(p->out, ": %s s%s (t = %s .. %s)</text>\n", span, clocks[p->model->clock], from,
            to);
    return y + 20;
}

static int draw_ruler(const picture *p, int y, int bottom)
{
    tv_time step = tv_axis_ruler_step(&p->axis, MIN_TICK_GAP);
    int decimals = step ? tv_step_decimals(step) : 0;
    fprintf(p->out, "<g font-size=\"11\" fill=\"#555\">\n");
    for (tv_time r = 0; r <= p->axis.span; r += step) {
        char label[TV_SECONDS_BYTES];
        tv_format_seconds(label, sizeof label, r, decimals);
        double x = x_of(p, p->axis.t0 + r);
        fprintf(p->out, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>"
                        "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
                x, y + 14, x, bottom, x, y + 10, label);
        if (step == 0)
            break;
    }
    fprintf(p->out, "<text x=\"%d\" y=\"%d\">seconds</text>\n</g>\n", MARGIN, y + 10);
    return y + 16;
}

static int draw_sections(const picture *p, int y)
{
    bool any = false;
    for (size_t i = 0; i < p->model->n_sections; i++) {
        const tv_section *s = &p->model->sections[i];
        if (s->t1 < p->window->t0 || s->t0 > p->window->t1)
            continue;
        tv_time t0 = s->t0 > p->window->t0 ? s->t0 : p->window->t0;
        tv_time t1 = s->t1 < p->window->t1 ? s->t1 : p->window->t1;
        double x0 = x_of(p, t0), x1 = x_of(p, t1);
        fprintf(p->out, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"14\" "
                        "fill=\"#eceff1\" stroke=\"#b0bec5\"/>"
                        "<text x=\"%.1f\" y=\"%d\" font-size=\"10\">",
                x0, y, x1 - x0, x0 + 3, y + 11);
        put_text(p->out, s->name);
        fputs("</text>\n", p->out);
        any = true;
    }
    return any ? y + 20 : y;
}

/* ----------------------------------------------------------------------- */
/* Lanes                                                                    */
/* ----------------------------------------------------------------------- */

static void draw_bar(const picture *p, const tv_task *task, tv_activity what, tv_time t0,
                     tv_time t1, int y)
{
    char from[TV_SECONDS_BYTES], to[TV_SECONDS_BYTES];
    double x0 = x_of(p, t0), x1 = x_of(p, t1);
    seconds(from, sizeof from, t0);
    seconds(to, sizeof to, t1);
    fprintf(p->out, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\">"
                    "<title>",
            x0, y + (LANE_HEIGHT - BAR_HEIGHT) / 2, x1 - x0, BAR_HEIGHT, colours[what]);
    put_text(p->out, task->name);
    fprintf(p->out, ": %s %s-%s s</title></rect>\n", tv_activity_name(what), from, to);
}

/* The task's bars: runs of one activity within the window, merged. */
static void draw_bars(const picture *p, const tv_task *task, int y)
{
    tv_time run_t0 = 0, run_t1 = 0;
    int run_what = -1;
    for (size_t i = 0; i < task->n_intervals; i++) {
        const tv_interval *in = &task->intervals[i];
        tv_time t0 = in->t0 > p->window->t0 ? in->t0 : p->window->t0;
        tv_time t1 = in->t1 < p->window->t1 ? in->t1 : p->window->t1;
        if (t0 >= t1)
            continue;
        int what = (int)tv_activity_of(in);
        if (what == run_what && t0 == run_t1) {
            run_t1 = t1;
            continue;
        }
        if (run_what >= 0)
            draw_bar(p, task, (tv_activity)run_what, run_t0, run_t1, y);
        run_what = what, run_t0 = t0, run_t1 = t1;
    }
    if (run_what >= 0)
        draw_bar(p, task, (tv_activity)run_what, run_t0, run_t1, y);
}

/* A mark where the task finished: a dot (ok), a cross (error), a ring (cancelled). */
static void draw_outcome(const picture *p, const tv_task *task, int y)
{
    const tv_outcome *o = &task->outcome;
    if (o->kind == TV_OUTCOME_NONE || o->t < p->window->t0 || o->t > p->window->t1)
        return;
    double x = x_of(p, o->t);
    int cy = y + LANE_HEIGHT / 2;
    fputs("<g>", p->out);
    if (o->kind == TV_OUTCOME_OK)
        fprintf(p->out, "<circle cx=\"%.1f\" cy=\"%d\" r=\"4\" fill=\"#2e7d32\"/>", x, cy);
    else if (o->kind == TV_OUTCOME_ERROR)
        fprintf(p->out, "<path d=\"M%.1f %d l8 8 m0 -8 l-8 8\" stroke=\"#c62828\" "
                        "stroke-width=\"2.5\"/>", x - 4, cy - 4);
    else
        fprintf(p->out, "<circle cx=\"%.1f\" cy=\"%d\" r=\"4\" fill=\"none\" "
                        "stroke=\"#ef6c00\" stroke-width=\"2\"/>", x, cy);
    fputs("<title>", p->out);
    put_text(p->out, task->name);
    fputs(o->kind == TV_OUTCOME_OK ? ": ok" : o->kind == TV_OUTCOME_CANCELLED ? ": cancelled"
                                                                               : ": error",
          p->out);
    if (o->kind == TV_OUTCOME_ERROR && o->message != NULL) {
        fputs(": ", p->out);
        put_text(p->out, o->message);
    }
    fputs("</title></g>\n", p->out);
}

/* Debug mode's warnings: a red triangle above the lane where a step was slow. */
static void draw_slow_steps(const picture *p, const tv_task *task, int y)
{
    for (size_t i = 0; i < p->model->n_slows; i++) {
        const tv_slow *s = &p->model->slows[i];
        if (s->task != task->id || s->t < p->window->t0 || s->t > p->window->t1)
            continue;
        char held[TV_SECONDS_BYTES];
        seconds(held, sizeof held, s->held);
        fprintf(p->out, "<path d=\"M%.1f %d l4 -6 l4 6 z\" fill=\"#c62828\"><title>", x_of(p, s->t) - 4,
                y + 4);
        put_text(p->out, task->name);
        fprintf(p->out, " held the loop for %s s</title></path>\n", held);
    }
}

static void draw_lane(const picture *p, const tv_task *task, int y, int row)
{
    if (row % 2 == 1)
        fprintf(p->out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#fafafa\"/>\n",
                MARGIN, y, p->width - 2 * MARGIN, LANE_HEIGHT);
    int depth = task->depth < 8 ? task->depth : 8;
    fprintf(p->out, "<text x=\"%d\" y=\"%d\" font-size=\"12\">", MARGIN + depth * INDENT,
            y + 13);
    put_text(p->out, task->name);
    fputs("</text>\n", p->out);
    draw_bars(p, task, y);
    draw_outcome(p, task, y);
    draw_slow_steps(p, task, y);
}

/* ----------------------------------------------------------------------- */
/* Legend and the whole picture                                             */
/* ----------------------------------------------------------------------- */

static int draw_legend(const picture *p, int y)
{
    int x = MARGIN;
    fputs("<g font-size=\"11\">\n", p->out);
    for (int a = 0; a < TV_N_ACTIVITIES; a++) {
        fprintf(p->out, "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"10\" fill=\"%s\"/>"
                        "<text x=\"%d\" y=\"%d\">%s</text>\n",
                x, y, colours[a], x + 18, y + 9, tv_activity_name((tv_activity)a));
        x += 24 + 8 * (int)strlen(tv_activity_name((tv_activity)a));
    }
    fprintf(p->out, "<circle cx=\"%d\" cy=\"%d\" r=\"4\" fill=\"#2e7d32\"/>"
                    "<text x=\"%d\" y=\"%d\">ok</text>\n", x + 4, y + 5, x + 12, y + 9);
    x += 36;
    fprintf(p->out, "<path d=\"M%d %d l8 8 m0 -8 l-8 8\" stroke=\"#c62828\" "
                    "stroke-width=\"2.5\"/><text x=\"%d\" y=\"%d\">error</text>\n",
            x, y + 1, x + 12, y + 9);
    x += 56;
    fprintf(p->out, "<circle cx=\"%d\" cy=\"%d\" r=\"4\" fill=\"none\" stroke=\"#ef6c00\" "
                    "stroke-width=\"2\"/><text x=\"%d\" y=\"%d\">cancelled</text>\n",
            x + 4, y + 5, x + 12, y + 9);
    fputs("</g>\n", p->out);
    return y + 18;
}

/* Everything after the header; the lanes' tasks are given. */
static void draw_body(picture *p, const tv_task *const *tasks, size_t n, size_t shown,
                      const char *title)
{
    int lanes_height = (int)shown * LANE_HEIGHT + (n > shown ? LANE_HEIGHT : 0);
    int sections = p->model->n_sections > 0 ? 20 : 0;
    int height = MARGIN + (title ? 22 : 0) + 20 + 16 + sections + lanes_height + 8 + 18 + MARGIN;
    fprintf(p->out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
            "viewBox=\"0 0 %d %d\" " FONT ">\n"
            "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n",
            p->width, height, p->width, height);
    int y = draw_heading(p, title, MARGIN);
    int lanes_top = y + 16 + sections;
    y = draw_ruler(p, y, lanes_top + lanes_height);
    y = draw_sections(p, y);
    for (size_t i = 0; i < shown; i++, y += LANE_HEIGHT)
        draw_lane(p, tasks[i], y, (int)i);
    if (n > shown) {
        fprintf(p->out, "<text x=\"%d\" y=\"%d\" font-size=\"12\" fill=\"#555\">"
                        "... and %zu more tasks</text>\n", MARGIN, y + 13, n - shown);
        y += LANE_HEIGHT;
    }
    draw_legend(p, y + 8);
    fputs("</svg>\n", p->out);
}

int tv_svg_export(const tv_model *model, const tv_section *window,
                  const tv_svg_options *options, FILE *out)
{
    tv_svg_options none = {0};
    options = options ? options : &none;
    int width = options->width ? options->width : TV_SVG_WIDTH;
    size_t max_tasks = options->max_tasks > 0 ? (size_t)options->max_tasks : TV_SVG_MAX_TASKS;
    if (width < 400 || window->t1 < window->t0) {
        errno = EINVAL;
        return -1;
    }
    picture p = {.model = model, .window = window, .width = width, .out = out,
                 .chart_x = MARGIN + NAME_WIDTH};
    p.axis = (tv_axis){.t0 = window->t0, .span = window->t1 - window->t0,
                       .width = width - p.chart_x - MARGIN - 8};
    size_t n = tv_model_section_tasks(model, window, NULL, 0);
    const tv_task **tasks = calloc(n ? n : 1, sizeof *tasks);
    if (tasks == NULL)
        return -1;
    tv_model_section_tasks(model, window, tasks, n);
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
    draw_body(&p, tasks, n, n < max_tasks ? n : max_tasks, options->title);
    free(tasks);
    return ferror(out) ? -1 : 0;
}

int tv_svg_export_path(const tv_model *model, const tv_section *window,
                       const tv_svg_options *options, const char *path)
{
    FILE *out = fopen(path, "w");
    if (out == NULL)
        return -1;
    int status = tv_svg_export(model, window, options, out);
    int saved = errno;
    if (fclose(out) != 0 && status == 0)
        return -1;
    errno = saved;
    return status;
}
