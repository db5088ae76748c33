/*
 * data_dirs.c -- where the `awaitlab` command finds what it ships with.
 *
 * An installed program finds its data relative to itself, the way a
 * relocatable package does: PREFIX/bin/../share/awaitlab.  So a tree
 * installed with DESTDIR, or copied elsewhere, works as it is, and no path
 * of the build machine is compiled in.
 */
#include "data_dirs.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

const char *data_program_dir(void)
{
    static char dir[PATH_MAX];
    if (dir[0])
        return dir;
    ssize_t len = readlink("/proc/self/exe", dir, sizeof dir - 1);
    if (len <= 0)
        return strcpy(dir, ".");
    dir[len] = '\0';
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    return dir;
}

/* PREFIX, when the program is PREFIX/bin/awaitlab; "" otherwise. */
static const char *install_prefix(void)
{
    static char prefix[PATH_MAX];
    static bool looked;
    if (looked)
        return prefix;
    looked = true;
    const char *bin = data_program_dir();
    size_t len = strlen(bin);
    if (len < 4 || strcmp(bin + len - 4, "/bin") != 0 || len - 4 >= sizeof prefix)
        return prefix;
    char probe[PATH_MAX + 64];
    snprintf(probe, sizeof probe, "%.*s/share/awaitlab/tests/exercises/check.h", (int)(len - 4),
             bin);
    if (access(probe, R_OK) == 0)
        snprintf(prefix, sizeof prefix, "%.*s", (int)(len - 4), bin);
    return prefix;
}

bool data_installed(void)
{
    return install_prefix()[0] != '\0';
}

/* PREFIX/below, once, into dir; the program's own directory in the build tree. */
static const char *under_prefix(char *dir, size_t size, const char *below)
{
    if (!data_installed())
        return data_program_dir();
    if (!dir[0])
        snprintf(dir, size, "%s/%s", install_prefix(), below);
    return dir;
}

const char *data_lib_dir(void)
{
    static char dir[PATH_MAX + 32];
    return under_prefix(dir, sizeof dir, "lib/awaitlab");
}

const char *data_share_dir(void)
{
    static char dir[PATH_MAX + 32];
    return under_prefix(dir, sizeof dir, "share/awaitlab");
}
