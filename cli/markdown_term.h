/*
 * markdown_term.h -- a lesson's Markdown, made readable in a terminal.
 *
 * Lessons are written to be read as plain text too, so a light touch is
 * enough: headings stand out (bold, or underlined with = and - when
 * plain), code blocks are indented and set apart, and the marks of
 * emphasis, inline code and links give way to what they mark.  The HTML
 * book renders the same files properly; this is for `awaitlab show`.
 */
#ifndef AWAITLAB_MARKDOWN_TERM_H
#define AWAITLAB_MARKDOWN_TERM_H

#include <stdbool.h>
#include <stdio.h>

/*
 * Copies the Markdown read from `in` to `out`, rendered; with `ansi`, with
 * terminal styles (bold headings, coloured code), else as plain text.
 */
void markdown_to_terminal(FILE *in, FILE *out, bool ansi);

#endif /* AWAITLAB_MARKDOWN_TERM_H */
