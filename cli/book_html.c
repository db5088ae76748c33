/*
 * book_html.c -- escaping, the frame of a page, Markdown and SVG in HTML.
 */
#include "book_html.h"

#include <cmark.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

void html_escaped(FILE *out, const char *text)
{
    for (const char *c = text; *c; c++) {
        switch (*c) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        default: fputc(*c, out);
        }
    }
}

void html_page_begin(FILE *out, const char *title)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<title>", out);
    html_escaped(out, title);
    fputs("</title>\n<link rel=\"stylesheet\" href=\"style.css\">\n</head>\n<body>\n", out);
}

void html_page_end(FILE *out)
{
    fputs("<footer>Made by <code>awaitlab book</code>: the chapters' own lessons, sources "
          "and runs on the virtual clock.</footer>\n</body>\n</html>\n", out);
}

int html_markdown(FILE *out, const char *markdown)
{
    /* CMARK_OPT_DEFAULT is cmark's safe mode: raw HTML and javascript:
     * links are left out, so a lesson can only ever be text. */
    char *html = cmark_markdown_to_html(markdown, strlen(markdown), CMARK_OPT_DEFAULT);
    if (!html)
        return -1;
    fputs(html, out);
    free(html);
    return 0;
}

void html_inline_svg(FILE *out, const char *svg)
{
    const char *start = strstr(svg, "<svg");
    fputs(start ? start : "", out);
}
