/*
 * run.c -- `awaitlab run NN [flags]`: run a chapter program, then draw it.
 *
 * The chapter runs as its own process: its flags, summary and --json report
 * are its own business, and a chapter (or a student's exercise) that crashes
 * cannot take the command down with it.  For --timeline, --chrome-trace and --svg
 * the command has the chapter write its trace to a file, and afterwards
 * draws that file with the viewer's renderers -- the same trace a live
 * viewer would watch.
 */
#include "catalog.h"
#include "chrome_export.h"
#include "commands.h"
#include "number.h"
#include "svg_export.h"
#include "timeline_text.h"
#include "trace_model.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct run_options {
    bool timeline;
    bool json;
    bool help;
    int width;
    const char *chrome_path;
    const char *svg_path;
    const char *title;        /* the SVG's heading               */
    const char *trace_path;   /* the user's --trace FILE, if any */
    char **child_argv;        /* what the chapter program gets   */
    int child_argc;
} run_options;

static void run_usage(void)
{
    printf("usage: awaitlab run NN [--timeline] [--width N] [--chrome-trace FILE] [--svg FILE]\n"
           "                       [--clock real|virtual] [--seed N] [--json] [--trace FILE]\n"
           "                       [chapter flags...]\n\n"
           "Runs chapter NN and prints what happened.\n"
           "  --timeline           draw each section as an ASCII timeline afterwards\n"
           "  --width N            columns of the timeline's time axis (default 60)\n"
           "  --chrome-trace FILE  also write the run in Chrome trace-event JSON\n"
           "                       (open it in Perfetto or chrome://tracing)\n"
           "  --svg FILE           also draw the whole run as an SVG picture (handouts, slides)\n"
           "`awaitlab run NN --help` lists the chapter's own flags.\n");
}

/* Takes a flag's value from "--flag=value" or the next argument. */
static const char *flag_value(int argc, char **argv, int *i, const char *flag)
{
    const char *eq = strchr(argv[*i], '=');
    if (eq)
        return eq + 1;
    if (*i + 1 >= argc) {
        fprintf(stderr, "awaitlab: %s needs a value\n", flag);
        return NULL;
    }
    return argv[++*i];
}

static bool is_flag(const char *arg, const char *flag)
{
    size_t n = strlen(flag);
    return strncmp(arg, flag, n) == 0 && (arg[n] == '\0' || arg[n] == '=');
}

/* Splits the command's own flags from those the chapter program gets. */
static int parse(int argc, char **argv, const char *program, run_options *o)
{
    o->child_argv = calloc((size_t)argc + 4, sizeof *o->child_argv);
    if (!o->child_argv)
        return EXIT_FAILED;
    o->child_argv[o->child_argc++] = (char *)program;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (is_flag(a, "--timeline")) {
            o->timeline = true;
        } else if (is_flag(a, "--width")) {
            const char *v = flag_value(argc, argv, &i, "--width");
            long w;
            if (!number_parse_whole(v, 10, TV_TIMELINE_MAX_WIDTH, &w)) {
                fprintf(stderr, "awaitlab: --width %s: must be a whole number from 10 to %d\n",
                        v ? v : "", TV_TIMELINE_MAX_WIDTH);
                return EXIT_USAGE;
            }
            o->width = (int)w;
        } else if (is_flag(a, "--svg")) {
            if (!(o->svg_path = flag_value(argc, argv, &i, "--svg")))
                return EXIT_USAGE;
        } else if (is_flag(a, "--chrome-trace")) {
            if (!(o->chrome_path = flag_value(argc, argv, &i, "--chrome-trace")))
                return EXIT_USAGE;
        } else {
            if (is_flag(a, "--trace")) {
                o->child_argv[o->child_argc++] = argv[i];
                if (!(o->trace_path = flag_value(argc, argv, &i, "--trace")))
                    return EXIT_USAGE;
                if (!strchr(a, '='))
                    o->child_argv[o->child_argc++] = argv[i];
                continue;
            }
            o->json |= is_flag(a, "--json");
            o->help |= is_flag(a, "--help");
            o->child_argv[o->child_argc++] = argv[i];
        }
    }
    if (o->timeline && o->json) {
        fprintf(stderr, "awaitlab: --timeline draws for people and --json prints for "
                        "tools; pick one\n");
        return EXIT_USAGE;
    }
    return 0;
}

