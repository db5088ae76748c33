/*
 * catalog.h -- the chapters the `awaitlab` command can run.
 *
 * Chapter programs live next to the command, in <dir of awaitlab>/chapters/
 * (or $AWAITLAB_CHAPTER_DIR), lessons in <dir>/lessons/.  Each program
 * describes itself (`--describe` prints one JSON object), so the command
 * never keeps a second copy of a chapter's title or flags.
 */
#ifndef AWAITLAB_CATALOG_H
#define AWAITLAB_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

typedef struct chapter_info {
    char number[8];     /* "01"                         */
    char slug[64];      /* "sequential_vs_gather"       */
    char title[128];
    char summary[256];
    char path[4400];    /* the program                  */
} chapter_info;

/* Finds all chapter programs, sorted by number; returns how many (or -1). */
int catalog_load(chapter_info **chapters);

/*
 * Finds the chapter named by `key` ("1", "01", "sequential_vs_gather" or
 * "01_sequential_vs_gather").  When none matches, prints one line on stderr
 * naming the problem and the closest valid choice, and returns NULL.
 */
const chapter_info *catalog_find(const chapter_info *chapters, int count, const char *key);

/* Directory of the chapter programs' chapters/: build/ or PREFIX/lib/awaitlab. */
const char *catalog_home(void);

/* Path of a chapter's lesson, into buf. */
void catalog_lesson_path(const chapter_info *chapter, char *buf, size_t size);

/*
 * Path of a chapter's source with extension `ext` ("c", "py", "md"), into
 * buf: in $AWAITLAB_SOURCE_DIR, else in the chapters/ directory of the
 * repository the command was built from, else in one beside the build
 * directory.  Returns whether the file is there.
 */
bool catalog_source_path(const chapter_info *chapter, const char *ext, char *buf,
                         size_t size);

#endif /* AWAITLAB_CATALOG_H */
