/*
 * data_dirs.h -- where the `awaitlab` command finds what it ships with.
 *
 * Two layouts, told apart by looking, never by a build flag, so the same
 * binary works in both:
 *
 *   the build tree            installed under PREFIX
 *   build/awaitlab            PREFIX/bin/awaitlab
 *   build/chapters/NN_x       PREFIX/lib/awaitlab/chapters/NN_x
 *   build/exercise/           PREFIX/lib/awaitlab/exercise/
 *   build/lessons/            PREFIX/share/awaitlab/lessons/
 *   the source tree (home)    PREFIX/share/awaitlab/ (runtime/, exercises/,
 *                             solutions/, tests/exercises/, chapters/)
 */
#ifndef AWAITLAB_DATA_DIRS_H
#define AWAITLAB_DATA_DIRS_H

#include <stdbool.h>

/* The directory of the running program (of /proc/self/exe). */
const char *data_program_dir(void);

/* True when the program runs from PREFIX/bin with PREFIX/share/awaitlab. */
bool data_installed(void);

/* Compiled things: chapter programs (chapters/), exercise libraries
 * (exercise/).  build/ in the build tree, PREFIX/lib/awaitlab installed. */
const char *data_lib_dir(void);

/* Shipped text: lessons/ and the home of exercises, checks and sources.
 * PREFIX/share/awaitlab installed; in the build tree, the program's own
 * directory (lessons/ is copied there by make). */
const char *data_share_dir(void);

#endif /* AWAITLAB_DATA_DIRS_H */
