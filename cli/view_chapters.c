/*
 * view_chapters.c -- a session of chapters in the live viewer: knobs turned
 * by keys, chapters changed by keys, each change a new run.
 */
#include "view_chapters.h"

#include "knobs.h"
#include "lesson_pager.h"
#include "watch.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct session {
    const chapter_info *chapters;
    int count;
    int index;
    char **flags;         /* the chapter's flags, owned                  */
    int n_flags;
    knob_set knobs;       /* their values, as the chapter describes them */
    double speed;
    char message[256];    /* for the footer of the next run              */
} session;

static void free_flags(char **flags, int n)
{
    for (int i = 0; i < n; i++)
        free(flags[i]);
    free(flags);
}

/* A copy of flags[0 .. n) with room for `extra` more; NULL when out of memory. */
static char **copy_flags(char *const *flags, int n, int extra)
{
    char **copy = calloc((size_t)(n + extra + 1), sizeof *copy);
    for (int i = 0; copy && i < n; i++)
        if ((copy[i] = strdup(flags[i])) == NULL) {
            free_flags(copy, i);
            return NULL;
        }
    return copy;
}

/* ----------------------------------------------------------------------- */
/* Knobs                                                                    */
/* ----------------------------------------------------------------------- */

/*
 * The flags with "--name=value" at the end, and earlier "--name=..." set
 * by this session taken out.  The harness reads flags in order, so the
 * last one wins even over a "--name value" the user typed.
 */
static char **with_value(const session *s, const char *name, const char *value, int *n)
{
    char **flags = copy_flags(NULL, 0, s->n_flags + 1);
    char prefix[48];
    snprintf(prefix, sizeof prefix, "--%s=", name);
    *n = 0;
    for (int i = 0; flags && i < s->n_flags; i++)
        if (strncmp(s->flags[i], prefix, strlen(prefix)) != 0)
            flags[(*n)++] = strdup(s->flags[i]);
    if (flags && asprintf(&flags[*n], "%s%s", prefix, value) >= 0)
        (*n)++;
    return flags;
}

/* Turns a knob one step, if the chapter accepts the new value. */
static void turn(session *s, const char *name, int direction)
{
    const knob *k = knobs_find(&s->knobs, name);
    if (k == NULL) {
        snprintf(s->message, sizeof s->message, "chapter %s has no knob --%s",
                 s->chapters[s->index].number, name);
        return;
    }
    double next = knob_step(k, direction);
    char value[32], error[200];
    knob_format(k, next, value, sizeof value);
    int n;
    char **flags = with_value(s, name, value, &n);
    knob_set checked;
    if (flags == NULL ||
        knobs_describe(s->chapters[s->index].path, flags, n, &checked, error,
                       sizeof error) != 0) {
        snprintf(s->message, sizeof s->message, "--%s stays: %s", name,
                 flags ? error : "out of memory");
        free_flags(flags, flags ? n : 0);
        return;
    }
    free_flags(s->flags, s->n_flags);
    s->flags = flags;
    s->n_flags = n;
    s->knobs = checked;
    snprintf(s->message, sizeof s->message, "--%s=%s: running again", name, value);
}

/* ----------------------------------------------------------------------- */
/* Chapters                                                                 */
/* ----------------------------------------------------------------------- */

/* The flags that mean the same to every chapter: the clock, debug mode. */
static int carried_flags(char **flags, int n)
{
    int kept = 0;
    for (int i = 0; i < n; i++) {
        bool clock = strcmp(flags[i], "--clock") == 0 && i + 1 < n;
        if (clock || strncmp(flags[i], "--clock=", 8) == 0 ||
            strcmp(flags[i], "--debug") == 0) {
            flags[kept++] = flags[i];
            if (clock)
                flags[kept++] = flags[++i];
        } else {
            free(flags[i]);
        }
    }
    return kept;
}

