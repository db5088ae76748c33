/*
 * list.c -- `awaitlab list` and `awaitlab show NN`.
 */
#include "catalog.h"
#include "commands.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool wants_help(int argc, char **argv)
{
    for (int i = 0; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
            return true;
    return false;
}

int cmd_list(int argc, char **argv)
{
    if (wants_help(argc, argv)) {
        printf("usage: awaitlab list\n\nPrints the numbered chapters with one-line summaries.\n");
        return 0;
    }
    if (argc > 0) {
        fprintf(stderr, "awaitlab: list takes no arguments (got '%s')\n", argv[0]);
        return EXIT_USAGE;
    }
    chapter_info *chapters;
    int count = catalog_load(&chapters);
    if (count < 0)
        return EXIT_FAILED;
    int width = 0; /* the widest title, so the summaries line up */
    for (int i = 0; i < count; i++)
        if ((int)strlen(chapters[i].title) > width)
            width = (int)strlen(chapters[i].title);
    for (int i = 0; i < count; i++)
        printf("%s  %-*s  %s\n", chapters[i].number, width, chapters[i].title,
               chapters[i].summary);
    printf("\nrun one:    awaitlab run 01 --timeline\nread one:   awaitlab show 01\n");
    free(chapters);
    return 0;
}

int cmd_show(int argc, char **argv)
{
    if (wants_help(argc, argv)) {
        printf("usage: awaitlab show NN\n\nPrints the lesson of chapter NN (Markdown).\n");
        return 0;
    }
    if (argc != 1) {
        fprintf(stderr, "awaitlab: show needs one chapter, e.g. `awaitlab show 01`\n");
        return EXIT_USAGE;
    }
    chapter_info *chapters;
    int count = catalog_load(&chapters);
    if (count < 0)
        return EXIT_FAILED;
    const chapter_info *c = catalog_find(chapters, count, argv[0]);
    int status = EXIT_USAGE;
    if (c) {
        char path[4600];
        catalog_lesson_path(c, path, sizeof path);
        FILE *f = fopen(path, "r");
        if (!f) {
            fprintf(stderr, "awaitlab: chapter %s has no lesson at %s\n", c->number, path);
            status = EXIT_FAILED;
        } else {
            char buf[8192];
            size_t n;
            while ((n = fread(buf, 1, sizeof buf, f)) > 0)
                fwrite(buf, 1, n, stdout);
            fclose(f);
            status = 0;
        }
    }
    free(chapters);
    return status;
}
