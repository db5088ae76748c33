/*
 * book.c -- `awaitlab book OUT_DIR`: the workbook as a static web site.
 *
 * One page a chapter: its lesson (Markdown, rendered by cmark), the timeline
 * of a real run on the virtual clock (the SVG that `awaitlab run NN --svg`
 * draws, placed in the page), the C program and its Python twin side by
 * side, and the chapter's exercises.  An index page lists the chapters.
 * Everything comes from the chapters themselves, so the book cannot say
 * something the code does not do.
 */
#include "book_html.h"
#include "catalog.h"
#include "catalogue.h"
#include "commands.h"
#include "checker.h"
#include "text_file.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

typedef struct book {
    const char *out;                /* the site's directory          */
    const char *home;               /* chapter sources, exercises     */
    chapter_info *chapters;
    int count;
    ex_catalogue exercises;
} book;

static void usage(FILE *out)
{
    fprintf(out, "usage: awaitlab book OUT_DIR\n\n"
                 "Writes the workbook as a static web site to OUT_DIR (made if need be):\n"
                 "index.html, and one page a chapter with its lesson, the timeline of a\n"
                 "run on the virtual clock, the C program beside its Python twin, and\n"
                 "the chapter's exercises.  It opens offline, from file://.\n");
}

static int make_dir(const char *path)
{
    if (mkdir(path, 0755) == 0 || errno == EEXIST)
        return 0;
    fprintf(stderr, "awaitlab: cannot make %s: %s\n", path, strerror(errno));
    return -1;
}

/* A file of the home (a chapter's source, an exercise), copied into the site. */
static int copy_into_site(const book *b, const char *from, const char *to)
{
    char *text = text_file_read(from);
    FILE *f = text ? fopen(to, "w") : NULL;
    if (f) {
        fputs(text, f);
        if (fclose(f) != 0)
            f = NULL;
    }
    free(text);
    if (!f)
        fprintf(stderr, "awaitlab: cannot copy %s into %s\n", from, b->out);
    return f ? 0 : -1;
}

