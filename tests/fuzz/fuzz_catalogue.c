/*
 * fuzz_catalogue.c -- an exercises.json catalogue file, as `awaitlab
 * exercises`, `check` and `grade` read it from the awaitlab home.
 */
#include "fuzz.h"

#include <stdio.h>

#include "catalogue.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *home = fuzz_scratch_dir();
    char path[256];
    snprintf(path, sizeof path, "%s/tests/exercises/01_fuzz/exercises.json", home);
    fuzz_make_parents(path);
    fuzz_write_file(path, data, size);

    ex_catalogue catalogue;
    char error[4600];
    if (ex_catalogue_load(home, &catalogue, error, sizeof error) != 0)
        return 0;
    /* Everything the commands then ask of each entry. */
    for (size_t i = 0; i < catalogue.count; i++) {
        const ex_exercise *e = &catalogue.items[i];
        char file[512];
        ex_student_path(e, file, sizeof file);
        ex_check_source_path(e, file, sizeof file);
        if (ex_catalogue_find(&catalogue, e->name) != e)
            __builtin_trap();   /* a name that does not find itself */
        ex_kind_name(e->kind);
    }
    ex_catalogue_suggest(&catalogue, "gather_fetchs");
    ex_catalogue_free(&catalogue);
    return 0;
}
