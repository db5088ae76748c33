/*
 * catalog.c -- finding chapter programs and asking them who they are.
 */
#include "catalog.h"
#include "data_dirs.h"
#include "suggest.h"

/* Where the chapters' sources were when the command was built (Makefile). */
#ifndef AW_SOURCE_DIR
#define AW_SOURCE_DIR "chapters"
#endif

#include <ctype.h>
#include <dirent.h>
#include <jansson.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *catalog_home(void)
{
    return data_lib_dir();
}

static void chapter_dir(char *buf, size_t size)
{
    const char *dir = getenv("AWAITLAB_CHAPTER_DIR");
    if (dir && *dir)
        snprintf(buf, size, "%s", dir);
    else
        snprintf(buf, size, "%s/chapters", catalog_home());
}

/* A chapter program is named NN_slug: two digits, an underscore, a name. */
static bool is_chapter_name(const char *name)
{
    return isdigit((unsigned char)name[0]) && isdigit((unsigned char)name[1]) &&
           name[2] == '_' && name[3] != '\0' && !strchr(name, '.');
}

/* Runs `program --describe` and fills in the title and summary. */
static int describe(chapter_info *c)
{
    char command[4500];
    snprintf(command, sizeof command, "'%s' --describe 2>/dev/null", c->path);
    FILE *p = popen(command, "r");
    if (!p)
        return -1;
    json_error_t error;
    json_t *d = json_loadf(p, JSON_DISABLE_EOF_CHECK, &error);
    pclose(p);
    const char *title = NULL, *summary = NULL;
    if (!d || json_unpack(d, "{s:s, s:s}", "title", &title, "summary", &summary) != 0) {
        json_decref(d);
        return -1;
    }
    snprintf(c->title, sizeof c->title, "%s", title);
    snprintf(c->summary, sizeof c->summary, "%s", summary);
    json_decref(d);
    return 0;
}

static int by_number(const void *a, const void *b)
{
    return strcmp(((const chapter_info *)a)->number, ((const chapter_info *)b)->number);
}

int catalog_load(chapter_info **chapters)
{
    char dir[PATH_MAX];
    chapter_dir(dir, sizeof dir);
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "awaitlab: no chapters found in %s (run `make` first?)\n", dir);
        return -1;
    }
    int count = 0, capacity = 0;
    chapter_info *list = NULL;
    struct dirent *entry;
    while ((entry = readdir(d)) != NULL) {
        if (!is_chapter_name(entry->d_name))
            continue;
        if (count == capacity) {
            capacity = capacity ? capacity * 2 : 16;
            chapter_info *grown = realloc(list, (size_t)capacity * sizeof *grown);
            if (!grown)
                break;
            list = grown;
        }
        chapter_info *c = &list[count];
        memset(c, 0, sizeof *c);
        snprintf(c->number, sizeof c->number, "%.2s", entry->d_name);
        snprintf(c->slug, sizeof c->slug, "%s", entry->d_name + 3);
        snprintf(c->path, sizeof c->path, "%s/%s", dir, entry->d_name);
        if (access(c->path, X_OK) == 0 && describe(c) == 0)
            count++;
    }
    closedir(d);
    qsort(list, (size_t)count, sizeof *list, by_number);
    *chapters = list;
    return count;
}

static bool matches(const chapter_info *c, const char *key)
{
    char full[80];
    snprintf(full, sizeof full, "%s_%s", c->number, c->slug);
    if (strcmp(key, c->number) == 0 || strcmp(key, c->slug) == 0 || strcmp(key, full) == 0)
        return true;
    char *end;
    long n = strtol(key, &end, 10);
    return *key && *end == '\0' && n == strtol(c->number, NULL, 10);
}

/* The nearest chapter number to a numeric key, or the closest slug. */
static const char *closest(const chapter_info *chapters, int count, const char *key)
{
    char *end;
    long n = strtol(key, &end, 10);
    if (*key && *end == '\0' && count > 0) {
        int best = 0;
        for (int i = 1; i < count; i++)
            if (labs(strtol(chapters[i].number, NULL, 10) - n) <
                labs(strtol(chapters[best].number, NULL, 10) - n))
                best = i;
        return chapters[best].number;
    }
    const char *slugs[count + 1];
    for (int i = 0; i < count; i++)
        slugs[i] = chapters[i].slug;
    slugs[count] = NULL;
    const char *guess = suggest_closest(key, slugs);
    if (guess)
        return guess;
    /* "sequentail" is far from "sequential_vs_gather" but close to a word of it. */
    for (int i = 0; i < count; i++) {
        char words[64];
        snprintf(words, sizeof words, "%s", chapters[i].slug);
        for (char *w = strtok(words, "_"); w; w = strtok(NULL, "_"))
            if (strlen(w) > 3 && suggest_distance(key, w) <= 2)
                return chapters[i].number;
    }
    return NULL;
}

const chapter_info *catalog_find(const chapter_info *chapters, int count, const char *key)
{
    for (int i = 0; i < count; i++)
        if (matches(&chapters[i], key))
            return &chapters[i];
    const char *guess = closest(chapters, count, key);
    if (guess)
        fprintf(stderr, "awaitlab: no chapter '%s' (did you mean %s? `awaitlab list` shows all)\n",
                key, guess);
    else
        fprintf(stderr, "awaitlab: no chapter '%s' (`awaitlab list` shows all)\n", key);
    return NULL;
}

void catalog_lesson_path(const chapter_info *chapter, char *buf, size_t size)
{
    snprintf(buf, size, "%s/lessons/%s_%s.md", data_share_dir(), chapter->number, chapter->slug);
}

bool catalog_source_path(const chapter_info *chapter, const char *ext, char *buf,
                         size_t size)
{
    const char *dir = getenv("AWAITLAB_SOURCE_DIR");
    if (dir == NULL || *dir == '\0')
        dir = AW_SOURCE_DIR;
    snprintf(buf, size, "%s/%s_%s.%s", dir, chapter->number, chapter->slug, ext);
    if (access(buf, R_OK) != 0) /* the sources moved: look beside the build */
        snprintf(buf, size, "%s/../chapters/%s_%s.%s", catalog_home(), chapter->number,
                 chapter->slug, ext);
    char *resolved = realpath(buf, NULL); /* without the "build/.." */
    if (resolved != NULL && strlen(resolved) < size)
        strcpy(buf, resolved);
    free(resolved);
    return access(buf, R_OK) == 0;
}
