/*
 * hint.c -- `awaitlab hint NAME`: one more hint each time, from a nudge to
 * nearly the answer.
 */
#include "commands.h"
#include "exercise_context.h"

#include <stdio.h>
#include <string.h>

static void usage(void)
{
    printf("usage: awaitlab hint [NAME] [--all]\n\n"
           "Shows the next hint for exercise NAME (default: the next one to do);\n"
           "each call shows one more, from a nudge to nearly the answer.\n"
           "  --all   every hint at once\n");
}

int cmd_hint(int argc, char **argv)
{
    const char *name = NULL;
    bool all = false;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage();
            return 0;
        } else if (!strcmp(argv[i], "--all")) {
            all = true;
        } else if (argv[i][0] == '-' || name) {
            fprintf(stderr, "awaitlab: hint: unexpected '%s' (try --help)\n", argv[i]);
            return EXIT_USAGE;
        } else {
            name = argv[i];
        }
    }
    ex_context ctx;
    int status = ex_context_open(&ctx);
    if (status != 0)
        return status;
    const ex_exercise *e = name ? ex_context_find(&ctx, name) : ex_context_next(&ctx);
    if (!e) {
        if (!name)
            printf("Every exercise passes: no hint needed.\n");
        ex_context_close(&ctx);
        return name ? EXIT_USAGE : 0;
    }
    int shown = ex_state_hints_shown(ctx.state, e->name);
    size_t total = e->n_hints;
    if (total == 0) {
        printf("%s has no hints.\n", e->name);
    } else if (all) {
        for (size_t i = 0; i < total; i++)
            printf("hint %zu of %zu for %s:\n  %s\n\n", i + 1, total, e->name, e->hints[i]);
        shown = (int)total;
    } else {
        size_t index = shown < (int)total ? (size_t)shown : total - 1;
        printf("hint %zu of %zu for %s:\n  %s\n", index + 1, total, e->name, e->hints[index]);
        if (index + 1 < total)
            printf("\n(`awaitlab hint %s` again for the next one)\n", e->name);
        else
            printf("\n(that was the last hint; `awaitlab hint %s --all` shows them all)\n",
                   e->name);
        shown = (int)index + 1;
    }
    char error[4600];
    if (total && ex_state_update(&ctx.workspace, e->name, -1, shown, error, sizeof error) != 0)
        fprintf(stderr, "awaitlab: warning: %s\n", error);
    ex_context_close(&ctx);
    return 0;
}
