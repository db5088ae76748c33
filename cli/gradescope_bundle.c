/*
 * gradescope_bundle.c -- `awaitlab grade --gradescope-bundle FILE.zip`: an
 * autograder for Gradescope, which runs setup.sh once in its image and then
 * run_autograder for each submission.
 *
 * The bundle holds the awaitlab sources (without the reference solutions:
 * grading never needs them), the instructor's weights and extra checks,
 * and the two scripts.  The sources are the entries dist/source-files
 * names, copied from the source tree; an installed awaitlab has no tree,
 * so it unpacks the archive of the same entries that `make install` put
 * in share/awaitlab.  run_autograder grades /autograder/submission as a
 * class of one and copies that student's Gradescope results into
 * /autograder/results/results.json.
 */
#include "checker_internal.h"
#include "commands.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char setup_sh[] =
    "#!/bin/sh\n"
    "# Gradescope runs this once, as root, when it builds the autograder image.\n"
    "set -eu\n"
    "cd /autograder/source/awaitlab\n"
    "sh scripts/install-deps.sh\n"
    "apt-get install -y -qq --no-install-recommends bubblewrap >/dev/null || true\n"
    "make NO_DEPS=1\n";

static const char run_autograder[] =
    "#!/bin/sh\n"
    "# Gradescope runs this for each submission; results go to\n"
    "# /autograder/results/results.json.\n"
    "set -u\n"
    "src=/autograder/source\n"
    "awaitlab=$src/awaitlab/build/awaitlab\n"
    "rm -rf /tmp/awaitlab-class /tmp/awaitlab-grade\n"
    "mkdir -p /tmp/awaitlab-class /autograder/results\n"
    "cp -r /autograder/submission /tmp/awaitlab-class/submission\n"
    "set --\n"
    "[ -d $src/extra ] && set -- \"$@\" --extra $src/extra\n"
    "[ -f $src/weights.json ] && set -- \"$@\" --weights $src/weights.json\n"
    "# Each submission has a container of its own; where bubblewrap cannot make\n"
    "# namespaces inside it, that container is the sandbox.\n"
    "bwrap --ro-bind / / true 2>/dev/null || set -- \"$@\" --no-sandbox\n"
    "\"$awaitlab\" grade /tmp/awaitlab-class --out /tmp/awaitlab-grade \"$@\"\n"
    "cp /tmp/awaitlab-grade/gradescope/submission.json /autograder/results/results.json\n";

static int write_script(const char *dir, const char *name, const char *text)
{
    char path[4400];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs(text, f);
    if (fclose(f) != 0)
        return -1;
    return chmod(path, 0755);
}

/* Runs a command from `dir`; 0 if it exited 0. */
static int run(char *const argv[], const char *dir)
{
    char *const env[] = {"PATH=/usr/bin:/bin", "LC_ALL=C", NULL};
    ex_limits limits = ex_limits_for_build();
    limits.wall_s = 300;
    limits.file_bytes = (size_t)1 << 30;
    ex_sandbox none = {0};
    ex_outcome out;
    if (ex_confined_run(argv, dir, env, &limits, &none, &out) != 0)
        return -1;
    int status = out.signal || out.exit_code ? -1 : 0;
    if (status != 0)
        fprintf(stderr, "awaitlab: %s failed: %s\n", argv[0], out.err);
    ex_outcome_free(&out);
    return status;
}

int gradescope_bundle(const char *path, const char *home, const char *weights,
                      const char *extra);

enum { MAX_SOURCE_ENTRIES = 64 };

/* The entries of dist/source-files, without its comments and blank lines. */
static int read_source_list(FILE *list, char entries[][64], int max)
{
    char line[256];
    int n = 0;
    while (n < max && fgets(line, sizeof line, list)) {
        size_t length = strcspn(line, "\r\n");
        line[length] = '\0';
        if (line[0] != '\0' && line[0] != '#' && length < 64)
            memcpy(entries[n++], line, length + 1);
    }
    return n;
}

