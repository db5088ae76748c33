/*
 * report.c -- showing a check's result.
 */
#include "report.h"

#include <string.h>

/* Prints `text` with every line indented by `indent`. */
static void indented(FILE *out, const char *text, const char *indent)
{
    for (const char *line = text; *line;) {
        size_t n = strcspn(line, "\n");
        fprintf(out, "%s%.*s\n", indent, (int)n, line);
        line += n + (line[n] ? 1 : 0);
    }
}

/* Prints `text` word-wrapped to `width` columns, each line after `indent`. */
static void wrapped(FILE *out, const char *text, const char *indent, int width)
{
    int room = width - (int)strlen(indent);
    for (const char *para = text; *para;) {
        size_t n = strcspn(para, "\n");
        const char *p = para, *end = para + n;
        while (p < end) {
            const char *cut = end;
            if (end - p > room) { /* break at the last space that fits */
                cut = p + room;
                while (cut > p && *cut != ' ')
                    cut--;
                if (cut == p)
                    cut = p + room;
            }
            fprintf(out, "%s%.*s\n", indent, (int)(cut - p), p);
            p = cut;
            while (p < end && *p == ' ')
                p++;
        }
        if (n == 0)
            fputc('\n', out);
        para = end + (*end ? 1 : 0);
    }
}

void ex_report_text(FILE *out, const ex_exercise *e, const ex_result *r)
{
    char path[200];
    ex_student_path(e, path, sizeof path);
    bool passed = r->status == EX_PASSED;
    fprintf(out, "%s %s (chapter %s, %s)\n", passed ? "PASS" : "FAIL", e->name, e->chapter,
            ex_kind_verb(e->kind));
    wrapped(out, r->summary ? r->summary : ex_status_name(r->status), "     ", 78);
    fprintf(out, "     %s\n", path);
    if (r->details) {
        fputc('\n', out);
        indented(out, r->details, "  | ");
    }
    for (size_t i = 0; i < r->n_cases; i++) {
        const ex_case *c = &r->cases[i];
        fprintf(out, "\n  %s case %zu: %s\n", c->passed ? "ok  " : "FAIL", i + 1, c->title);
        if (c->message && !c->passed)
            wrapped(out, c->message, "    ", 78);
        if (c->timeline) {
            fprintf(out, "\n    %s:\n", c->passed ? "the timeline of this run"
                                                  : "the timeline of your run");
            indented(out, c->timeline, "  ");
        }
    }
    if (r->warnings) {
        fprintf(out, "\n  compiler warnings (they do not fail the check, but read them):\n");
        indented(out, r->warnings, "  | ");
    }
    if (r->output && !passed) {
        fprintf(out, "\n  what the program printed:\n");
        indented(out, r->output, "  > ");
    }
}

static json_t *string_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

json_t *ex_report_json(const ex_exercise *e, const ex_result *r, bool with_timing)
{
    char path[200];
    ex_student_path(e, path, sizeof path);
    json_t *cases = json_array();
    for (size_t i = 0; i < r->n_cases; i++) {
        const ex_case *c = &r->cases[i];
        json_t *jc = json_pack("{s:s, s:b, s:o, s:o}", "name", c->title, "passed", c->passed,
                               "message", string_or_null(c->message), "timeline",
                               string_or_null(c->timeline));
        if (c->elapsed_s >= 0)
            json_object_set_new(jc, "elapsed_s", json_real(c->elapsed_s));
        json_array_append_new(cases, jc);
    }
    json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:o, s:o, s:o, s:o, s:o}", "name",
                          e->name, "chapter", e->chapter, "kind", ex_kind_name(e->kind), "path",
                          path, "status", ex_status_name(r->status), "passed",
                          r->status == EX_PASSED, "summary", string_or_null(r->summary),
                          "details", string_or_null(r->details), "warnings",
                          string_or_null(r->warnings), "output", string_or_null(r->output),
                          "cases", cases);
    if (with_timing) {
        json_object_set_new(j, "build_s", json_real(r->build_s));
        json_object_set_new(j, "run_s", json_real(r->run_s));
    }
    return j;
}
