/*
 * knobs.c -- reading a chapter's parameters from `--describe`, and stepping
 * them.
 */
#include "knobs.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* ----------------------------------------------------------------------- */
/* Asking the chapter                                                       */
/* ----------------------------------------------------------------------- */

/* Everything a descriptor gives until its end; the caller frees it. */
static char *read_all(int fd)
{
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    if (out == NULL)
        return NULL;
    char chunk[4096];
    ssize_t got;
    while ((got = read(fd, chunk, sizeof chunk)) > 0 || (got < 0 && errno == EINTR))
        if (got > 0)
            fwrite(chunk, 1, (size_t)got, out);
    fclose(out);
    return text;
}

/*
 * Runs argv with its stdout and stderr captured (both are small: one JSON
 * object, or one line of complaint).  Returns the exit status, or -1.
 */
static int capture(char *const argv[], char **out, char **err)
{
    int out_pipe[2], err_pipe[2];
    *out = *err = NULL;
    if (pipe(out_pipe) != 0)
        return -1;
    if (pipe(err_pipe) != 0) {
        close(out_pipe[0]), close(out_pipe[1]);
        return -1;
    }
    pid_t pid = fork();
    if (pid == 0) {
        dup2(out_pipe[1], 1);
        dup2(err_pipe[1], 2);
        close(out_pipe[0]), close(out_pipe[1]), close(err_pipe[0]), close(err_pipe[1]);
        execv(argv[0], argv);
        dprintf(2, "cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    close(out_pipe[1]), close(err_pipe[1]);
    if (pid > 0) {
        *out = read_all(out_pipe[0]);
        *err = read_all(err_pipe[0]);
    }
    close(out_pipe[0]), close(err_pipe[0]);
    int status = -1;
    if (pid < 0 || waitpid(pid, &status, 0) < 0)
        return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static bool mentions_rate(const char *name, const char *help)
{
    return strstr(name, "rate") || strstr(help, "rate") || strstr(help, "probability");
}

/* Fills the set from the JSON object `--describe` printed. */
static int parse_description(const char *text, knob_set *set)
{
    json_error_t error;
    json_t *d = json_loads(text ? text : "", JSON_DISABLE_EOF_CHECK, &error);
    json_t *params = json_object_get(d, "params");
    const char *main_knob = json_string_value(json_object_get(d, "main_knob"));
    if (!json_is_array(params)) {
        json_decref(d);
        return -1;
    }
    memset(set, 0, sizeof *set);
    snprintf(set->main_knob, sizeof set->main_knob, "%s", main_knob ? main_knob : "");
    size_t i;
    json_t *p;
    json_array_foreach(params, i, p) {
        const char *name = json_string_value(json_object_get(p, "name"));
        const char *help = json_string_value(json_object_get(p, "help"));
        json_t *value = json_object_get(p, "default");
        if (name == NULL || !json_is_number(value) || set->count == KNOBS_MAX)
            continue;
        knob *k = &set->items[set->count++];
        snprintf(k->name, sizeof k->name, "%s", name);
        k->value = json_number_value(value);
        k->integer = json_is_integer(value);
        k->rate = !k->integer && mentions_rate(name, help ? help : "");
    }
    json_decref(d);
    return 0;
}

/* The chapter's complaint: its first line, without the "awaitlab: " it starts with. */
static void complaint(const char *err, char *error, size_t size)
{
    const char *text = err && *err ? err : "the chapter refused these flags";
    if (strncmp(text, "awaitlab: ", 10) == 0)
        text += 10;
    snprintf(error, size, "%.*s", (int)strcspn(text, "\n"), text);
}

int knobs_describe(const char *program, char *const *flags, int n_flags, knob_set *set,
                   char *error, size_t size)
{
    char **argv = calloc((size_t)n_flags + 3, sizeof *argv);
    if (argv == NULL) {
        snprintf(error, size, "out of memory");
        return -1;
    }
    argv[0] = (char *)program;
    for (int i = 0; i < n_flags; i++)
        argv[1 + i] = flags[i];
    argv[1 + n_flags] = "--describe"; /* last: the flags before it are checked first */
    char *out, *err;
    int status = capture(argv, &out, &err);
    int result = status == 0 ? parse_description(out, set) : -1;
    if (result != 0)
        complaint(status == 0 ? "the chapter did not describe itself" : err, error, size);
    free(out);
    free(err);
    free(argv);
    return result;
}

/* ----------------------------------------------------------------------- */
/* Stepping                                                                 */
/* ----------------------------------------------------------------------- */

const knob *knobs_find(const knob_set *set, const char *name)
{
    for (int i = 0; i < set->count; i++)
        if (strcmp(set->items[i].name, name) == 0)
            return &set->items[i];
    return NULL;
}

/*
 * The neighbour of v on the ladder ..., 0.1, 0.2, 0.5, 1, 2, 5, 10, ...: the
 * smallest rung above it (direction > 0) or the largest below it.
 */
static double ladder_step(double v, int direction)
{
    static const double rungs[] = {1, 2, 5};
    double found = direction > 0 ? INFINITY : 0;
    int decade = (int)floor(log10(v > 0 ? v : 1e-3));
    for (int e = decade - 2; e <= decade + 2; e++) {
        for (int r = 0; r < 3; r++) {
            double rung = rungs[r] * pow(10, e);
            if (direction > 0 && rung > v * (1 + 1e-9) && rung < found)
                found = rung;
            if (direction < 0 && rung < v * (1 - 1e-9) && rung > found)
                found = rung;
        }
    }
    return found;
}

double knob_step(const knob *k, int direction)
{
    double v = k->value;
    if (k->rate) {
        double next = round((v + 0.1 * direction) * 10) / 10;
        return next < 0 ? 0 : next > 1 ? 1 : next;
    }
    if (k->integer) {
        if (v < 10 || (v == 10 && direction < 0))
            return v + direction < 0 ? 0 : v + direction;
        return direction > 0 ? ladder_step(v, +1) : fmax(10, ladder_step(v, -1));
    }
    if (direction > 0)
        return v <= 0 ? 0.001 : ladder_step(v, +1);
    double next = ladder_step(v, -1);
    return next < 0.001 ? 0 : next;
}

void knob_format(const knob *k, double value, char *text, size_t size)
{
    if (k->integer)
        snprintf(text, size, "%.0f", value);
    else
        snprintf(text, size, "%g", value);
}

void knobs_header(const knob_set *set, char *text, size_t size)
{
    char value[32];
    int n = 0;
    text[0] = '\0';
    const knob *main_knob = knobs_find(set, set->main_knob);
    const knob *count = knobs_find(set, "n");
    if (main_knob != NULL && main_knob == count) { /* both keys turn n */
        knob_format(count, count->value, value, sizeof value);
        snprintf(text, size, "[ ] { } n=%s", value);
        return;
    }
    if (main_knob != NULL) {
        knob_format(main_knob, main_knob->value, value, sizeof value);
        n = snprintf(text, size, "[ ] %s=%s", main_knob->name, value);
    }
    if (count != NULL && (size_t)n < size) {
        knob_format(count, count->value, value, sizeof value);
        snprintf(text + n, size - (size_t)n, "%s{ } n=%s", n ? "   " : "", value);
    }
}
