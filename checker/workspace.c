/*
 * workspace.c -- finding, making, and keeping the progress of a workspace.
 */
#include "workspace.h"
#include "checker_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define MARKER ".awaitlab/workspace.json"
#define STATE ".awaitlab/state.json"

void ex_workspace_path(const ex_workspace *ws, const char *relative, char *buf, size_t size)
{
    snprintf(buf, size, "%s/%s", ws->root, relative);
}

static bool exists(const char *dir, const char *relative)
{
    char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/%s", dir, relative);
    return access(path, F_OK) == 0;
}

int ex_workspace_find(const char *start, const char *home, ex_workspace *ws, char *error,
                      size_t size)
{
    char *dir = realpath(start, NULL);
    char *real_home = home ? realpath(home, NULL) : NULL;
    if (!dir) {
        snprintf(error, size, "cannot resolve %s: %s", start, strerror(errno));
        free(real_home);
        return -1;
    }
    int status = -1;
    for (;;) {
        bool home_here = real_home && strcmp(dir, real_home) == 0 && exists(dir, "exercises");
        if (exists(dir, MARKER) || home_here) {
            snprintf(ws->root, sizeof ws->root, "%s", dir);
            ws->is_home = home_here;
            status = 0;
            break;
        }
        char *slash = strrchr(dir, '/');
        if (!slash || slash == dir)
            break;
        *slash = '\0';
    }
    if (status != 0)
        snprintf(error, size,
                 "%s is not inside an awaitlab workspace (no " MARKER " here or above); "
                 "make one with `awaitlab init DIR`, then cd into it",
                 start);
    free(dir);
    free(real_home);
    return status;
}

/* ----------------------------------------------------------------------- */
/* Making a workspace                                                        */
/* ----------------------------------------------------------------------- */

static int copy_tree(const char *from, const char *to, char *error, size_t size)
{
    if (mkdir(to, 0755) != 0 && errno != EEXIST) {
        snprintf(error, size, "cannot make %s: %s", to, strerror(errno));
        return -1;
    }
    DIR *d = opendir(from);
    if (!d) {
        snprintf(error, size, "cannot read %s: %s", from, strerror(errno));
        return -1;
    }
    int status = 0;
    struct dirent *entry;
    while (status == 0 && (entry = readdir(d))) {
        if (entry->d_name[0] == '.')
            continue;
        char src[PATH_MAX + 256], dst[PATH_MAX + 256];
        snprintf(src, sizeof src, "%s/%s", from, entry->d_name);
        snprintf(dst, sizeof dst, "%s/%s", to, entry->d_name);
        struct stat st;
        if (stat(src, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode))
            status = copy_tree(src, dst, error, size);
        else if (S_ISREG(st.st_mode) && ex__copy_file(src, dst) != 0) {
            snprintf(error, size, "cannot copy %s: %s", src, strerror(errno));
            status = -1;
        }
    }
    closedir(d);
    return status;
}

static int write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs(text, f);
    return fclose(f);
}

static bool empty_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return false;
    struct dirent *entry;
    bool empty = true;
    while (empty && (entry = readdir(d)))
        empty = strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0;
    closedir(d);
    return empty;
}

static const char readme[] =
    "# My awaitlab workspace\n\n"
    "The exercises are in exercises/NN_chapter/, one C file each (a prediction is a\n"
    ".txt beside the program it is about).  Edit them; awaitlab builds and checks them.\n\n"
    "```sh\n"
    "awaitlab watch               # the next exercise, re-checked every time you save\n"
    "awaitlab exercises           # all of them, and how far you are\n"
    "awaitlab check [NAME]        # check one (default: the next one to do)\n"
    "awaitlab hint NAME           # one more hint each time\n"
    "awaitlab solution NAME       # the reference solution, once yours passes\n"
    "awaitlab reset NAME          # start an exercise over\n"
    "```\n\n"
    "Your progress is kept in .awaitlab/state.json.  compile_flags.txt lets an editor\n"
    "with clangd find the runtime's header.\n";

