/*
 * view.c -- `awaitlab view`: watch a run as it happens.
 *
 *     awaitlab view NN [chapter flags] [--clock real|virtual] [--speed X]
 *     awaitlab view --replay FILE.jsonl [--speed X]
 *     awaitlab view [--speed X] -- PROGRAM [ARGS...]
 *
 * The first runs a chapter, with its knobs on keys (view_chapters.h); the
 * second replays a trace saved with `awaitlab run NN --trace FILE`; the
 * third watches any program built on the runtime, which writes its trace
 * wherever AWAITLAB_TRACE says.  All three draw with the live viewer
 * (viewer/watch.h), and all need a terminal.
 */
#include "catalog.h"
#include "commands.h"
#include "knobs.h"
#include "number.h"
#include "view_chapters.h"
#include "watch.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct view_options {
    double speed;
    const char *replay;      /* --replay FILE                               */
    char **program;          /* after --: the program and its arguments     */
    const char *chapter;     /* NN                                          */
    char **flags;            /* the chapter's flags                         */
    int n_flags;
} view_options;

static void view_usage(FILE *out)
{
    fprintf(out,
            "usage: awaitlab view NN [chapter flags] [--clock real|virtual] [--speed X]\n"
            "       awaitlab view --replay FILE.jsonl [--speed X]\n"
            "       awaitlab view [--speed X] -- PROGRAM [ARGS...]\n\n"
            "Runs chapter NN (or PROGRAM, built on the runtime) and draws its tasks as they\n"
            "run, or replays a trace saved with `awaitlab run NN --trace FILE`.\n"
            "  --speed X   playback speed from 0.1 to 10 (replays and virtual time; default 1)\n"
            "Keys: space pause, +/- speed, arrows scrub and select, [ ] and { } turn the\n"
            "chapter's knobs, s next section, t task table, l/L lesson and source,\n"
            "r rerun, n/p chapters, ? all keys, q quit (and print the chapter's summary).\n");
}

static bool parse_speed(const char *text, double *speed)
{
    double v;
    if (!number_parse(text, &v) || v < 0.1 || v > 10) {
        fprintf(stderr, "awaitlab: --speed %s: must be a number from 0.1 to 10\n",
                text ? text : "");
        return false;
    }
    *speed = v;
    return true;
}

/* The value of "--flag=value" or of the argument after "--flag". */
static const char *value_of(int argc, char **argv, int *i)
{
    const char *eq = strchr(argv[*i], '=');
    if (eq)
        return eq + 1;
    return *i + 1 < argc ? argv[++*i] : NULL;
}

static bool is_flag(const char *arg, const char *flag)
{
    size_t n = strlen(flag);
    return strncmp(arg, flag, n) == 0 && (arg[n] == '\0' || arg[n] == '=');
}

/* Splits the command's own flags from the chapter's; returns an exit status. */
static int parse(int argc, char **argv, view_options *o)
{
    o->speed = 1;
    o->flags = calloc((size_t)argc + 1, sizeof *o->flags);
    if (o->flags == NULL)
        return EXIT_FAILED;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) {
            o->program = argv + i + 1;
            break;
        } else if (is_flag(argv[i], "--speed")) {
            if (!parse_speed(value_of(argc, argv, &i), &o->speed))
                return EXIT_USAGE;
        } else if (is_flag(argv[i], "--replay")) {
            if (!(o->replay = value_of(argc, argv, &i))) {
                fprintf(stderr, "awaitlab: --replay needs a trace file\n");
                return EXIT_USAGE;
            }
        } else if (is_flag(argv[i], "--trace")) {
            fprintf(stderr, "awaitlab: the viewer reads the trace itself; to save one, "
                            "use awaitlab run NN --trace FILE\n");
            return EXIT_USAGE;
        } else if (o->chapter == NULL && argv[i][0] != '-') {
            o->chapter = argv[i];
        } else {
            o->flags[o->n_flags++] = argv[i];
        }
    }
    int modes = (o->replay != NULL) + (o->program != NULL) + (o->chapter != NULL);
    if (modes != 1 || (o->program && !o->program[0]) || (o->n_flags && !o->chapter)) {
        view_usage(stderr);
        return EXIT_USAGE;
    }
    return 0;
}

