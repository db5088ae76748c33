/*
 * reset.c -- `awaitlab reset NAME`: the exercise as shipped, again.
 */
#include "checker_internal.h"
#include "commands.h"
#include "exercise_context.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static void usage(void)
{
    printf("usage: awaitlab reset NAME\n\n"
           "Puts exercise NAME back as it was shipped.  Your version is kept in\n"
           ".awaitlab/backup/, so a reset by mistake loses nothing.\n");
}

int cmd_reset(int argc, char **argv)
{
    if (argc == 1 && (!strcmp(argv[0], "--help") || !strcmp(argv[0], "-h"))) {
        usage();
        return 0;
    }
    if (argc != 1 || argv[0][0] == '-') {
        fprintf(stderr, "awaitlab: reset needs one exercise name, e.g. `awaitlab reset "
                        "gather_fetches`\n");
        return EXIT_USAGE;
    }
    ex_context ctx;
    int status = ex_context_open(&ctx);
    if (status != 0)
        return status;
    const ex_exercise *e = ex_context_find(&ctx, argv[0]);
    if (!e) {
        ex_context_close(&ctx);
        return EXIT_USAGE;
    }
    if (ctx.workspace.is_home) {
        fprintf(stderr, "awaitlab: reset: this is the awaitlab source tree, whose exercises "
                        "are the shipped files; restore one with git (git checkout -- "
                        "exercises/%s/)\n", e->dir);
        ex_context_close(&ctx);
        return EXIT_USAGE;
    }
    char relative[200], shipped[4400], mine[4400], backup[4400];
    ex_student_path(e, relative, sizeof relative);
    snprintf(shipped, sizeof shipped, "%s/%s", ctx.home, relative);
    ex_workspace_path(&ctx.workspace, relative, mine, sizeof mine);
    ex_workspace_path(&ctx.workspace, ".awaitlab/backup", backup, sizeof backup);
    mkdir(backup, 0755);
    snprintf(backup + strlen(backup), sizeof backup - strlen(backup), "/%s", strrchr(relative, '/') + 1);
    bool had_file = ex__copy_file(mine, backup) == 0;
    if (ex__copy_file(shipped, mine) != 0) {
        fprintf(stderr, "awaitlab: reset: cannot write %s: %s\n", mine, strerror(errno));
        status = EXIT_FAILED;
    } else {
        printf("%s is back as shipped.%s%s\n", relative, had_file ? "  Your version: " : "",
               had_file ? backup : "");
        ex_context_record(&ctx, e, false);
    }
    ex_context_close(&ctx);
    return status;
}
