/*
 * grade_reports.c -- gradebook, JSON, JUnit XML, TAP 14 and Gradescope.
 *
 * A student object, as grading saves it:
 *
 *     {"student": "ada", "points": 250, "max_points": 300,   (hundredths)
 *      "exercises": [{"name", "status", "summary", "details", "points",
 *                     "max_points", "cases": [{"name", "passed", "message",
 *                     "timeline", "hidden", "points", "max_points"}]}]}
 */
#include "grade_reports.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int ex_write_atomic(const char *path, const char *text, size_t length)
{
    char temp[4600];
    snprintf(temp, sizeof temp, "%s.tmp-%d", path, (int)getpid());
    int fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return -1;
    ssize_t written = write(fd, text, length);
    int status = written == (ssize_t)length && fsync(fd) == 0 ? 0 : -1;
    if (close(fd) != 0)
        status = -1;
    if (status == 0 && rename(temp, path) != 0)
        status = -1;
    if (status != 0)
        unlink(temp);
    return status;
}

/* Writes whatever `fill` prints into `out_dir/name`, atomically. */
static int write_report(const char *out_dir, const char *name, void (*fill)(FILE *, json_t *),
                        json_t *students)
{
    char *text = NULL, path[4400];
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    if (!f)
        return -1;
    fill(f, students);
    fclose(f);
    snprintf(path, sizeof path, "%s/%s", out_dir, name);
    int status = ex_write_atomic(path, text, size);
    free(text);
    return status;
}

static long integer(json_t *object, const char *key)
{
    return (long)json_integer_value(json_object_get(object, key));
}

static const char *string(json_t *object, const char *key)
{
    const char *s = json_string_value(json_object_get(object, key));
    return s ? s : "";
}

static void print_points(FILE *f, long centi)
{
    fprintf(f, "%ld.%02ld", centi / 100, centi % 100);
}

/* ----------------------------------------------------------------------- */
/* gradebook.csv                                                             */
/* ----------------------------------------------------------------------- */

/* A CSV field, quoted when it must be (RFC 4180). */
static void csv_field(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\n\r")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static void gradebook(FILE *f, json_t *students)
{
    json_t *first = json_array_get(students, 0);
    fputs("student", f);
    size_t i;
    json_t *e, *s;
    json_array_foreach(json_object_get(first, "exercises"), i, e) {
        fputc(',', f);
        csv_field(f, string(e, "name"));
    }
    fputs(",total,max\n", f);
    json_array_foreach(students, i, s) {
        csv_field(f, string(s, "student"));
        size_t k;
        json_array_foreach(json_object_get(s, "exercises"), k, e) {
            fputc(',', f);
            print_points(f, integer(e, "points"));
        }
        fputc(',', f);
        print_points(f, integer(s, "points"));
        fputc(',', f);
        print_points(f, integer(s, "max_points"));
        fputc('\n', f);
    }
}

static void all_results(FILE *f, json_t *students)
{
    json_t *root = json_pack("{s:i, s:O}", "format", 1, "students", students);
    json_dumpf(root, f, JSON_INDENT(2));
    fputc('\n', f);
    json_decref(root);
}

/* ----------------------------------------------------------------------- */
/* junit.xml                                                                 */
/* ----------------------------------------------------------------------- */

/* Text for XML 1.0: the five entities, and no control characters it forbids. */
static void xml_text(FILE *f, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&apos;", f); break;
        default:
            if (*p < 0x20 && *p != '\n' && *p != '\t' && *p != '\r')
                fputc('?', f);
            else
                fputc(*p, f);
        }
    }
}

/* The cases of an exercise, or one stand-in case when it never got to run. */
static size_t case_count(json_t *e)
{
    size_t n = json_array_size(json_object_get(e, "cases"));
    return n ? n : 1;
}

static bool broken_run(json_t *e)
{
    const char *status = string(e, "status");
    return strcmp(status, "passed") != 0 && strcmp(status, "failed") != 0;
}