static void go_to(session *s, int direction)
{
    s->index = (s->index + direction + s->count) % s->count;
    s->n_flags = carried_flags(s->flags, s->n_flags);
    char error[200];
    if (knobs_describe(s->chapters[s->index].path, s->flags, s->n_flags, &s->knobs, error,
                       sizeof error) != 0) {
        memset(&s->knobs, 0, sizeof s->knobs);
        snprintf(s->message, sizeof s->message, "%s", error);
    }
}

/* ----------------------------------------------------------------------- */
/* The session                                                              */
/* ----------------------------------------------------------------------- */

/* l and L in the viewer: a file in the pager, under its own name. */
static int show_file(tv_term *term, const char *path)
{
    const char *slash = strrchr(path, '/');
    return file_pager(term, slash ? slash + 1 : path, path) < 0 ? -1 : 0;
}

/* Runs the current chapter in the viewer until it asks for something. */
static int watch_one(session *s, tv_term *term, tv_request *request)
{
    const chapter_info *c = &s->chapters[s->index];
    char title[300], knobs[200], lesson[4600], source[4600];
    catalog_lesson_path(c, lesson, sizeof lesson);
    if (access(lesson, R_OK) != 0) /* not installed: the repository's */
        catalog_source_path(c, "md", lesson, sizeof lesson);
    bool has_source = catalog_source_path(c, "c", source, sizeof source);
    snprintf(title, sizeof title, "chapter %s: %s", c->number, c->title);
    knobs_header(&s->knobs, knobs, sizeof knobs);
    char **argv = calloc((size_t)s->n_flags + 2, sizeof *argv);
    if (argv == NULL)
        return -1;
    argv[0] = (char *)c->path;
    memcpy(argv + 1, s->flags, (size_t)s->n_flags * sizeof *argv);
    tv_watch_spec spec = {.title = title, .argv = argv, .knobs = knobs[0] ? knobs : NULL,
                          .chapters = s->count > 1, .speed = s->speed,
                          .message = s->message[0] ? s->message : NULL,
                          .lesson_path = lesson, .source_path = has_source ? source : NULL,
                          .show_file = show_file};
    int status = tv_watch(term, &spec, request);
    free(argv);
    s->message[0] = '\0';
    return status;
}

int view_chapters(tv_term *term, const chapter_info *chapters, int count, int index,
                  char *const *flags, int n_flags, double speed, char **summary)
{
    if (summary != NULL)
        *summary = NULL;
    session s = {.chapters = chapters, .count = count, .index = index, .speed = speed,
                 .flags = copy_flags(flags, n_flags, 0), .n_flags = n_flags};
    char error[200];
    if (s.flags == NULL)
        return -1;
    if (knobs_describe(chapters[index].path, s.flags, s.n_flags, &s.knobs, error,
                       sizeof error) != 0)
        snprintf(s.message, sizeof s.message, "%s", error);
    int result = 0;
    for (;;) {
        tv_request request;
        if (watch_one(&s, term, &request) != 0) {
            result = -1;
            break;
        }
        s.speed = request.speed;
        if (summary != NULL && request.kind == TV_REQUEST_QUIT)
            *summary = request.output;
        else
            free(request.output);
        if (request.kind == TV_REQUEST_QUIT || request.kind == TV_REQUEST_INTERRUPTED) {
            result = request.kind == TV_REQUEST_INTERRUPTED ? request.direction : 0;
            break;
        }
        if (request.kind == TV_REQUEST_KNOB && s.knobs.main_knob[0] == '\0')
            snprintf(s.message, sizeof s.message, "chapter %s names no main knob",
                     chapters[s.index].number);
        else if (request.kind == TV_REQUEST_KNOB)
            turn(&s, s.knobs.main_knob, request.direction);
        else if (request.kind == TV_REQUEST_N)
            turn(&s, "n", request.direction);
        else
            go_to(&s, request.direction);
    }
    free_flags(s.flags, s.n_flags);
    return result;
}
