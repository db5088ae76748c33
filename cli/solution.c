/*
 * solution.c -- `awaitlab solution NAME`: the reference solution beside
 * your own file, once yours passes.
 */
#include "commands.h"
#include "exercise_context.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static void usage(void)
{
    printf("usage: awaitlab solution NAME [--force] [--plain]\n\n"
           "Shows the reference solution of NAME beside your file -- once your file\n"
           "passes its check (`awaitlab check NAME`), or before with --force.\n"
           "  --plain   the solution alone, as it is (to save or diff)\n");
}

typedef struct text_lines {
    char **line;
    size_t count;
    char *data;
} text_lines;

static int load_lines(const char *path, text_lines *t)
{
    memset(t, 0, sizeof *t);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t cap = 0;
    ssize_t n;
    char *line = NULL;
    size_t len = 0;
    while ((n = getline(&line, &len, f)) >= 0) {
        if (t->count == cap) {
            cap = cap ? cap * 2 : 64;
            char **grown = realloc(t->line, cap * sizeof *grown);
            if (!grown)
                break;
            t->line = grown;
        }
        line[strcspn(line, "\n")] = '\0';
        t->line[t->count++] = strdup(line);
    }
    free(line);
    fclose(f);
    return 0;
}

static void free_lines(text_lines *t)
{
    for (size_t i = 0; i < t->count; i++)
        free(t->line[i]);
    free(t->line);
}

static int terminal_width(void)
{
    struct winsize w;
    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &w) == 0 && w.ws_col >= 40)
        return w.ws_col;
    const char *columns = getenv("COLUMNS");
    return columns && atoi(columns) >= 40 ? atoi(columns) : 160;
}

/* One cell of the two columns: cut to the width, '>' where it was cut. */
static void cell(const char *text, int width)
{
    int n = (int)strlen(text);
    if (n > width)
        printf("%.*s>", width - 1, text);
    else
        printf("%-*s", width, text);
}

static void side_by_side(const char *left_title, const text_lines *left, const char *right_title,
                         const text_lines *right)
{
    int column = (terminal_width() - 3) / 2;
    cell(left_title, column);
    printf(" | %s\n", right_title);
    for (int i = 0; i < column; i++)
        putchar('-');
    printf("-+-");
    for (int i = 0; i < column; i++)
        putchar('-');
    putchar('\n');
    size_t rows = left->count > right->count ? left->count : right->count;
    for (size_t i = 0; i < rows; i++) {
        const char *a = i < left->count ? left->line[i] : "";
        const char *b = i < right->count ? right->line[i] : "";
        cell(a, column);
        printf(" %c ", strcmp(a, b) == 0 ? '|' : '*');
        if ((int)strlen(b) > column)
            printf("%.*s>\n", column - 1, b);
        else
            printf("%s\n", b);
    }
}

int cmd_solution(int argc, char **argv)
{
    const char *name = NULL;
    bool force = false, plain = false;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage();
            return 0;
        } else if (!strcmp(argv[i], "--force")) {
            force = true;
        } else if (!strcmp(argv[i], "--plain")) {
            plain = true;
        } else if (argv[i][0] == '-' || name) {
            fprintf(stderr, "awaitlab: solution: unexpected '%s' (try --help)\n", argv[i]);
            return EXIT_USAGE;
        } else {
            name = argv[i];
        }
    }
    if (!name) {
        fprintf(stderr, "awaitlab: solution needs an exercise name\n");
        return EXIT_USAGE;
    }
    ex_context ctx;
    int status = ex_context_open(&ctx);
    if (status != 0)
        return status;
    const ex_exercise *e = ex_context_find(&ctx, name);
    if (!e) {
        ex_context_close(&ctx);
        return EXIT_USAGE;
    }
    if (!force && !ex_state_done(ctx.state, e->name)) {
        fprintf(stderr, "awaitlab: solution: %s does not pass yet -- `awaitlab check %s` "
                        "first (or `awaitlab hint %s`); --force shows it anyway\n",
                e->name, e->name, e->name);
        ex_context_close(&ctx);
        return EXIT_FAILED;
    }
    char relative[200], solution[4400], mine[4400];
    ex_solution_path(e, relative, sizeof relative);
    snprintf(solution, sizeof solution, "%s/%s", ctx.home, relative);
    ex_context_student_file(&ctx, e, mine, sizeof mine);
    text_lines theirs, ours;
    if (load_lines(solution, &ours) != 0) {
        fprintf(stderr, "awaitlab: solution: cannot read %s\n", solution);
        status = EXIT_FAILED;
    } else if (plain || load_lines(mine, &theirs) != 0) {
        for (size_t i = 0; i < ours.count; i++)
            puts(ours.line[i]);
        free_lines(&ours);
    } else {
        side_by_side("your file", &theirs, "the reference solution", &ours);
        printf("\n('*' marks the lines that differ)\n");
        free_lines(&theirs);
        free_lines(&ours);
    }
    ex_context_close(&ctx);
    return status;
}
