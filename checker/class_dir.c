/*
 * class_dir.c -- finding each student's workspace in a class directory.
 */
#include "class_dir.h"
#include "confine.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool has_exercises(const char *dir)
{
    char path[PATH_MAX + 16];
    snprintf(path, sizeof path, "%s/exercises", dir);
    return is_dir(path);
}

/* The workspace at `dir` or up to `depth` directories below it. */
static bool find_workspace(const char *dir, int depth, char *out, size_t size)
{
    if (has_exercises(dir)) {
        snprintf(out, size, "%s", dir);
        return true;
    }
    if (depth == 0)
        return false;
    DIR *d = opendir(dir);
    if (!d)
        return false;
    struct dirent *entry;
    bool found = false;
    while (!found && (entry = readdir(d))) {
        if (entry->d_name[0] == '.' || strcmp(entry->d_name, "__MACOSX") == 0)
            continue;
        char sub[PATH_MAX];
        snprintf(sub, sizeof sub, "%.*s/%s", PATH_MAX - 300, dir, entry->d_name);
        if (is_dir(sub))
            found = find_workspace(sub, depth - 1, out, size);
    }
    closedir(d);
    return found;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n > m && strcmp(s + n - m, suffix) == 0;
}

static const char *archive_suffix(const char *name)
{
    static const char *const suffixes[] = {".tar.gz", ".tgz", ".zip", NULL};
    for (const char *const *s = suffixes; *s; s++)
        if (ends_with(name, *s))
            return *s;
    return NULL;
}

static void make_id(const char *name, const char *suffix, char *id, size_t size)
{
    size_t n = strlen(name) - (suffix ? strlen(suffix) : 0);
    if (n >= size)
        n = size - 1;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)name[i];
        id[i] = isalnum(c) || c == '.' || c == '-' || c == '_' ? (char)c : '_';
    }
    id[n] = '\0';
}

/* Unpacks an archive with tar or Python's zipfile, under limits. */
static int unpack(const char *archive, const char *suffix, const char *into, char *problem,
                  size_t size)
{
    if (mkdir(into, 0755) != 0 && errno != EEXIST) {
        snprintf(problem, size, "cannot make %.200s: %s", into, strerror(errno));
        return -1;
    }
    char *tar[] = {"/bin/tar", "-xzf", (char *)archive, "-C", (char *)into, "--no-same-owner",
                   "--no-same-permissions", NULL};
    char *zip[] = {"/usr/bin/python3", "-m", "zipfile", "-e", (char *)archive, (char *)into, NULL};
    char *const env[] = {"PATH=/usr/bin:/bin", "LC_ALL=C", NULL};
    ex_limits limits = ex_limits_for_build();
    limits.wall_s = 60;
    limits.file_bytes = 64 << 20;   /* no file of a workspace is near this */
    ex_sandbox none = {0};
    ex_outcome out;
    char **argv = strcmp(suffix, ".zip") == 0 ? zip : tar;
    if (ex_confined_run(argv, into, env, &limits, &none, &out) != 0) {
        snprintf(problem, size, "cannot unpack %.200s: %s", archive, strerror(errno));
        return -1;
    }
    int status = out.signal || out.exit_code ? -1 : 0;
    if (status != 0)
        snprintf(problem, size, "the archive could not be unpacked: %.200s",
                 out.err[0] ? out.err : out.wall_exceeded ? "it took too long" : "damaged");
    problem[strcspn(problem, "\n")] = '\0';
    ex_outcome_free(&out);
    return status;
}

static int by_id(const void *a, const void *b)
{
    return strcmp(((const ex_student *)a)->id, ((const ex_student *)b)->id);
}

static void load_one(const char *class_dir, const char *name, const char *unpack_dir,
                     ex_student *s)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%.*s/%s", PATH_MAX - 300, class_dir, name);
    const char *suffix = is_dir(path) ? NULL : archive_suffix(name);
    make_id(name, suffix, s->id, sizeof s->id);
    char root[PATH_MAX];
    snprintf(root, sizeof root, "%s", path);
    if (suffix) {
        snprintf(root, sizeof root, "%.*s/%s", PATH_MAX - 300, unpack_dir, s->id);
        if (unpack(path, suffix, root, s->problem, sizeof s->problem) != 0)
            return;
    }
    if (!find_workspace(root, 2, s->workspace, sizeof s->workspace)) {
        s->workspace[0] = '\0';
        snprintf(s->problem, sizeof s->problem,
                 "no workspace in %.180s (a directory with exercises/ in it, as `awaitlab init` "
                 "makes)", name);
    }
}

int ex_class_load(const char *class_dir, const char *unpack_dir, ex_student **students,
                  char *error, size_t size)
{
    DIR *d = opendir(class_dir);
    if (!d) {
        snprintf(error, size, "cannot read the class directory %s: %s", class_dir,
                 strerror(errno));
        return -1;
    }
    ex_student *list = NULL;
    int count = 0;
    struct dirent *entry;
    while ((entry = readdir(d))) {
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%.*s/%s", PATH_MAX - 300, class_dir, entry->d_name);
        if (entry->d_name[0] == '.' || (!is_dir(path) && !archive_suffix(entry->d_name)))
            continue;
        ex_student *grown = realloc(list, (size_t)(count + 1) * sizeof *grown);
        if (!grown)
            break;
        list = grown;
        memset(&list[count], 0, sizeof list[count]);
        load_one(class_dir, entry->d_name, unpack_dir, &list[count]);
        count++;
    }
    closedir(d);
    qsort(list, (size_t)count, sizeof *list, by_id);
    for (int i = 1; i < count; i++)
        if (strcmp(list[i].id, list[i - 1].id) == 0) {
            snprintf(error, size, "two entries of %s are both student '%s'", class_dir,
                     list[i].id);
            free(list);
            return -1;
        }
    *students = list;
    return count;
}