/* Runs `awaitlab run NN --clock virtual --svg FILE` -- this very program. */
static int draw_timeline(const chapter_info *c, const char *svg_path)
{
    char *argv[] = {"awaitlab", "run", (char *)c->number, "--clock", "virtual",
                    "--svg", (char *)svg_path, NULL};
    posix_spawn_file_actions_t quiet;
    posix_spawn_file_actions_init(&quiet);
    posix_spawn_file_actions_addopen(&quiet, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    pid_t pid;
    int status = -1;
    if (posix_spawn(&pid, "/proc/self/exe", &quiet, NULL, argv, environ) == 0)
        waitpid(pid, &status, 0);
    posix_spawn_file_actions_destroy(&quiet);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    fprintf(stderr, "awaitlab: chapter %s did not run on the virtual clock\n", c->number);
    return -1;
}

static void write_nav(FILE *out, const book *b, int i)
{
    fputs("<nav><a href=\"index.html\">All chapters</a>", out);
    if (i > 0)
        fprintf(out, " <a rel=\"prev\" href=\"%s_%s.html\">&larr; %s</a>", b->chapters[i - 1].number,
                b->chapters[i - 1].slug, b->chapters[i - 1].number);
    if (i + 1 < b->count)
        fprintf(out, " <a rel=\"next\" href=\"%s_%s.html\">%s &rarr;</a>", b->chapters[i + 1].number,
                b->chapters[i + 1].slug, b->chapters[i + 1].number);
    fputs("</nav>\n", out);
}

static int write_lesson(FILE *out, const chapter_info *c)
{
    char path[PATH_MAX];
    catalog_lesson_path(c, path, sizeof path);
    char *markdown = text_file_read(path);
    int status = markdown ? html_markdown(out, markdown) : -1;
    if (status != 0)
        fprintf(stderr, "awaitlab: cannot read the lesson %s\n", path);
    free(markdown);
    return status;
}

static int write_timeline(FILE *out, const book *b, const chapter_info *c)
{
    char svg_path[PATH_MAX];
    snprintf(svg_path, sizeof svg_path, "%s/timelines/%s_%s.svg", b->out, c->number, c->slug);
    char *svg = NULL;
    if (draw_timeline(c, svg_path) != 0 || !(svg = text_file_read(svg_path)))
        return -1;
    fprintf(out, "<section id=\"timeline\">\n<h2>The timeline of a run</h2>\n"
                 "<p>Every task of <code>awaitlab run %s --clock virtual</code>, with the "
                 "chapter's default flags, against virtual time "
                 "(<a href=\"timelines/%s_%s.svg\">the picture alone</a>).</p>\n"
                 "<figure class=\"timeline\">\n",
            c->number, c->number, c->slug);
    html_inline_svg(out, svg);
    fputs("</figure>\n</section>\n", out);
    free(svg);
    return 0;
}

/* One source file in a <pre>, with a link to its copy in the site. */
static int write_source(FILE *out, const book *b, const chapter_info *c, const char *ext,
                        const char *language)
{
    char from[PATH_MAX + 128], to[PATH_MAX + 128], name[128];
    snprintf(name, sizeof name, "%s_%s.%s", c->number, c->slug, ext);
    snprintf(from, sizeof from, "%s/chapters/%s", b->home, name);
    snprintf(to, sizeof to, "%s/sources/%s", b->out, name);
    char *text = text_file_read(from);
    if (!text || copy_into_site(b, from, to) != 0) {
        fprintf(stderr, "awaitlab: cannot read %s\n", from);
        free(text);
        return -1;
    }
    fprintf(out, "<div class=\"source\">\n<h3>%s <a href=\"sources/%s\">%s</a></h3>\n"
                 "<pre><code class=\"language-%s\">",
            language, name, name, ext);
    html_escaped(out, text);
    fputs("</code></pre>\n</div>\n", out);
    free(text);
    return 0;
}

static int write_code(FILE *out, const book *b, const chapter_info *c)
{
    fputs("<section id=\"code\">\n<h2>The program, in C and in Python</h2>\n"
          "<div class=\"side-by-side\">\n", out);
    int status = write_source(out, b, c, "c", "C") | write_source(out, b, c, "py", "Python asyncio");
    fputs("</div>\n</section>\n", out);
    return status;
}

static int write_exercise(FILE *out, const book *b, const ex_exercise *e)
{
    char relative[200], from[PATH_MAX + 256], to[PATH_MAX + 256], dir[PATH_MAX + 128];
    ex_student_path(e, relative, sizeof relative);
    snprintf(from, sizeof from, "%s/%s", b->home, relative);
    snprintf(dir, sizeof dir, "%s/exercises/%s", b->out, e->dir);
    snprintf(to, sizeof to, "%s/%s", b->out, relative);
    if (make_dir(dir) != 0 || copy_into_site(b, from, to) != 0)
        return -1;
    fprintf(out, "<li id=\"exercise-%s\"><strong>", e->name);
    html_escaped(out, e->title);
    fprintf(out, "</strong> <span class=\"kind\">%s</span>: %s in <a href=\"%s\">%s</a>, "
                 "then <code>awaitlab check %s</code></li>\n",
            ex_kind_name(e->kind), ex_kind_verb(e->kind), relative, relative, e->name);
    return 0;
}

static int write_exercises(FILE *out, const book *b, const chapter_info *c)
{
    fputs("<section id=\"exercises\">\n<h2>Exercises</h2>\n<p>Make a workspace with "
          "<code>awaitlab init DIR</code>; in it, <code>awaitlab watch</code> takes you "
          "through them in order.</p>\n<ul>\n", out);
    int status = 0;
    for (size_t i = 0; i < b->exercises.count; i++)
        if (strcmp(b->exercises.items[i].chapter, c->number) == 0)
            status |= write_exercise(out, b, &b->exercises.items[i]);
    fputs("</ul>\n</section>\n", out);
    return status;
}

static int write_chapter(const book *b, int i)
{
    const chapter_info *c = &b->chapters[i];
    char path[PATH_MAX + 128], title[256];
    snprintf(path, sizeof path, "%s/%s_%s.html", b->out, c->number, c->slug);
    snprintf(title, sizeof title, "%s. %s -- awaitlab", c->number, c->title);
    FILE *out = fopen(path, "w");
    if (!out) {
        fprintf(stderr, "awaitlab: cannot write %s: %s\n", path, strerror(errno));
        return -1;
    }
    html_page_begin(out, title);
    write_nav(out, b, i);
    fputs("<p class=\"contents\"><a href=\"#timeline\">Timeline</a> "
          "<a href=\"#code\">C and Python</a> <a href=\"#exercises\">Exercises</a></p>\n"
          "<main>\n<article class=\"lesson\">\n", out);
    int status = write_lesson(out, c);
    fputs("</article>\n", out);
    status |= write_timeline(out, b, c);
    status |= write_code(out, b, c);
    status |= write_exercises(out, b, c);
    fputs("</main>\n", out);
    write_nav(out, b, i);
    html_page_end(out);
    return fclose(out) == 0 ? status : -1;
}

static size_t exercises_of(const book *b, const chapter_info *c)
{
    size_t n = 0;
    for (size_t i = 0; i < b->exercises.count; i++)
        n += strcmp(b->exercises.items[i].chapter, c->number) == 0;
    return n;
}

static int write_index(const book *b)
{
    char path[PATH_MAX + 16];
    snprintf(path, sizeof path, "%s/index.html", b->out);
    FILE *out = fopen(path, "w");
    if (!out) {
        fprintf(stderr, "awaitlab: cannot write %s: %s\n", path, strerror(errno));
        return -1;
    }
    html_page_begin(out, "awaitlab -- asyncio's patterns, in C");
    fputs("<main>\n<h1>awaitlab</h1>\n<p>asyncio's patterns as numbered chapters in C: each "
          "a lesson, a program on an asyncio-style runtime with a virtual clock, the same "
          "program in Python, and exercises.</p>\n<ol class=\"chapters\">\n", out);
    for (int i = 0; i < b->count; i++) {
        const chapter_info *c = &b->chapters[i];
        fprintf(out, "<li value=\"%d\"><a href=\"%s_%s.html\">", atoi(c->number), c->number,
                c->slug);
        html_escaped(out, c->title);
        fputs("</a><br><span class=\"summary\">", out);
        html_escaped(out, c->summary);
        fprintf(out, "</span> <span class=\"kind\">%zu exercises</span></li>\n",
                exercises_of(b, c));
    }
    fputs("</ol>\n</main>\n", out);
    html_page_end(out);
    return fclose(out);
}

static int write_site(book *b)
{
    char dir[PATH_MAX + 32], from[PATH_MAX + 32], to[PATH_MAX + 32];
    const char *parts[] = {"", "/timelines", "/sources", "/exercises"};
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
        snprintf(dir, sizeof dir, "%s%s", b->out, parts[i]);
        if (make_dir(dir) != 0)
            return -1;
    }
    snprintf(from, sizeof from, "%s/book/style.css", b->home);
    snprintf(to, sizeof to, "%s/style.css", b->out);
    int status = copy_into_site(b, from, to);
    for (int i = 0; i < b->count; i++) {
        fprintf(stderr, "  page    %s_%s.html\n", b->chapters[i].number, b->chapters[i].slug);
        status |= write_chapter(b, i);
    }
    return status | write_index(b);
}

int cmd_book(int argc, char **argv)
{
    if (argc >= 1 && (!strcmp(argv[0], "--help") || !strcmp(argv[0], "-h"))) {
        usage(stdout);
        return 0;
    }
    if (argc != 1 || argv[0][0] == '-') {
        usage(stderr);
        return EXIT_USAGE;
    }
    book b = {.out = argv[0], .home = ex_home()};
    char error[4600];
    if (!b.home || ex_catalogue_load(b.home, &b.exercises, error, sizeof error) != 0) {
        fprintf(stderr, "awaitlab: %s\n", b.home ? error : "cannot find the chapters' sources");
        return EXIT_FAILED;
    }
    b.count = catalog_load(&b.chapters);
    int status = b.count > 0 ? write_site(&b) : -1;
    if (status == 0)
        printf("wrote %d chapter pages: %s/index.html\n", b.count, b.out);
    free(b.chapters);
    ex_catalogue_free(&b.exercises);
    return status == 0 ? 0 : EXIT_FAILED;
}