/* An installed awaitlab: its sources are the archive make install left. */
static int unpack_installed_sources(const char *home, const char *dest)
{
    char archive[4400];
    snprintf(archive, sizeof archive, "%s/awaitlab-source.tar.gz", home);
    if (access(archive, R_OK) != 0) {
        fprintf(stderr, "awaitlab: %s holds neither dist/source-files (a source tree) nor "
                "awaitlab-source.tar.gz (an install): no sources to bundle\n", home);
        return -1;
    }
    char *untar[] = {"/bin/tar", "-xzf", archive, NULL};
    return run(untar, dest);
}

/*
 * Copies the sources into `dest`, through `stage`/bundle.tar.  The excluded
 * names are mk/install.mk's too, for the archive it installs.
 */
static int copy_sources(const char *home, const char *stage, const char *dest)
{
    char path[4400];
    snprintf(path, sizeof path, "%s/dist/source-files", home);
    FILE *list = fopen(path, "r");
    if (list == NULL)
        return unpack_installed_sources(home, dest);
    char entries[MAX_SOURCE_ENTRIES][64];
    int n = read_source_list(list, entries, MAX_SOURCE_ENTRIES);
    fclose(list);
    char *copy[9 + MAX_SOURCE_ENTRIES] = {"/bin/tar", "-C", (char *)home, "-cf", "bundle.tar",
                                          "--exclude=build", "--exclude=.git",
                                          "--exclude=.awaitlab", "--exclude=solutions"};
    for (int i = 0; i < n; i++)
        copy[9 + i] = entries[i];
    copy[9 + n] = NULL;
    char *untar[] = {"/bin/tar", "-xf", "../bundle.tar", NULL};
    int status = run(copy, stage) == 0 && run(untar, dest) == 0 ? 0 : -1;
    snprintf(path, sizeof path, "%s/bundle.tar", stage);
    unlink(path);
    return status;
}

int gradescope_bundle(const char *path, const char *home, const char *weights, const char *extra)
{
    if (!home) {
        fprintf(stderr, "awaitlab: no awaitlab home found\n");
        return EXIT_FAILED;
    }
    char stage[] = "/tmp/awaitlab-bundle-XXXXXX", dest[4400], target[4400];
    if (!mkdtemp(stage))
        return EXIT_FAILED;
    snprintf(dest, sizeof dest, "%s/awaitlab", stage);
    mkdir(dest, 0755);
    char *absolute = realpath(".", NULL);
    snprintf(target, sizeof target, "%s%s%s", path[0] == '/' ? "" : absolute,
             path[0] == '/' ? "" : "/", path);
    free(absolute);
    int status = copy_sources(home, stage, dest);
    char file[4400];
    if (status == 0 && weights) {
        snprintf(file, sizeof file, "%s/weights.json", stage);
        status = ex__copy_file(weights, file);
    }
    if (status == 0 && extra) {
        char *cp[] = {"/bin/cp", "-r", (char *)extra, "extra", NULL};
        status = run(cp, stage);
    }
    if (status == 0)
        status = write_script(stage, "setup.sh", setup_sh) |
                 write_script(stage, "run_autograder", run_autograder);
    char *zip[] = {"/usr/bin/python3", "-m", "zipfile", "-c", target, "setup.sh",
                   "run_autograder", "awaitlab", weights ? "weights.json" : NULL,
                   extra ? "extra" : NULL, NULL};
    if (!weights) {
        zip[8] = extra ? "extra" : NULL;
        zip[9] = NULL;
    }
    if (status == 0)
        status = run(zip, stage);
    char *rm[] = {"/bin/rm", "-rf", stage, NULL};
    run(rm, "/");
    if (status != 0) {
        fprintf(stderr, "awaitlab: cannot make the bundle %s\n", path);
        return EXIT_FAILED;
    }
    printf("wrote %s: upload it as the autograder of a Gradescope assignment\n"
           "(setup.sh builds awaitlab in the image; run_autograder grades each submission)\n",
           path);
    return 0;
}
