/*
 * toolchain.c -- where the pieces an exercise is built from are, and how.
 *
 * The compiler, the sanitizer flags and the libraries are those the
 * Makefile built the sanitized runtime with (it passes them in as macros
 * when it compiles this file), so a student's file and the runtime it links
 * with always agree.
 */
#include "checker.h"
#include "toolchain.h"
#include "data_dirs.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef AW_EXERCISE_CC
#define AW_EXERCISE_CC "cc"
#endif
#ifndef AW_EXERCISE_SAN
#define AW_EXERCISE_SAN "-fsanitize=address,undefined -fno-sanitize-recover=all"
#endif
#ifndef AW_EXERCISE_LIBS
#define AW_EXERCISE_LIBS "-luv -ljansson -lm -lpthread"
#endif

const char *ex_toolchain_cc(void)
{
    const char *cc = getenv("AWAITLAB_CC");
    return cc && *cc ? cc : AW_EXERCISE_CC;
}

const char *ex_toolchain_sanitizers(void)
{
    return AW_EXERCISE_SAN;
}

const char *ex_toolchain_libs(void)
{
    return AW_EXERCISE_LIBS;
}

int ex_split_words(char *buffer, char **words, int room)
{
    int n = 0;
    char *rest = NULL;
    for (char *w = strtok_r(buffer, " ", &rest); w && n < room; w = strtok_r(NULL, " ", &rest))
        words[n++] = w;
    return n;
}

const char *ex_lib_dir(void)
{
    static char dir[PATH_MAX + 16];
    const char *env = getenv("AWAITLAB_EXERCISE_LIB");
    if (env && *env)
        return env;
    snprintf(dir, sizeof dir, "%s/exercise", data_lib_dir());
    return dir;
}

const char *ex_home(void)
{
    static char home[PATH_MAX];
    const char *env = getenv("AWAITLAB_HOME");
    if (env && *env)
        return env;
    if (home[0])
        return home;
    char probe[PATH_MAX + 64];
    snprintf(home, sizeof home, "%s", data_share_dir());
    for (int up = 0; up < 4; up++) {
        snprintf(probe, sizeof probe, "%s/tests/exercises/check.h", home);
        if (access(probe, R_OK) == 0) {
            char *real = realpath(home, NULL);
            if (real) {
                snprintf(home, sizeof home, "%s", real);
                free(real);
            }
            return home;
        }
        char *slash = strrchr(home, '/');
        if (!slash || slash == home)
            break;
        *slash = '\0';
    }
    home[0] = '\0';
    return NULL;
}
