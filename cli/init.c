/*
 * init.c -- `awaitlab init DIR`: a fresh workspace for one student.
 */
#include "commands.h"
#include "exercise_context.h"

#include <stdio.h>
#include <string.h>

static void usage(void)
{
    printf("usage: awaitlab init DIR\n\n"
           "Makes DIR (new, or empty) a workspace: a copy of every exercise, a README\n"
           "saying how to work through them, and a place for your progress.\n"
           "Then:  cd DIR && awaitlab watch\n");
}

int cmd_init(int argc, char **argv)
{
    if (argc == 1 && (!strcmp(argv[0], "--help") || !strcmp(argv[0], "-h"))) {
        usage();
        return 0;
    }
    if (argc != 1 || argv[0][0] == '-') {
        fprintf(stderr, "awaitlab: init needs one directory, e.g. `awaitlab init my-awaitlab`\n");
        return EXIT_USAGE;
    }
    const char *home = ex_home();
    if (!home) {
        fprintf(stderr, "awaitlab: cannot find the exercises near this program; set "
                        "AWAITLAB_HOME to the awaitlab directory\n");
        return EXIT_FAILED;
    }
    char error[4600];
    ex_catalogue catalogue;
    if (ex_catalogue_load(home, &catalogue, error, sizeof error) != 0) {
        fprintf(stderr, "awaitlab: %s\n", error);
        return EXIT_FAILED;
    }
    size_t count = catalogue.count;
    const char *first = count ? catalogue.items[0].name : "";
    int status = 0;
    if (ex_workspace_create(argv[0], home, error, sizeof error) != 0) {
        fprintf(stderr, "awaitlab: init: %s\n", error);
        status = EXIT_USAGE;
    } else {
        printf("Made the workspace %s with %zu exercises.\n\n"
               "  cd %s\n"
               "  awaitlab watch          # the exercises one by one, re-checked on every save\n"
               "  awaitlab check %s   # or check one yourself\n",
               argv[0], count, argv[0], first);
    }
    ex_catalogue_free(&catalogue);
    return status;
}
