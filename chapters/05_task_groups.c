/*
 * Chapter 05 -- task groups: structured concurrency.
 *
 * n fetches; fetch i takes delay * (i + 1) / n seconds (0.2, 0.4 ... 1.0 s
 * with the defaults), and fetch number `fail` fails.  Five sections:
 *
 *   structured     a task group, nothing fails: leaving the block waits
 *                  for every child, so no task outlives it.
 *   first_failure  fetch `fail` fails: the group cancels the siblings that
 *                  have not finished, and the body; the ones that finished
 *                  keep their results; the error is reported.
 *   gather         the same failure under gather, for contrast (chapter
 *                  02): the error comes back at once and nothing is
 *                  cancelled -- the other fetches run on.
 *   all_errors     every fetch, when cancelled, says goodbye first, and the
 *                  last one's goodbye fails: the group reports both errors,
 *                  in the order they happened.
 *   shutting_down  the body, cancelled by the failure, tries to add a
 *                  retry: refused, the group is shutting down; after the
 *                  block, refused again: the group is finished.
 *
 * The Python twin is 05_task_groups.py; the lesson is the .md.
 */
#include "awaitlab.h"
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>

enum { FETCH_FAILED = AW_EAPP }; /* our ConnectionError */

static long n = 5;
static double delay = 1.0;
static long fail = 2;

static const lab_param params[] = {
    LAB_INT("n", &n, 1, 100000, "how many fetches"),
    LAB_SECONDS("delay", &delay, 0, 3600, "seconds the slowest fetch takes"),
    LAB_INT("fail", &fail, 0, 100000, "which fetch fails, from 0 (n or more: none)"),
    LAB_END,
};

static long failing = -1; /* the fetch that fails in this section, or -1 */

static double duration(long i)
{
    return delay * (double)(i + 1) / (double)n;
}

/*
 * async def download(i):
 *     await asyncio.sleep(duration(i))
 *     if i == failing:
 *         raise ConnectionError(f"item-{i}: connection refused")
 *     return i
 */
static int download(long i, intptr_t *result)
{
    int status = aw_sleep(duration(i));
    if (status != AW_OK)
        return status;
    if (i == failing)
        return aw_raise(FETCH_FAILED, "item-%ld: connection refused", i);
    *result = i;
    return AW_OK;
}

/* async def fetch(i): return await download(i) */
static int fetch(void *arg, intptr_t *result)
{
    return download((long)(intptr_t)arg, result);
}

/* except* ConnectionError as group: one line per error, in the group's order. */
static void report_errors(const aw_group *group)
{
    char all[400] = "";
    size_t used = 0;
    for (size_t i = 0; i < aw_group_error_count(group); i++) {
        const aw_error *e = aw_group_error(group, i);
        lab_say("error %zu of %zu: %s", i + 1, aw_group_error_count(group), e->message);
        if (used < sizeof all)
            used += (size_t)snprintf(all + used, sizeof all - used, "%s%s", i ? "; " : "",
                                     e->message);
    }
    lab_value_int("errors", (long)aw_group_error_count(group));
    lab_value_str("error_messages", "%s", all);
}

/* Which results survived, and how many were cancelled. */
static void report_children(aw_task **tasks)
{
    long kept = lab_count_in_state(tasks, n, AW_TASK_OK);
    long cancelled = lab_count_in_state(tasks, n, AW_TASK_CANCELLED);
    lab_value_int("kept_results", kept);
    lab_value_int("cancelled", cancelled);
    lab_say("finished and kept their results: %ld; cancelled: %ld", kept, cancelled);
}

/* ----------------------------------------------------------------------- */
/* Structured concurrency                                                   */
/* ----------------------------------------------------------------------- */

/*
 * async with asyncio.TaskGroup() as tg:
 *     tasks = [tg.create_task(fetch(i)) for i in range(n)]
 * results = [t.result() for t in tasks]     # every one has finished
 */
static int structured(aw_task **tasks)
{
    aw_group group;
    aw_group_begin(&group);
    for (long i = 0; i < n; i++)
        tasks[i] = aw_group_spawn(&group, fetch, (void *)(intptr_t)i, "fetch-%ld", i);
    double body_done = aw_now();
    int status = aw_group_end(&group, AW_OK);
    aw_group_dispose(&group);
    if (status != AW_OK)
        return status;
    lab_value_int("results", lab_count_in_state(tasks, n, AW_TASK_OK));
    lab_say("the body was done at once; leaving the block took %.3f s: "
            "every child had finished", aw_now() - body_done);
    return AW_OK;
}

/* ----------------------------------------------------------------------- */
/* The first failure                                                         */
/* ----------------------------------------------------------------------- */

/*
 * try:
 *     async with asyncio.TaskGroup() as tg:
 *         tasks = [tg.create_task(fetch(i)) for i in range(n)]
 *         await asyncio.sleep(delay)       # the body's own work
 * except* ConnectionError as group:
 *     ...                                  # every error, together
 */
static int first_failure(aw_task **tasks)
{
    double started = aw_now();
    aw_group group;
    aw_group_begin(&group);
    for (long i = 0; i < n; i++)
        tasks[i] = aw_group_spawn(&group, fetch, (void *)(intptr_t)i, "fetch-%ld", i);
    int status = aw_sleep(delay); /* the body's own work */
    if (status == AW_ECANCELLED)
        lab_say("the body's own wait was cancelled at %.3f s", aw_now() - started);
    status = aw_group_end(&group, status);
    if (status == AW_EGROUP)
        report_errors(&group);
    aw_group_dispose(&group);
    if (status != AW_OK && status != AW_EGROUP)
        return status;
    report_children(tasks);
    return AW_OK;
}