/* ----------------------------------------------------------------------- */
/* Interruptions                                                             */
/* ----------------------------------------------------------------------- */

/*
 * Ctrl-C, a hangup, a kill or a closed pipe (`awaitlab run 01 --timeline |
 * head`) must not leave the temporary trace behind, so while the command
 * owns one, these signals only note themselves (and pass themselves on to
 * the chapter, which a `kill` aimed at us alone would miss);
 * the command then stops the normal way, through its cleanup, and exits with
 * 128 + the signal, as a shell reports a program killed by it.
 */
static const int stop_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};
static volatile sig_atomic_t stopped_by;   /* the signal, or 0             */
static volatile sig_atomic_t chapter_pid;  /* 0 while no chapter runs      */

static void on_stop_signal(int sig)
{
    stopped_by = sig;
    if (chapter_pid > 0)
        kill((pid_t)chapter_pid, sig);
}

/* No SA_RESTART: waitpid() returns EINTR and the loop around it goes on. */
static void catch_stop_signals(void)
{
    struct sigaction sa = {.sa_handler = on_stop_signal};
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof stop_signals / sizeof *stop_signals; i++)
        sigaction(stop_signals[i], &sa, NULL);
}

static void restore_stop_signals(void)
{
    for (size_t i = 0; i < sizeof stop_signals / sizeof *stop_signals; i++)
        signal(stop_signals[i], SIG_DFL);
}

/*
 * A new trace file in $TMPDIR (else /tmp), its name in `path`; the signals
 * above are caught first, so no moment exists where one could leave it.
 */
static bool create_temp_trace(char *path, size_t size)
{
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir)
        dir = "/tmp";
    if ((size_t)snprintf(path, size, "%s/awaitlab-trace-XXXXXX", dir) >= size) {
        fprintf(stderr, "awaitlab: TMPDIR is too long a path\n");
        return false;
    }
    catch_stop_signals();
    int fd = mkstemp(path);
    if (fd < 0) {
        fprintf(stderr, "awaitlab: cannot create a temporary trace file in %s: %s\n", dir,
                strerror(errno));
        restore_stop_signals();
        return false;
    }
    close(fd);
    return true;
}

/* Runs the chapter program and waits; returns its exit status. */
static int run_child(const run_options *o)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) {
        perror("awaitlab: fork");
        return EXIT_FAILED;
    }
    if (pid == 0) {
        execv(o->child_argv[0], o->child_argv);
        fprintf(stderr, "awaitlab: cannot run %s: %s\n", o->child_argv[0], strerror(errno));
        _exit(127);
    }
    chapter_pid = pid;
    if (stopped_by) /* it came before the chapter could be told */
        kill(pid, stopped_by);
    int status;
    int rc;
    while ((rc = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
        continue;
    chapter_pid = 0;
    if (rc < 0)
        return EXIT_FAILED;
    if (stopped_by)
        return 128 + stopped_by;
    if (WIFSIGNALED(status)) {
        fprintf(stderr, "awaitlab: the chapter program died: %s\n", strsignal(WTERMSIG(status)));
        return EXIT_FAILED;
    }
    return WEXITSTATUS(status);
}

static int draw_timeline(const tv_model *model, int width)
{
    tv_timeline_options options = {.width = width};
    if (model->n_sections == 0) {
        tv_section whole = tv_model_whole_run(model);
        return tv_timeline_render(model, &whole, &options, stdout);
    }
    for (size_t i = 0; i < model->n_sections; i++) {
        putchar('\n');
        if (tv_timeline_render(model, &model->sections[i], &options, stdout) != 0)
            return -1;
    }
    return 0;
}

static int export_chrome(const tv_model *model, const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f || tv_chrome_export(model, f) != 0) {
        fprintf(stderr, "awaitlab: cannot write %s: %s\n", path, strerror(errno));
        if (f)
            fclose(f);
        return -1;
    }
    fclose(f);
    fprintf(stderr, "awaitlab: wrote %s (open it in Perfetto: ui.perfetto.dev)\n", path);
    return 0;
}

