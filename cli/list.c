/*
 * list.c -- `awaitlab list` and `awaitlab show NN`.
 */
#include "catalog.h"
#include "commands.h"
#include "markdown_term.h"

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static bool wants_help(int argc, char **argv)
{
    for (int i = 0; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
            return true;
    return false;
}

/* A path relative to the working directory when it is under it. */
static const char *relative(const char *path, const char *cwd)
{
    size_t n = strlen(cwd);
    return strncmp(path, cwd, n) == 0 && path[n] == '/' ? path + n + 1 : path;
}

/*
 * "    chapters/01_sequential_vs_gather.{c,py,md}": where a chapter's C
 * program, its asyncio twin and its lesson are, or which are missing.
 */
static void print_files(const chapter_info *chapter)
{
    static const char *const kinds[] = {"c", "py", "md"};
    char cwd[4096], path[4600], found[64] = "";
    if (getcwd(cwd, sizeof cwd) == NULL)
        cwd[0] = '\0';
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
        if (catalog_source_path(chapter, kinds[i], path, sizeof path))
            snprintf(found + strlen(found), sizeof found - strlen(found), "%s%s",
                     found[0] ? "," : "", kinds[i]);
    if (found[0] == '\0') {
        printf("    (no sources beside this build; AWAITLAB_SOURCE_DIR names them)\n");
        return;
    }
    catalog_source_path(chapter, "c", path, sizeof path);
    char *dot = strrchr(path, '.');
    if (dot != NULL)
        *dot = '\0';
    printf("    %s.{%s}\n", relative(path, cwd), found);
}

int cmd_list(int argc, char **argv)
{
    if (wants_help(argc, argv)) {
        printf("usage: awaitlab list\n\nPrints the numbered chapters with one-line summaries, and "
               "where each one's\nC program, Python twin and lesson are.\n");
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
    for (int i = 0; i < count; i++) {
        printf("%s  %-*s  %s\n", chapters[i].number, width, chapters[i].title,
               chapters[i].summary);
        print_files(&chapters[i]);
    }
    printf("\nrun one:    awaitlab run 01 --timeline\nread one:   awaitlab show 01\n"
           "files:      NN_name.c the C program, .py the same in asyncio, .md the lesson\n");
    free(chapters);
    return 0;
}

/*
 * In a terminal, the lesson rendered with styles, through $PAGER (less -R
 * when unset, so that the styles show); piped, as plain text.
 */
static int show_lesson(FILE *lesson)
{
    if (!isatty(STDOUT_FILENO)) {
        markdown_to_terminal(lesson, stdout, false);
        return fflush(stdout) == 0 ? 0 : EXIT_FAILED;
    }
    const char *pager = getenv("PAGER");
    if (pager == NULL || *pager == '\0')
        pager = "less -R";
    fflush(stdout);
    FILE *out = popen(pager, "w");
    if (out == NULL) {
        markdown_to_terminal(lesson, stdout, true);
        return 0;
    }
    /* Quitting the pager early closes the pipe: not an error. */
    void (*before)(int) = signal(SIGPIPE, SIG_IGN);
    markdown_to_terminal(lesson, out, true);
    int status = pclose(out);
    signal(SIGPIPE, before);
    if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) == 127) {
        fprintf(stderr, "awaitlab: the pager `%s` did not run; PAGER=cat prints the lesson\n",
                pager);
        return EXIT_FAILED;
    }
    return 0;
}

int cmd_show(int argc, char **argv)
{
    if (wants_help(argc, argv)) {
        printf("usage: awaitlab show NN\n\n"
               "Shows the lesson of chapter NN: in a terminal through $PAGER (less -R\n"
               "when unset), with headings and code set apart; piped, as plain text.\n");
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
        if (access(path, R_OK) != 0) /* not installed: the repository's */
            catalog_source_path(c, "md", path, sizeof path);
        FILE *f = fopen(path, "r");
        if (!f) {
            fprintf(stderr, "awaitlab: chapter %s has no lesson at %s\n", c->number, path);
            status = EXIT_FAILED;
        } else {
            status = show_lesson(f);
            fclose(f);
        }
    }
    free(chapters);
    return status;
}