static void junit_case(FILE *f, const char *student, json_t *e, json_t *c)
{
    fputs("    <testcase classname=\"", f);
    xml_text(f, student);
    fputc('.', f);
    xml_text(f, string(e, "name"));
    fputs("\" name=\"", f);
    xml_text(f, c ? string(c, "name") : "build and run");
    fputs("\" time=\"0\">", f);
    bool passed = c ? json_is_true(json_object_get(c, "passed")) : false;
    if (broken_run(e) || !passed) {
        const char *kind = broken_run(e) ? "error" : "failure";
        fprintf(f, "\n      <%s message=\"", kind);
        xml_text(f, broken_run(e) ? string(e, "summary") : string(c, "message"));
        fprintf(f, "\" type=\"%s\">", string(e, "status"));
        xml_text(f, c ? string(c, "message") : string(e, "details"));
        if (c && json_is_string(json_object_get(c, "timeline"))) {
            fputs("\n\n", f);
            xml_text(f, string(c, "timeline"));
        }
        fprintf(f, "</%s>\n    ", kind);
    }
    fputs("</testcase>\n", f);
}

static void junit(FILE *f, json_t *students)
{
    size_t tests = 0, failures = 0, errors = 0, i, k, j;
    json_t *s, *e, *c;
    json_array_foreach(students, i, s) json_array_foreach(json_object_get(s, "exercises"), k, e) {
        tests += case_count(e);
        if (broken_run(e))
            errors += case_count(e);
        else
            json_array_foreach(json_object_get(e, "cases"), j, c)
                failures += !json_is_true(json_object_get(c, "passed"));
    }
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<testsuites name=\"awaitlab grade\" tests=\"%zu\" failures=\"%zu\" "
               "errors=\"%zu\">\n",
            tests, failures, errors);
    json_array_foreach(students, i, s) {
        size_t st = 0, sf = 0, se = 0;
        json_array_foreach(json_object_get(s, "exercises"), k, e) {
            st += case_count(e);
            if (broken_run(e))
                se += case_count(e);
            else
                json_array_foreach(json_object_get(e, "cases"), j, c)
                    sf += !json_is_true(json_object_get(c, "passed"));
        }
        fputs("  <testsuite name=\"", f);
        xml_text(f, string(s, "student"));
        fprintf(f, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"0\" time=\"0\">\n",
                st, sf, se);
        json_array_foreach(json_object_get(s, "exercises"), k, e) {
            json_t *cases = json_object_get(e, "cases");
            if (broken_run(e) || json_array_size(cases) == 0)
                junit_case(f, string(s, "student"), e, json_array_get(cases, 0));
            else
                json_array_foreach(cases, j, c)
                    junit_case(f, string(s, "student"), e, c);
        }
        fputs("  </testsuite>\n", f);
    }
    fputs("</testsuites>\n", f);
}

/* ----------------------------------------------------------------------- */
/* results.tap                                                               */
/* ----------------------------------------------------------------------- */

/* A TAP description: no newlines, and '#' escaped (it starts a directive). */
static void tap_description(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '#' || *s == '\\')
            fputc('\\', f);
        fputc(*s == '\n' ? ' ' : *s, f);
    }
}

/* A YAML block scalar, each line after `indent`. */
static void yaml_block(FILE *f, const char *key, const char *text, const char *indent)
{
    fprintf(f, "%s%s: |\n", indent, key);
    for (const char *line = text; *line;) {
        size_t n = strcspn(line, "\n");
        fprintf(f, "%s  %.*s\n", indent, (int)n, line);
        line += n + (line[n] ? 1 : 0);
    }
}

static void tap(FILE *f, json_t *students)
{
    fputs("TAP version 14\n", f);
    fprintf(f, "1..%zu\n", json_array_size(students));
    size_t i, k;
    json_t *s, *e;
    json_array_foreach(students, i, s) {
        json_t *exercises = json_object_get(s, "exercises");
        fputs("# Subtest: ", f);
        tap_description(f, string(s, "student"));
        fputc('\n', f);
        fprintf(f, "    1..%zu\n", json_array_size(exercises));
        bool all = true;
        json_array_foreach(exercises, k, e) {
            bool passed = strcmp(string(e, "status"), "passed") == 0;
            all &= passed;
            fprintf(f, "    %sok %zu - ", passed ? "" : "not ", k + 1);
            tap_description(f, string(e, "name"));
            fputs(" \\# ", f);
            print_points(f, integer(e, "points"));
            fputs(" of ", f);
            print_points(f, integer(e, "max_points"));
            fputs(" points\n", f);
            if (!passed) {
                fputs("      ---\n", f);
                fprintf(f, "      status: %s\n", string(e, "status"));
                yaml_block(f, "summary", string(e, "summary"), "      ");
                fputs("      ...\n", f);
            }
        }
        fprintf(f, "%sok %zu - ", all ? "" : "not ", i + 1);
        tap_description(f, string(s, "student"));
        fputc('\n', f);
    }
}