static int export_svg(const tv_model *model, const char *path, const char *title)
{
    tv_section whole = tv_model_whole_run(model);
    tv_svg_options options = {.title = title};
    if (tv_svg_export_path(model, &whole, &options, path) != 0) {
        fprintf(stderr, "awaitlab: cannot write %s: %s\n", path, strerror(errno));
        return -1;
    }
    fprintf(stderr, "awaitlab: wrote %s\n", path);
    return 0;
}

/* Draws what the trace file holds; a half-written trace still draws. */
static int render(const run_options *o, const char *trace_path)
{
    tv_model *model = tv_model_load_path(trace_path);
    if (!model) {
        fprintf(stderr, "awaitlab: cannot read the trace %s: %s\n", trace_path, strerror(errno));
        return -1;
    }
    for (size_t i = 0; i < model->n_diagnostics; i++)
        fprintf(stderr, "awaitlab: trace line %zu: %s (skipped)\n",
                model->diagnostics[i].line, model->diagnostics[i].message);
    int status = 0;
    if (o->timeline)
        status |= draw_timeline(model, o->width);
    if (o->chrome_path)
        status |= export_chrome(model, o->chrome_path);
    if (o->svg_path)
        status |= export_svg(model, o->svg_path, o->title);
    tv_model_free(model);
    return status;
}

int cmd_run(int argc, char **argv)
{
    if (argc == 0) {
        fprintf(stderr, "awaitlab: run needs a chapter, e.g. `awaitlab run 01` "
                        "(`awaitlab list` shows them all)\n");
        return EXIT_USAGE;
    }
    if (!strcmp(argv[0], "--help") || !strcmp(argv[0], "-h")) {
        run_usage();
        return 0;
    }
    chapter_info *chapters;
    int count = catalog_load(&chapters);
    if (count < 0)
        return EXIT_FAILED;
    const chapter_info *chapter = catalog_find(chapters, count, argv[0]);
    if (!chapter) {
        free(chapters);
        return EXIT_USAGE;
    }
    run_options o = {0};
    char temp_trace[PATH_MAX];
    bool own_trace = false;
    int status = parse(argc, argv, chapter->path, &o);
    if (status != 0)
        goto out;
    char title[300];
    snprintf(title, sizeof title, "chapter %s: %s", chapter->number, chapter->title);
    o.title = title;
    if ((o.timeline || o.chrome_path || o.svg_path) && !o.trace_path && !o.help) {
        if (!create_temp_trace(temp_trace, sizeof temp_trace)) {
            status = EXIT_FAILED;
            goto out;
        }
        own_trace = true;
        o.child_argv[o.child_argc++] = "--trace";
        o.child_argv[o.child_argc++] = temp_trace;
    }
    status = run_child(&o);
    if (o.help) {
        putchar('\n');
        run_usage();
    } else if ((o.timeline || o.chrome_path || o.svg_path) && status != EXIT_USAGE &&
               !stopped_by) {
        if (render(&o, own_trace ? temp_trace : o.trace_path) != 0 && status == 0)
            status = EXIT_FAILED;
    }
out:
    if (own_trace) {
        unlink(temp_trace);
        restore_stop_signals();
    }
    if (stopped_by) /* also during the drawing, which then stops here */
        status = 128 + stopped_by;
    free(o.child_argv);
    free(chapters);
    return status;
}
