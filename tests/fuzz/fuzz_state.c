/*
 * fuzz_state.c -- a workspace's progress file, .awaitlab/state.json, as
 * `awaitlab exercises`, `hint` and `watch` read it and write it back.
 */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>

#include "workspace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ex_workspace ws = {0};
    snprintf(ws.root, sizeof ws.root, "%s", fuzz_scratch_dir());
    char path[4200];
    ex_workspace_path(&ws, ".awaitlab/state.json", path, sizeof path);
    fuzz_make_parents(path);
    fuzz_write_file(path, data, size);

    json_t *state;
    char error[4600];
    if (ex_state_load(&ws, &state, error, sizeof error) != 0)
        return 0;
    static const char *const names[] = {"gather_fetches", "", "a/b", "hedged_request"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        ex_state_done(state, names[i]);
        /* `hint` shows hint number `shown`: it must be a count, never negative. */
        if (ex_state_hints_shown(state, names[i]) < 0)
            __builtin_trap();
    }
    json_decref(state);
    /* And the update every passing check makes, through the same file. */
    ex_state_update(&ws, "gather_fetches", 1, 2, error, sizeof error);
    return 0;
}
