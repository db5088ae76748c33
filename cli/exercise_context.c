/*
 * exercise_context.c -- the home, the catalogue, the workspace, the progress.
 */
#include "exercise_context.h"
#include "commands.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int ex_context_open(ex_context *ctx)
{
    memset(ctx, 0, sizeof *ctx);
    char error[4600];
    ctx->home = ex_home();
    if (!ctx->home) {
        fprintf(stderr, "awaitlab: cannot find the exercises' checks (tests/exercises/) "
                        "near this program; set AWAITLAB_HOME to the awaitlab directory\n");
        return EXIT_FAILED;
    }
    if (ex_catalogue_load(ctx->home, &ctx->catalogue, error, sizeof error) != 0) {
        fprintf(stderr, "awaitlab: %s\n", error);
        return EXIT_FAILED;
    }
    if (ex_workspace_find(".", ctx->home, &ctx->workspace, error, sizeof error) != 0 ||
        ex_state_load(&ctx->workspace, &ctx->state, error, sizeof error) != 0) {
        fprintf(stderr, "awaitlab: %s\n", error);
        ex_catalogue_free(&ctx->catalogue);
        return EXIT_USAGE;
    }
    return 0;
}

void ex_context_close(ex_context *ctx)
{
    ex_catalogue_free(&ctx->catalogue);
    json_decref(ctx->state);
    ctx->state = NULL;
}

const ex_exercise *ex_context_find(const ex_context *ctx, const char *name)
{
    const ex_exercise *e = ex_catalogue_find(&ctx->catalogue, name);
    if (e)
        return e;
    const char *guess = ex_catalogue_suggest(&ctx->catalogue, name);
    if (guess)
        fprintf(stderr, "awaitlab: unknown exercise '%s' (did you mean '%s'?)\n", name, guess);
    else
        fprintf(stderr, "awaitlab: unknown exercise '%s' (`awaitlab exercises` lists them)\n",
                name);
    return NULL;
}

const ex_exercise *ex_context_next(const ex_context *ctx)
{
    for (size_t i = 0; i < ctx->catalogue.count; i++)
        if (!ex_state_done(ctx->state, ctx->catalogue.items[i].name))
            return &ctx->catalogue.items[i];
    return NULL;
}

void ex_context_student_file(const ex_context *ctx, const ex_exercise *e, char *buf, size_t size)
{
    char relative[200];
    ex_student_path(e, relative, sizeof relative);
    ex_workspace_path(&ctx->workspace, relative, buf, size);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

int ex_check_in_scratch(const ex_exercise *e, const char *student_file, ex_options *o,
                        ex_result *result)
{
    const char *tmp = getenv("TMPDIR");
    char scratch[4200];
    snprintf(scratch, sizeof scratch, "%s/awaitlab-check-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(scratch)) {
        memset(result, 0, sizeof *result);
        result->status = EX_INTERNAL;
        result->summary = strdup("cannot make a scratch directory");
        return 0;
    }
    o->scratch = scratch;
    int status = ex_check(e, student_file, o, result);
    nftw(scratch, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    o->scratch = NULL;
    return status;
}

int ex_context_check(const ex_context *ctx, const ex_exercise *e, const char *student_file,
                     const ex_options *extra, ex_result *result)
{
    ex_options o = extra ? *extra : (ex_options){0};
    o.home = ctx->home;
    o.lib_dir = ex_lib_dir();
    return ex_check_in_scratch(e, student_file, &o, result);
}

void ex_context_record(ex_context *ctx, const ex_exercise *e, bool done)
{
    char error[4600];
    if (ex_state_done(ctx->state, e->name) == done)
        return;
    if (ex_state_update(&ctx->workspace, e->name, done, -1, error, sizeof error) != 0) {
        fprintf(stderr, "awaitlab: warning: %s\n", error);
        return;
    }
    json_object_set_new(json_object_get(ctx->state, "done"), e->name, json_boolean(done));
}
