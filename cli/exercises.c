/*
 * exercises.c -- `awaitlab exercises`: every exercise, and how far you are.
 */
#include "commands.h"
#include "exercise_context.h"

#include <stdio.h>
#include <string.h>

static void usage(void)
{
    printf("usage: awaitlab exercises [--json]\n\n"
           "Lists every exercise in workbook order with its chapter, kind and state:\n"
           "done, next (the one `awaitlab check` and `watch` take up), or pending.\n"
           "  --json   one JSON list of {name, chapter, kind, title, path, done, next}\n");
}

static const char *state_of(const ex_context *ctx, const ex_exercise *e, const ex_exercise *next)
{
    return ex_state_done(ctx->state, e->name) ? "done" : e == next ? "next" : "pending";
}

static void print_json(const ex_context *ctx, const ex_exercise *next)
{
    json_t *list = json_array();
    for (size_t i = 0; i < ctx->catalogue.count; i++) {
        const ex_exercise *e = &ctx->catalogue.items[i];
        char path[200];
        ex_student_path(e, path, sizeof path);
        json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:b}", "name",
                                              e->name, "chapter", e->chapter, "kind",
                                              ex_kind_name(e->kind), "title", e->title, "path",
                                              path, "done", ex_state_done(ctx->state, e->name),
                                              "next", e == next));
    }
    json_dumpf(list, stdout, JSON_INDENT(2));
    putchar('\n');
    json_decref(list);
}

static void print_bar(size_t done, size_t total)
{
    enum { WIDTH = 40 };
    size_t filled = total ? done * WIDTH / total : 0;
    printf("progress [");
    for (size_t i = 0; i < WIDTH; i++)
        putchar(i < filled ? '#' : '-');
    printf("] %zu of %zu done\n", done, total);
}

static void print_table(const ex_context *ctx, const ex_exercise *next)
{
    size_t done = 0;
    const char *chapter = "";
    for (size_t i = 0; i < ctx->catalogue.count; i++) {
        const ex_exercise *e = &ctx->catalogue.items[i];
        if (strcmp(chapter, e->chapter) != 0) {
            printf("%schapter %s  (%s)\n", i ? "\n" : "", e->chapter, e->dir + 3);
            chapter = e->chapter;
        }
        const char *state = state_of(ctx, e, next);
        done += strcmp(state, "done") == 0;
        printf("  %-7s %-26s %-8s %s\n", state, e->name, ex_kind_name(e->kind), e->title);
    }
    putchar('\n');
    print_bar(done, ctx->catalogue.count);
    if (next)
        printf("next: awaitlab check %s   (or `awaitlab watch`)\n", next->name);
    else
        printf("every exercise passes. Well done.\n");
}

int cmd_exercises(int argc, char **argv)
{
    bool json = false;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage();
            return 0;
        } else if (!strcmp(argv[i], "--json")) {
            json = true;
        } else {
            fprintf(stderr, "awaitlab: exercises: unknown argument '%s' (try --help)\n", argv[i]);
            return EXIT_USAGE;
        }
    }
    ex_context ctx;
    int status = ex_context_open(&ctx);
    if (status != 0)
        return status;
    const ex_exercise *next = ex_context_next(&ctx);
    if (json)
        print_json(&ctx, next);
    else
        print_table(&ctx, next);
    ex_context_close(&ctx);
    return 0;
}