static tv_term *open_terminal(void)
{
    tv_term *term = tv_term_open();
    if (term == NULL)
        fprintf(stderr, "awaitlab: the viewer needs a terminal; to draw a run as text "
                        "instead: awaitlab run NN --timeline\n");
    return term;
}

/* 0, or 128 + the signal that stopped the viewer, as a shell would say. */
static int exit_status(int signal_number)
{
    return signal_number > 0 ? 128 + signal_number : 0;
}

/*
 * After the screen is given back: what the program printed, its summary,
 * which the viewer kept in its output panel; or why there is none.
 */
static void print_summary(char *output, const char *what)
{
    if (output != NULL)
        fputs(output, stdout);
    else if (what != NULL)
        printf("(%s had not finished: its summary prints when a run ends)\n", what);
    free(output);
}

/* ----------------------------------------------------------------------- */
/* The three ways to watch                                                  */
/* ----------------------------------------------------------------------- */

static int watch_once(const tv_watch_spec *spec)
{
    tv_term *term = open_terminal();
    if (term == NULL)
        return EXIT_FAILED;
    tv_request request = {0};
    int status = tv_watch(term, spec, &request);
    int saved = errno;
    tv_term_close(term);
    if (status != 0) {
        fprintf(stderr, "awaitlab: cannot watch %s: %s\n",
                spec->replay_path ? spec->replay_path : spec->argv[0], strerror(saved));
        return EXIT_FAILED;
    }
    if (request.kind == TV_REQUEST_QUIT)
        print_summary(request.output, spec->argv ? spec->argv[0] : NULL);
    return request.kind == TV_REQUEST_INTERRUPTED ? exit_status(request.direction) : 0;
}

static int view_replay(const view_options *o)
{
    if (access(o->replay, R_OK) != 0) {
        fprintf(stderr, "awaitlab: cannot read %s: %s\n", o->replay, strerror(errno));
        return EXIT_FAILED;
    }
    char title[300];
    snprintf(title, sizeof title, "replay of %s", o->replay);
    tv_watch_spec spec = {.title = title, .replay_path = o->replay, .speed = o->speed};
    return watch_once(&spec);
}

static int view_program(const view_options *o)
{
    char title[300];
    snprintf(title, sizeof title, "%s", o->program[0]);
    tv_watch_spec spec = {.title = title, .argv = o->program, .speed = o->speed};
    return watch_once(&spec);
}

/* Checks the chapter's flags before the screen is taken, so errors print plainly. */
static bool flags_accepted(const chapter_info *chapter, const view_options *o)
{
    knob_set knobs;
    char error[300];
    if (knobs_describe(chapter->path, o->flags, o->n_flags, &knobs, error, sizeof error) == 0)
        return true;
    fprintf(stderr, "awaitlab: %s\n", error);
    return false;
}

static int view_chapter(const view_options *o)
{
    chapter_info *chapters;
    int count = catalog_load(&chapters);
    if (count < 0)
        return EXIT_FAILED;
    int status = EXIT_USAGE;
    const chapter_info *chapter = catalog_find(chapters, count, o->chapter);
    if (chapter != NULL && flags_accepted(chapter, o)) {
        tv_term *term = open_terminal();
        status = EXIT_FAILED;
        if (term != NULL) {
            char *summary;
            int result = view_chapters(term, chapters, count, (int)(chapter - chapters),
                                       o->flags, o->n_flags, o->speed, &summary);
            tv_term_close(term);
            if (result == 0)
                print_summary(summary, "the chapter");
            else
                free(summary);
            status = result < 0 ? EXIT_FAILED : exit_status(result);
        }
    }
    free(chapters);
    return status;
}

int cmd_view(int argc, char **argv)
{
    if (argc > 0 && (!strcmp(argv[0], "--help") || !strcmp(argv[0], "-h"))) {
        view_usage(stdout);
        return 0;
    }
    view_options o = {0};
    int status = parse(argc, argv, &o);
    if (status == 0)
        status = o.replay ? view_replay(&o) : o.program ? view_program(&o) : view_chapter(&o);
    free(o.flags);
    return status;
}
