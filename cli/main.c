/*
 * main.c -- the `awaitlab` command: finds the subcommand and hands over.
 */
#include "commands.h"
#include "suggest.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

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
    {NULL, NULL, NULL},
};

static void usage(FILE *out)
{
    fprintf(out, "awaitlab -- asyncio's patterns, in C, one chapter at a time\n\n"
                 "usage: awaitlab COMMAND [ARGS]\n\n");
    for (const command *c = commands; c->name; c++)
        fprintf(out, "  %-6s %s\n", c->name, c->summary);
    fprintf(out, "\n`awaitlab COMMAND --help` says more about each.\n"
                 "Start with:  awaitlab run 01 --timeline\n");
}

int main(int argc, char **argv)
{
    if (argc < 2 && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))
        return gallery_run();
    if (argc < 2) {
        usage(stdout);
        putchar('\n');
        return cmd_list(0, NULL);
    }
    const char *name = argv[1];
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