/* ----------------------------------------------------------------------- */
/* Gradescope                                                                */
/* ----------------------------------------------------------------------- */

static double points_of(json_t *object, const char *key)
{
    return (double)integer(object, key) / 100.0;
}

json_t *ex_gradescope_results(json_t *student)
{
    json_t *tests = json_array();
    size_t k, j;
    json_t *e, *c;
    json_array_foreach(json_object_get(student, "exercises"), k, e) {
        json_t *cases = json_object_get(e, "cases");
        if (broken_run(e) || json_array_size(cases) == 0) {
            char *output = NULL;
            if (asprintf(&output, "%s\n\n%s", string(e, "summary"), string(e, "details")) < 0)
                output = NULL;
            json_array_append_new(tests, json_pack("{s:s, s:f, s:f, s:s, s:s, s:s}", "name",
                                                   string(e, "name"), "score", 0.0, "max_score",
                                                   points_of(e, "max_points"), "status", "failed",
                                                   "output", output ? output : "", "visibility",
                                                   "visible"));
            free(output);
            continue;
        }
        json_array_foreach(cases, j, c) {
            bool passed = json_is_true(json_object_get(c, "passed"));
            char *name = NULL, *output = NULL;
            if (asprintf(&name, "%s: %s", string(e, "name"), string(c, "name")) < 0)
                name = NULL;
            if (asprintf(&output, "%s%s%s", string(c, "message"),
                         json_is_string(json_object_get(c, "timeline")) ? "\n\n" : "",
                         string(c, "timeline")) < 0)
                output = NULL;
            json_array_append_new(
                tests, json_pack("{s:s, s:f, s:f, s:s, s:s, s:s}", "name", name ? name : "",
                                 "score", passed ? points_of(c, "max_points") : 0.0, "max_score",
                                 points_of(c, "max_points"), "status",
                                 passed ? "passed" : "failed", "output", output ? output : "",
                                 "visibility",
                                 json_is_true(json_object_get(c, "hidden")) ? "after_published"
                                                                            : "visible"));
            free(name);
            free(output);
        }
    }
    return json_pack("{s:f, s:f, s:s, s:o}", "score", points_of(student, "points"), "max_score",
                     points_of(student, "max_points"), "output",
                     "Each test is one case of an exercise's check, run on the virtual clock.",
                     "tests", tests);
}

static int gradescope_files(const char *out_dir, json_t *students)
{
    char dir[4400];
    snprintf(dir, sizeof dir, "%s/gradescope", out_dir);
    if (mkdir(dir, 0755) != 0 && errno != EEXIST)
        return -1;
    size_t i;
    json_t *s;
    json_array_foreach(students, i, s) {
        json_t *results = ex_gradescope_results(s);
        char *text = json_dumps(results, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
        char path[4600];
        snprintf(path, sizeof path, "%s/%s.json", dir, string(s, "student"));
        int status = text ? ex_write_atomic(path, text, strlen(text)) : -1;
        free(text);
        json_decref(results);
        if (status != 0)
            return -1;
    }
    return 0;
}

int ex_grade_reports_write(const char *out_dir, json_t *students)
{
    if (write_report(out_dir, "gradebook.csv", gradebook, students) != 0 ||
        write_report(out_dir, "results.json", all_results, students) != 0 ||
        write_report(out_dir, "junit.xml", junit, students) != 0 ||
        write_report(out_dir, "results.tap", tap, students) != 0)
        return -1;
    return gradescope_files(out_dir, students);
}
