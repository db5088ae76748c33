/*
 * predict.c -- judging a prediction: what a given program prints, and when.
 *
 * The program is built from the home's copy, never from the workspace, so
 * editing it cannot make a prediction come true.  It runs on the virtual
 * clock, so its times are exact and the same every run.  Both texts are
 * compared line by line after collapsing runs of spaces; blank lines and
 * lines starting with '#' in the prediction are the student's notes.
 */
#include "checker_internal.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct lines {
    char **items;
    size_t count;
} lines;

/* One line, trimmed, inner runs of white space made one space. */
static char *normalise(const char *line, size_t n)
{
    char *out = malloc(n + 1);
    if (!out)
        return NULL;
    size_t k = 0;
    bool space = false;
    for (size_t i = 0; i < n; i++) {
        if (isspace((unsigned char)line[i])) {
            space = k > 0;
            continue;
        }
        if (space)
            out[k++] = ' ';
        space = false;
        out[k++] = line[i];
    }
    out[k] = '\0';
    return out;
}

static void split(const char *text, bool skip_comments, lines *out)
{
    memset(out, 0, sizeof *out);
    for (const char *line = text; *line;) {
        size_t n = strcspn(line, "\n");
        char *norm = normalise(line, n);
        line += n + (line[n] ? 1 : 0);
        if (!norm || !*norm || (skip_comments && norm[0] == '#')) {
            free(norm);
            continue;
        }
        char **grown = realloc(out->items, (out->count + 1) * sizeof *grown);
        if (!grown) {
            free(norm);
            break;
        }
        out->items = grown;
        out->items[out->count++] = norm;
    }
}

static void free_lines(lines *l)
{
    for (size_t i = 0; i < l->count; i++)
        free(l->items[i]);
    free(l->items);
}

static char *read_text(const char *path, size_t max)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    char *text = malloc(max + 1);
    size_t n = text ? fread(text, 1, max, f) : 0;
    fclose(f);
    if (text)
        text[n] = '\0';
    return text;
}

/* What to tell the student about their prediction; NULL when it is right. */
static char *compare(const lines *predicted, const lines *printed, const char *file)
{
    if (predicted->count == 0)
        return ex__format("%s holds no prediction yet: write the %zu line%s the program "
                          "prints, one per line, exactly as printed (lines starting with # "
                          "are ignored)",
                          file, printed->count, printed->count == 1 ? "" : "s");
    size_t right = 0, first_wrong = SIZE_MAX;
    size_t common = predicted->count < printed->count ? predicted->count : printed->count;
    for (size_t i = 0; i < common; i++) {
        if (strcmp(predicted->items[i], printed->items[i]) == 0)
            right++;
        else if (first_wrong == SIZE_MAX)
            first_wrong = i;
    }
    if (right == printed->count && predicted->count == printed->count)
        return NULL;
    char *where;
    if (first_wrong != SIZE_MAX)
        where = ex__format("line %zu: you predicted \"%s\", the program printed \"%s\"",
                           first_wrong + 1, predicted->items[first_wrong],
                           printed->items[first_wrong]);
    else if (predicted->count < printed->count)
        where = ex__format("the program goes on after your last line: line %zu is \"%s\"",
                           common + 1, printed->items[common]);
    else
        where = ex__format("your line %zu (\"%s\") is never printed: the program stops there",
                           common + 1, predicted->items[common]);
    char *message = ex__format("%zu of %zu lines right (you wrote %zu). First difference, %s. "
                               "The timeline below is the program's run.",
                               right, printed->count, predicted->count, where ? where : "?");
    free(where);
    return message;
}

int ex__check_prediction(const ex_exercise *e, const char *student_file, const ex_options *o,
                         ex_result *r)
{
    char src[4200], run[4200], program[4400], copy[4400], file[64], binary[4300], shown[200];
    if (ex__make_dirs(o, src, run, sizeof src, r) != 0)
        return 0;
    ex_program_path(e, shown, sizeof shown);
    snprintf(program, sizeof program, "%s/%s", o->home, shown);
    snprintf(file, sizeof file, "%s.c", e->name);
    snprintf(copy, sizeof copy, "%s/%s", src, file);
    snprintf(binary, sizeof binary, "%s/program", o->scratch);
    if (ex__copy_file(program, copy) != 0) {
        r->status = EX_INTERNAL;
        r->summary = ex__format("cannot read the exercise's program %s: %s", program,
                                strerror(errno));
        return 0;
    }
    if (ex__build(o, src, file, shown, NULL, false, binary, r) != 0)
        return 0;

    char *argv[] = {binary, NULL};
    ex_sandbox sandbox = o->sandbox;
    sandbox.writable_dir = o->scratch;
    ex_outcome out;
    ex__env env;
    if (ex_confined_run(argv, run, ex__run_env(o, run, true, &env), &o->run_limits, &sandbox,
                        &out) != 0) {
        r->status = EX_INTERNAL;
        r->summary = ex__format("cannot run %s: %s", binary, strerror(errno));
        return 0;
    }
    if (ex__judge_ending(&out, &o->run_limits, r)) {
        char *text = read_text(student_file, 65536);
        lines predicted, printed;
        split(text ? text : "", true, &predicted);
        split(out.out, false, &printed);
        char answer[200];
        ex_student_path(e, answer, sizeof answer);
        char *message = compare(&predicted, &printed, answer);
        ex_case *c = ex__add_case(r, "your prediction", message == NULL, message);
        /* A timeline before any prediction would be the answer itself. */
        if (c && predicted.count > 0 && (message || o->all_timelines)) {
            char trace[4400];
            snprintf(trace, sizeof trace, "%s/case-1.jsonl", run);
            c->timeline = ex__timeline(trace, o->timeline_width);
        }
        r->status = message ? EX_FAILED : EX_PASSED;
        r->summary = message ? strdup("the prediction does not match the program's output")
                             : ex__format("all %zu lines predicted right", printed.count);
        free(message);
        free_lines(&predicted);
        free_lines(&printed);
        free(text);
    }
    ex_outcome_free(&out);
    return 0;
}
