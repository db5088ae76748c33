/*
 * markdown_term.c -- headings, code blocks and inline marks of a lesson,
 * for a terminal or a pipe.
 */
#include "markdown_term.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define BOLD "\033[1m"
#define UNDERLINE "\033[4m"
#define CODE "\033[36m" /* cyan: code stands apart from prose */
#define RESET "\033[0m"
#define CODE_INDENT "    "

/* A `*` opens emphasis when a non-space follows it. */
static bool opens(const char *at, size_t width)
{
    return at[width] != '\0' && !isspace((unsigned char)at[width]);
}

/* Where the emphasis opened at `at` closes, or NULL if it does not. */
static const char *closing(const char *at, const char *mark)
{
    size_t width = strlen(mark);
    const char *end = strstr(at + width, mark);
    return end && end > at + width && !isspace((unsigned char)end[-1]) ? end : NULL;
}

/*
 * One line of prose: `code` in colour (or as it is, plain), **strong** and
 * *emphasis* without their stars, [text](url) as "text (url)".
 */
static void inline_marks(const char *line, FILE *out, bool ansi)
{
    for (const char *at = line; *at;) {
        const char *end;
        if (*at == '`' && (end = strchr(at + 1, '`')) != NULL) {
            fprintf(out, ansi ? CODE "%.*s" RESET : "`%.*s`", (int)(end - at - 1), at + 1);
            at = end + 1;
        } else if (strncmp(at, "**", 2) == 0 && opens(at, 2) && (end = closing(at, "**"))) {
            fprintf(out, ansi ? BOLD "%.*s" RESET : "%.*s", (int)(end - at - 2), at + 2);
            at = end + 2;
        } else if (*at == '*' && opens(at, 1) && (at == line || isspace((unsigned char)at[-1])) &&
                   (end = closing(at, "*"))) {
            fprintf(out, ansi ? UNDERLINE "%.*s" RESET : "%.*s", (int)(end - at - 1), at + 1);
            at = end + 1;
        } else if (*at == '[' && (end = strstr(at, "](")) != NULL && strchr(end, ')') &&
                   memchr(at, '\n', (size_t)(end - at)) == NULL) {
            const char *close = strchr(end, ')');
            fprintf(out, "%.*s (%.*s)", (int)(end - at - 1), at + 1, (int)(close - end - 2),
                    end + 2);
            at = close + 1;
        } else {
            fputc(*at++, out);
        }
    }
}

/* "## The answer": bold, or underlined with = for the title and - below it. */
static void heading(const char *line, FILE *out, bool ansi)
{
    int level = 0;
    while (line[level] == '#')
        level++;
    const char *text = line + level + strspn(line + level, " ");
    if (ansi) {
        fprintf(out, "%s%s%s\n", level == 1 ? BOLD UNDERLINE : BOLD, text, RESET);
        return;
    }
    fprintf(out, "%s\n", text);
    size_t width = 0; /* in characters: UTF-8 continuation bytes do not count */
    for (const char *c = text; *c; c++)
        width += ((unsigned char)*c & 0xC0) != 0x80;
    for (size_t i = 0; i < width; i++)
        fputc(level == 1 ? '=' : '-', out);
    fputc('\n', out);
}

void markdown_to_terminal(FILE *in, FILE *out, bool ansi)
{
    char *line = NULL;
    size_t capacity = 0;
    ssize_t length;
    bool in_code = false;
    while ((length = getline(&line, &capacity, in)) >= 0) {
        if (length > 0 && line[length - 1] == '\n')
            line[--length] = '\0';
        if (strncmp(line, "```", 3) == 0) {
            in_code = !in_code; /* the fence itself is not shown */
            continue;
        }
        if (in_code)
            fprintf(out, ansi ? CODE_INDENT CODE "%s" RESET "\n" : CODE_INDENT "%s\n", line);
        else if (line[0] == '#' && (line[strspn(line, "#")] == ' '))
            heading(line, out, ansi);
        else {
            inline_marks(line, out, ansi);
            fputc('\n', out);
        }
    }
    free(line);
}