int ex_workspace_create(const char *dir, const char *home, char *error, size_t size)
{
    if (mkdir(dir, 0755) != 0 && !(errno == EEXIST && empty_dir(dir))) {
        snprintf(error, size, errno == EEXIST ? "%s already exists and is not empty: pick a "
                                                "new directory"
                                              : "cannot make %s: %s",
                 dir, strerror(errno));
        return -1;
    }
    char from[PATH_MAX + 32], to[PATH_MAX + 64];
    snprintf(from, sizeof from, "%s/exercises", home);
    snprintf(to, sizeof to, "%s/exercises", dir);
    if (copy_tree(from, to, error, size) != 0)
        return -1;
    snprintf(to, sizeof to, "%s/.awaitlab", dir);
    if (mkdir(to, 0755) != 0 && errno != EEXIST) {
        snprintf(error, size, "cannot make %s: %s", to, strerror(errno));
        return -1;
    }
    char flags[PATH_MAX + 64];
    snprintf(flags, sizeof flags, "-std=gnu11\n-Wall\n-Wextra\n-D_GNU_SOURCE\n-I%s/runtime\n", home);
    struct { const char *name, *text; } files[] = {
        {MARKER, "{\"format\": 1}\n"},
        {"README.md", readme},
        {"compile_flags.txt", flags},
        {".gitignore", ".awaitlab/state.json\n"},
    };
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        snprintf(to, sizeof to, "%s/%s", dir, files[i].name);
        if (write_file(to, files[i].text) != 0) {
            snprintf(error, size, "cannot write %s: %s", to, strerror(errno));
            return -1;
        }
    }
    return 0;
}

/* ----------------------------------------------------------------------- */
/* The state file                                                            */
/* ----------------------------------------------------------------------- */

int ex_state_load(const ex_workspace *ws, json_t **state, char *error, size_t size)
{
    char path[PATH_MAX + 64];
    ex_workspace_path(ws, STATE, path, sizeof path);
    if (access(path, F_OK) != 0) {
        *state = json_pack("{s:i, s:{}, s:{}}", "format", 1, "done", "hints");
        return *state ? 0 : -1;
    }
    json_error_t jerr;
    json_t *s = json_load_file(path, 0, &jerr);
    if (!s || !json_is_object(json_object_get(s, "done")) ||
        !json_is_object(json_object_get(s, "hints"))) {
        snprintf(error, size,
                 "the progress file %s is damaged (%s); it was left as it is. Fix it, or move "
                 "it away to start the record afresh (your exercise files are untouched)",
                 path, s ? "missing \"done\" or \"hints\"" : jerr.text);
        json_decref(s);
        return -1;
    }
    *state = s;
    return 0;
}

bool ex_state_done(json_t *state, const char *name)
{
    return json_is_true(json_object_get(json_object_get(state, "done"), name));
}

int ex_state_hints_shown(json_t *state, const char *name)
{
    /* A hand-edited file may say anything; a count is 0 .. EX_MAX_HINTS. */
    json_int_t shown =
        json_integer_value(json_object_get(json_object_get(state, "hints"), name));
    return shown < 0 ? 0 : shown > EX_MAX_HINTS ? EX_MAX_HINTS : (int)shown;
}

/* Writes the state beside the old file, flushes it, then renames it over. */
static int save(const ex_workspace *ws, json_t *state, char *error, size_t size)
{
    char path[PATH_MAX + 64], temp[PATH_MAX + 96];
    ex_workspace_path(ws, STATE, path, sizeof path);
    snprintf(temp, sizeof temp, "%s.tmp-%d", path, (int)getpid());
    int fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    int status = fd < 0 ? -1 : json_dumpfd(state, fd, JSON_INDENT(2) | JSON_SORT_KEYS);
    if (status == 0 && (write(fd, "\n", 1) != 1 || fsync(fd) != 0))
        status = -1;
    if (fd >= 0 && close(fd) != 0)
        status = -1;
    if (status == 0 && rename(temp, path) != 0)
        status = -1;
    if (status != 0) {
        snprintf(error, size, "cannot save the progress file %s: %s", path, strerror(errno));
        unlink(temp);
    }
    return status;
}

int ex_state_update(const ex_workspace *ws, const char *name, int done, int hints, char *error,
                    size_t size)
{
    char lock_path[PATH_MAX + 64];
    ex_workspace_path(ws, ".awaitlab", lock_path, sizeof lock_path);
    mkdir(lock_path, 0755); /* the home has none until its first check */
    ex_workspace_path(ws, ".awaitlab/lock", lock_path, sizeof lock_path);
    int lock = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (lock < 0 || flock(lock, LOCK_EX) != 0) {
        snprintf(error, size, "cannot lock %s: %s", lock_path, strerror(errno));
        if (lock >= 0)
            close(lock);
        return -1;
    }
    json_t *state;
    int status = ex_state_load(ws, &state, error, size);
    if (status == 0) {
        if (done >= 0)
            json_object_set_new(json_object_get(state, "done"), name, json_boolean(done));
        if (hints >= 0)
            json_object_set_new(json_object_get(state, "hints"), name, json_integer(hints));
        status = save(ws, state, error, size);
        json_decref(state);
    }
    close(lock); /* releases the lock */
    return status;
}
