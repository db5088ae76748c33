/*
 * catalogue.c -- reading the exercises' catalogue files.
 */
#include "catalogue.h"
#include "suggest.h"

#include <ctype.h>
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *ex_kind_name(ex_kind kind)
{
    return kind == EX_COMPLETE ? "complete" : kind == EX_FIX ? "fix" : "predict";
}

const char *ex_kind_verb(ex_kind kind)
{
    return kind == EX_COMPLETE ? "complete the code"
           : kind == EX_FIX    ? "fix the bug"
                               : "predict the output";
}

static bool parse_kind(const char *text, ex_kind *kind)
{
    for (int k = EX_COMPLETE; k <= EX_PREDICT; k++)
        if (strcmp(text, ex_kind_name((ex_kind)k)) == 0) {
            *kind = (ex_kind)k;
            return true;
        }
    return false;
}

/* Names are what students type: short, lowercase, no surprises. */
static bool valid_name(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > EX_NAME_MAX)
        return false;
    for (const char *p = name; *p; p++)
        if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '_')
            return false;
    return true;
}

static bool is_chapter_dir(const char *name)
{
    return isdigit((unsigned char)name[0]) && isdigit((unsigned char)name[1]) &&
           name[2] == '_' && name[3] != '\0';
}

static int fail(char *error, size_t size, const char *file, const char *what)
{
    snprintf(error, size, "%s: %s", file, what);
    return -1;
}

static int add_exercise(ex_catalogue *c, const char *dir, json_t *item, const char *file,
                        char *error, size_t size)
{
    const char *name, *kind, *title;
    json_t *hints;
    json_error_t jerr;
    if (json_unpack_ex(item, &jerr, 0, "{s:s, s:s, s:s, s:o}", "name", &name, "kind", &kind,
                       "title", &title, "hints", &hints) != 0)
        return fail(error, size, file, jerr.text);
    ex_exercise e = {0};
    if (!valid_name(name))
        return fail(error, size, file, "an exercise name must be 1-32 of a-z, 0-9 and _");
    if (ex_catalogue_find(c, name))
        return fail(error, size, file, "an exercise name is used twice");
    if (!parse_kind(kind, &e.kind))
        return fail(error, size, file, "kind must be complete, fix or predict");
    if (!json_is_array(hints) || json_array_size(hints) > EX_MAX_HINTS)
        return fail(error, size, file, "hints must be a list of at most 4 strings");
    /* All checked before any is copied, so that failing leaves nothing to free. */
    for (size_t i = 0; i < json_array_size(hints); i++)
        if (!json_is_string(json_array_get(hints, i)))
            return fail(error, size, file, "every hint must be a string");
    snprintf(e.name, sizeof e.name, "%s", name);
    snprintf(e.dir, sizeof e.dir, "%s", dir);
    memcpy(e.chapter, dir, 2);
    snprintf(e.title, sizeof e.title, "%s", title);
    ex_exercise *grown = realloc(c->items, (c->count + 1) * sizeof *grown);
    if (!grown)
        return fail(error, size, file, "out of memory");
    c->items = grown;
    for (size_t i = 0; i < json_array_size(hints); i++)
        e.hints[e.n_hints++] = strdup(json_string_value(json_array_get(hints, i)));
    c->items[c->count++] = e;
    return 0;
}

static int load_chapter(ex_catalogue *c, const char *dir, char *error, size_t size)
{
    char file[4400];
    snprintf(file, sizeof file, "%s/tests/exercises/%s/exercises.json", c->home, dir);
    if (access(file, F_OK) != 0)
        return 0; /* a chapter without exercises yet; `dev check` names its files */
    json_error_t jerr;
    json_t *root = json_load_file(file, 0, &jerr);
    if (!root) {
        snprintf(error, size, "%s: line %d: %s", file, jerr.line, jerr.text);
        return -1;
    }
    json_t *list = json_object_get(root, "exercises");
    int status = json_is_array(list) ? 0 : fail(error, size, file, "needs a list \"exercises\"");
    for (size_t i = 0; status == 0 && i < json_array_size(list); i++)
        status = add_exercise(c, dir, json_array_get(list, i), file, error, size);
    json_decref(root);
    return status;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int ex_catalogue_load(const char *home, ex_catalogue *c, char *error, size_t size)
{
    memset(c, 0, sizeof *c);
    snprintf(c->home, sizeof c->home, "%s", home);
    char path[4200];
    snprintf(path, sizeof path, "%s/tests/exercises", home);
    DIR *d = opendir(path);
    if (!d)
        return fail(error, size, path, "cannot open the exercises' catalogue");
    char *dirs[100];
    size_t n = 0;
    struct dirent *entry;
    while ((entry = readdir(d)) && n < 100)
        if (is_chapter_dir(entry->d_name))
            dirs[n++] = strdup(entry->d_name);
    closedir(d);
    qsort(dirs, n, sizeof *dirs, by_name);
    int status = 0;
    for (size_t i = 0; i < n; i++) {
        if (status == 0)
            status = load_chapter(c, dirs[i], error, size);
        free(dirs[i]);
    }
    if (status == 0 && c->count == 0)
        status = fail(error, size, path, "lists no exercises");
    if (status != 0)
        ex_catalogue_free(c);
    return status;
}

void ex_catalogue_free(ex_catalogue *c)
{
    for (size_t i = 0; i < c->count; i++)
        for (size_t h = 0; h < c->items[i].n_hints; h++)
            free(c->items[i].hints[h]);
    free(c->items);
    c->items = NULL;
    c->count = 0;
}

const ex_exercise *ex_catalogue_find(const ex_catalogue *c, const char *name)
{
    const char *slash = strrchr(name, '/');
    const char *base = slash ? slash + 1 : name;
    size_t base_len = strlen(base);
    if (base_len > 2 && strcmp(base + base_len - 2, ".c") == 0)
        base_len -= 2; /* `awaitlab check exercises/01_x/name.c` works too */
    else if (base_len > 4 && strcmp(base + base_len - 4, ".txt") == 0)
        base_len -= 4;
    for (size_t i = 0; i < c->count; i++)
        if (strlen(c->items[i].name) == base_len &&
            strncmp(c->items[i].name, base, base_len) == 0)
            return &c->items[i];
    return NULL;
}

const char *ex_catalogue_suggest(const ex_catalogue *c, const char *name)
{
    const char **names = calloc(c->count + 1, sizeof *names);
    if (!names)
        return NULL;
    for (size_t i = 0; i < c->count; i++)
        names[i] = c->items[i].name;
    const char *guess = suggest_closest(name, names);
    if (!guess) /* a prefix is as good a hint as a typo: "gather" */
        for (size_t i = 0; i < c->count && !guess; i++)
            if (strstr(names[i], name))
                guess = names[i];
    free(names);
    return guess;
}

void ex_student_path(const ex_exercise *e, char *buf, size_t size)
{
    snprintf(buf, size, "exercises/%s/%s.%s", e->dir, e->name, e->kind == EX_PREDICT ? "txt" : "c");
}

void ex_solution_path(const ex_exercise *e, char *buf, size_t size)
{
    snprintf(buf, size, "solutions/%s/%s.%s", e->dir, e->name, e->kind == EX_PREDICT ? "txt" : "c");
}

void ex_program_path(const ex_exercise *e, char *buf, size_t size)
{
    snprintf(buf, size, "exercises/%s/%s.c", e->dir, e->name);
}

void ex_check_source_path(const ex_exercise *e, char *buf, size_t size)
{
    snprintf(buf, size, "tests/exercises/%s/%s.check.c", e->dir, e->name);
}
