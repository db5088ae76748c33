/*
 * catalogue.h -- the exercises of the workbook, as their catalogue lists them.
 *
 * Each chapter's exercises are listed in tests/exercises/NN_slug/
 * exercises.json, in the order a student should do them: name, kind, title
 * and hints.  The catalogue is read from the awaitlab home (the source tree
 * or the installed data), never from a student's workspace, so a workspace
 * can hold nothing but the student's own files.
 */
#ifndef AWAITLAB_CATALOGUE_H
#define AWAITLAB_CATALOGUE_H

#include <stdbool.h>
#include <stddef.h>

typedef enum ex_kind {
    EX_COMPLETE,   /* fill in the TODOs                                   */
    EX_FIX,        /* a program that runs but is wrong: fix the bug       */
    EX_PREDICT     /* write down what a given program prints, and when    */
} ex_kind;

enum { EX_MAX_HINTS = 4, EX_NAME_MAX = 32 };

typedef struct ex_exercise {
    char name[EX_NAME_MAX + 1]; /* "gather_fetches"                       */
    char chapter[3];            /* "01"                                   */
    char dir[64];               /* "01_sequential_vs_gather"              */
    ex_kind kind;
    char title[120];
    char *hints[EX_MAX_HINTS];
    size_t n_hints;
} ex_exercise;

typedef struct ex_catalogue {
    char home[4096];            /* where exercises/, solutions/, tests/ are */
    ex_exercise *items;
    size_t count;
} ex_catalogue;

/*
 * Reads every tests/exercises/NN_slug/exercises.json under `home`, sorted
 * by chapter.  Returns 0, or -1 with a message in `error` naming the file
 * and what is wrong with it.
 */
int ex_catalogue_load(const char *home, ex_catalogue *catalogue, char *error, size_t size);
void ex_catalogue_free(ex_catalogue *catalogue);

/* The exercise called `name` (or "NN_slug/name"), or NULL. */
const ex_exercise *ex_catalogue_find(const ex_catalogue *catalogue, const char *name);

/* The closest name to a mistyped one, or NULL. */
const char *ex_catalogue_suggest(const ex_catalogue *catalogue, const char *name);

const char *ex_kind_name(ex_kind kind);   /* "complete", "fix", "predict" */
const char *ex_kind_verb(ex_kind kind);   /* "complete the code", ...     */

/*
 * The file the student edits, relative to a workspace or to the home:
 * exercises/DIR/NAME.c, or exercises/DIR/NAME.txt for a prediction.
 */
void ex_student_path(const ex_exercise *exercise, char *buf, size_t size);

/* The same under solutions/. */
void ex_solution_path(const ex_exercise *exercise, char *buf, size_t size);

/* A prediction's program, exercises/DIR/NAME.c, and a check's source,
 * tests/exercises/DIR/NAME.check.c (both relative to the home). */
void ex_program_path(const ex_exercise *exercise, char *buf, size_t size);
void ex_check_source_path(const ex_exercise *exercise, char *buf, size_t size);

#endif /* AWAITLAB_CATALOGUE_H */
