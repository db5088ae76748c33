/*
 * class_dir.h -- the students of a class directory.
 *
 * CLASS_DIR holds one entry per student: a workspace directory (as made by
 * `awaitlab init`), or an archive of one (.tar.gz, .tgz or .zip), which is
 * unpacked under the grader's own work directory -- confined, since an
 * archive is as untrusted as the code in it.  The workspace may sit one or
 * two directories down (an archive of "ada/" holding "my-awaitlab/").  The
 * student's id is the entry's name without its archive extension, with any
 * character that is not a letter, digit, '.', '-' or '_' made '_', so that
 * it can name report files.
 */
#ifndef AWAITLAB_CLASS_DIR_H
#define AWAITLAB_CLASS_DIR_H

#include <limits.h>
#include <stddef.h>

typedef struct ex_student {
    char id[128];
    char workspace[PATH_MAX];   /* "" when none was found                     */
    char problem[300];          /* why not, when workspace is ""              */
} ex_student;

/*
 * Lists the students of `class_dir`, sorted by id, unpacking archives into
 * `unpack_dir`.  Returns the count (and *students, to free), or -1 with a
 * message in `error`.
 */
int ex_class_load(const char *class_dir, const char *unpack_dir, ex_student **students,
                  char *error, size_t size);

#endif /* AWAITLAB_CLASS_DIR_H */