/*
 * tasks = [asyncio.create_task(fetch(i)) for i in range(n)]
 * try:
 *     await asyncio.gather(*tasks)
 * except ConnectionError:
 *     ...                                  # the others still run
 * await asyncio.gather(*tasks, return_exceptions=True)
 */
static int gather_instead(aw_task **tasks)
{
    double started = aw_now();
    for (long i = 0; i < n; i++)
        tasks[i] = aw_spawn(fetch, (void *)(intptr_t)i, "fetch-%ld", i);
    int status = aw_gather(tasks, (size_t)n, 0);
    if (status == AW_ECANCELLED && aw_cancelled())
        return status;
    if (status != AW_OK) {
        long running = lab_count_in_state(tasks, n, AW_TASK_PENDING);
        lab_value_int("still_running_at_error", running);
        lab_say("gather raised at %.3f s: %s -- and %ld fetches run on", aw_now() - started,
                aw_last_error()->message, running);
    }
    status = aw_gather(tasks, (size_t)n, AW_RETURN_EXCEPTIONS);
    if (status != AW_OK)
        return status;
    report_children(tasks);
    return AW_OK;
}

/* ----------------------------------------------------------------------- */
/* Every error                                                               */
/* ----------------------------------------------------------------------- */

/*
 * async def fetch_with_goodbye(i):
 *     try:
 *         return await download(i)
 *     except asyncio.CancelledError:
 *         await asyncio.sleep(delay / n)   # say goodbye to the server
 *         if i == n - 1:
 *             raise ConnectionError(f"item-{i}: goodbye failed")
 *         raise
 *
 * The goodbye waits although the task is cancelled: in C, in a shield.
 */
static int fetch_with_goodbye(void *arg, intptr_t *result)
{
    long i = (long)(intptr_t)arg;
    int status = download(i, result);
    if (status != AW_ECANCELLED)
        return status;
    aw_shield_begin();
    aw_sleep(delay / (double)n); /* say goodbye to the server */
    aw_shield_end();
    if (i == n - 1)
        return aw_raise(FETCH_FAILED, "item-%ld: goodbye failed", i);
    return status;
}

static int all_errors(aw_task **tasks)
{
    aw_group group;
    aw_group_begin(&group);
    for (long i = 0; i < n; i++)
        tasks[i] =
            aw_group_spawn(&group, fetch_with_goodbye, (void *)(intptr_t)i, "fetch-%ld", i);
    int status = aw_group_end(&group, AW_OK);
    if (status == AW_EGROUP)
        report_errors(&group);
    aw_group_dispose(&group);
    if (status != AW_OK && status != AW_EGROUP)
        return status;
    report_children(tasks);
    return AW_OK;
}

/* ----------------------------------------------------------------------- */
/* A group that is shutting down                                             */
/* ----------------------------------------------------------------------- */

/* tg.create_task(fetch(failing)), which may be refused. */
static void try_retry(aw_group *group)
{
    if (aw_group_spawn(group, fetch, (void *)(intptr_t)failing, "retry-%ld", failing))
        lab_say("the retry was accepted");
    else
        lab_say("retry refused: %s", aw_last_error()->message);
}

/*
 * try:
 *     async with asyncio.TaskGroup() as tg:
 *         for i in range(n):
 *             tg.create_task(fetch(i))
 *         try:
 *             await asyncio.sleep(delay)
 *         except asyncio.CancelledError:
 *             try_retry(tg)                # refused: shutting down
 *             raise
 * except* ConnectionError:
 *     pass
 * try_retry(tg)                            # refused: finished
 */
static int shutting_down(void)
{
    aw_group group;
    aw_group_begin(&group);
    for (long i = 0; i < n; i++)
        aw_group_spawn(&group, fetch, (void *)(intptr_t)i, "fetch-%ld", i);
    int status = aw_sleep(delay);
    if (status == AW_ECANCELLED)
        try_retry(&group);
    status = aw_group_end(&group, status);
    if (status != AW_OK && status != AW_EGROUP) {
        aw_group_dispose(&group);
        return status;
    }
    try_retry(&group);
    aw_group_dispose(&group);
    return AW_OK;
}

/* ----------------------------------------------------------------------- */
/* The chapter                                                               */
/* ----------------------------------------------------------------------- */

static int chapter_main(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task **tasks = calloc((size_t)n, sizeof *tasks);
    if (!tasks)
        return AW_ENOMEM;

    lab_section("structured", "a task group: leaving the block waits for every child");
    failing = -1;
    int status = structured(tasks);
    lab_section_end();
    if (status != AW_OK)
        goto out;

    failing = fail < n ? fail : -1;
    lab_section("first_failure", "one fetch fails: the group cancels the rest");
    status = first_failure(tasks);
    lab_section_end();
    if (status != AW_OK)
        goto out;

    lab_section("gather", "the same failure under gather: nothing is cancelled");
    status = gather_instead(tasks);
    lab_section_end();
    if (status != AW_OK)
        goto out;

    lab_section("all_errors", "a cancelled fetch fails while saying goodbye: both errors count");
    status = all_errors(tasks);
    lab_section_end();
    if (status != AW_OK)
        goto out;

    lab_section("shutting_down", "adding a task to a group that is shutting down, then done");
    status = shutting_down();
    lab_section_end();
out:
    free(tasks);
    return status;
}

static const lab_chapter chapter = {
    .number = "05",
    .slug = "task_groups",
    .title = "Task groups",
    .summary = "structured concurrency: the first failure cancels the rest, every error "
               "is reported",
    .params = params,
    .main_knob = "fail",
    .main = chapter_main,
};

int main(int argc, char **argv)
{
    return lab_main(&chapter, argc, argv);
}
