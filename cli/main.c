/*
 * main.c -- the `awaitlab` command: finds the subcommand and hands over.
 */
#include "commands.h"
#include "suggest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef AWAITLAB_VERSION
#define AWAITLAB_VERSION "unknown"
#endif

typedef struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} command;

static const command commands[] = {
    {"list", cmd_list, "the numbered chapters, one line each"},
    {"run", cmd_run, "run a chapter: awaitlab run 01 [--timeline] [flags]"},
    {"show", cmd_show, "print a chapter's lesson: awaitlab show 01"},
    {"view", cmd_view, "watch a chapter live: awaitlab view 01 [flags] [--speed X]"},
    {"serve", cmd_serve, "run the lab HTTP server alone: awaitlab serve [--port N]"},
    {"book", cmd_book, "the workbook as a web site: awaitlab book OUT_DIR"},
    {"init", cmd_init, "make a workspace of exercises: awaitlab init DIR"},
    {"exercises", cmd_exercises, "every exercise and how far you are [--json]"},
    {"watch", cmd_watch, "the next exercise, re-checked each time you save it"},
    {"check", cmd_check, "build and check an exercise: awaitlab check [NAME] [--json]"},
    {"hint", cmd_hint, "the next hint for an exercise: awaitlab hint NAME [--all]"},
    {"solution", cmd_solution, "the reference solution, once yours passes: awaitlab solution NAME"},
    {"reset", cmd_reset, "an exercise as shipped again: awaitlab reset NAME"},
    {"grade", cmd_grade, "grade a class: awaitlab grade CLASS_DIR --out OUT_DIR"},
    {"dev", cmd_dev, "for the project: awaitlab dev check (every solution passes ...)"},
    {NULL, NULL, NULL},
};

static void usage(FILE *out)
{
    fprintf(out, "awaitlab -- asyncio's patterns, in C, one chapter at a time\n\n"
                 "usage: awaitlab COMMAND [ARGS]\n\n");
    for (const command *c = commands; c->name; c++)
        fprintf(out, "  %-9s %s\n", c->name, c->summary);
    fprintf(out, "\n`awaitlab COMMAND --help` says more about each.\n"
                 "  --color=auto|always|never   colour where output is coloured (auto: on a\n"
                 "                              terminal, unless NO_COLOR is set)\n"
                 "  --version                   the version\n"
                 "Start with:  awaitlab run 01 --timeline\n");
}

/*
 * --color=auto|always|never, taken out of argv wherever it stands, so that
 * every command (and the chapter programs they start) takes it.  The choice
 * travels in the environment: NO_COLOR, the convention every coloured output
 * here already honours, is set for "never" and cleared for "always".
 * Returns -1 for a value it does not know.
 */
static int take_color_flag(int *argc, char **argv)
{
    int kept = 1;
    for (int i = 1; i < *argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) { /* what follows is another program's */
            while (i < *argc)
                argv[kept++] = argv[i++];
            break;
        }
        if (strncmp(a, "--color", 7) != 0 || (a[7] != '=' && a[7] != '\0')) {
            argv[kept++] = argv[i];
            continue;
        }
        const char *value = a[7] == '=' ? a + 8 : "always"; /* as ls and grep take it */
        if (strcmp(value, "never") == 0)
            setenv("NO_COLOR", "1", 1);
        else if (strcmp(value, "always") == 0)
            unsetenv("NO_COLOR");
        else if (strcmp(value, "auto") != 0) {
            fprintf(stderr, "awaitlab: --color takes auto, always or never, not '%s'\n", value);
            return -1;
        }
    }
    argv[kept] = NULL;
    *argc = kept;
    return 0;
}

int main(int argc, char **argv)
{
    if (take_color_flag(&argc, argv) != 0)
        return EXIT_USAGE;
    if (argc < 2 && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))
        return gallery_run();
    if (argc < 2) {
        usage(stdout);
        putchar('\n');
        return cmd_list(0, NULL);
    }
    const char *name = argv[1];
    if (!strcmp(name, "--version")) {
        printf("awaitlab %s\n", AWAITLAB_VERSION);
        return 0;
    }
    if (!strcmp(name, "--help") || !strcmp(name, "-h") || !strcmp(name, "help")) {
        usage(stdout);
        return 0;
    }
    for (const command *c = commands; c->name; c++)
        if (strcmp(name, c->name) == 0)
            return c->run(argc - 2, argv + 2);

    const char *names[sizeof commands / sizeof *commands];
    size_t i = 0;
    for (const command *c = commands; c->name; c++)
        names[i++] = c->name;
    names[i] = NULL;
    const char *guess = suggest_closest(name, names);
    if (guess)
        fprintf(stderr, "awaitlab: unknown command '%s' (did you mean '%s'?)\n", name, guess);
    else
        fprintf(stderr, "awaitlab: unknown command '%s' (try awaitlab --help)\n", name);
    return EXIT_USAGE;
}
