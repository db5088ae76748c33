/*
 * book_html.h -- the pieces `awaitlab book` writes its web pages with.
 *
 * Every page is one self-contained HTML file beside one style.css: no
 * script, no font or picture from elsewhere, so the book opens offline from
 * file:// and prints well.
 */
#ifndef AWAITLAB_BOOK_HTML_H
#define AWAITLAB_BOOK_HTML_H

#include <stdio.h>

/* Text with &, <, > and " escaped, for element content and attributes. */
void html_escaped(FILE *out, const char *text);

/* The page's head (title, viewport, style.css) and the start of its body. */
void html_page_begin(FILE *out, const char *title);
void html_page_end(FILE *out);

/* Markdown rendered to HTML by cmark (CommonMark); raw HTML in it is left
 * out.  Returns -1 if cmark could not render it. */
int html_markdown(FILE *out, const char *markdown);

/* An SVG file's text, placed in the page: the XML prolog, which HTML does
 * not take, is dropped. */
void html_inline_svg(FILE *out, const char *svg);

#endif /* AWAITLAB_BOOK_HTML_H */
