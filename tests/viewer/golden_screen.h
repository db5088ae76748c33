/*
 * golden_screen.h -- comparing a rendered screen with a golden file.
 *
 * A golden screen is what the live viewer showed once, checked by a person
 * and kept: the characters of the grid, then a line "--- styles", then one
 * letter per cell for its style (tv_style_letter).  The test renders the
 * same model and view again and compares; AWAITLAB_UPDATE_GOLDEN=1 writes
 * the files anew instead (read the diff before keeping them).
 *
 * The tests run from the repository root, so the files are found at
 * tests/viewer/golden/NAME.txt.
 */
#ifndef GOLDEN_SCREEN_H
#define GOLDEN_SCREEN_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grid.h"

/* The grid as a golden file's text; the caller frees it. */
static inline char *screen_text(const tv_grid *grid)
{
    char *chars = tv_grid_to_text(grid), *styles = tv_grid_styles_to_text(grid);
    char *text = NULL;
    if (chars && styles && asprintf(&text, "%s--- styles\n%s", chars, styles) < 0)
        text = NULL;
    free(chars);
    free(styles);
    return text;
}

static inline char *read_whole_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    char chunk[4096];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        fwrite(chunk, 1, got, out);
    fclose(f);
    fclose(out);
    return text;
}

/*
 * Compares the grid with the golden screen NAME; prints both and returns
 * false when they differ (or the golden file is missing).
 */
static inline bool matches_golden(const tv_grid *grid, const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "tests/viewer/golden/%s.txt", name);
    char *now = screen_text(grid);
    if (now == NULL)
        return false;
    const char *update = getenv("AWAITLAB_UPDATE_GOLDEN");
    if (update && strcmp(update, "1") == 0) {
        FILE *f = fopen(path, "wb");
        if (f) {
            fputs(now, f);
            fclose(f);
        }
        free(now);
        return f != NULL;
    }
    char *golden = read_whole_file(path);
    bool same = golden && strcmp(golden, now) == 0;
    if (!same) {
        fprintf(stderr, "screen %s differs from %s%s\n--- now:\n%s--- golden:\n%s", name, path,
                golden ? "" : " (missing)", now, golden ? golden : "");
        fprintf(stderr, "If the new screen is right: AWAITLAB_UPDATE_GOLDEN=1 %s\n",
                "build/tests/viewer/test_screen build");
    }
    free(golden);
    free(now);
    return same;
}

#endif /* GOLDEN_SCREEN_H */
