/*
 * lanes.c -- the rows of the live timeline: tasks in tree order, and groups
 * of siblings when there are more tasks than rows.
 */
#include "lanes.h"

#include <stdlib.h>
#include <string.h>

#define MAX_TRACKED_DEPTH 64 /* deeper lanes share the last depth's marks */

/* Grows an array to hold `count` items; false when out of memory. */
static bool reserve(void **items, size_t *capacity, size_t count, size_t size)
{
    if (count <= *capacity)
        return true;
    size_t bigger = *capacity ? *capacity : 64;
    while (bigger < count)
        bigger *= 2;
    void *moved = reallocarray(*items, bigger, size);
    if (moved == NULL)
        return false;
    *items = moved;
    *capacity = bigger;
    return true;
}

/* Like reserve(), with the new items zeroed. */
static bool reserve_zeroed(void **items, size_t *capacity, size_t count, size_t size)
{
    size_t old = *capacity;
    if (!reserve(items, capacity, count, size))
        return false;
    if (*capacity > old) /* grown: there is memory, and new items in it */
        memset((char *)*items + old * size, 0, (*capacity - old) * size);
    return true;
}

/* The tasks spawned by `until`, in tree order. */
static bool collect_tasks(tv_lanes *lanes, const tv_model *model, tv_time until)
{
    if (!reserve((void **)&lanes->tasks, &lanes->tasks_capacity,
                 model->n_tasks, sizeof *lanes->tasks))
        return false;
    lanes->n_tasks = 0;
    for (size_t i = 0; i < model->n_tasks; i++) {
        const tv_task *task = &model->tasks[model->tree_order[i]];
        if (task->spawned <= until)
            lanes->tasks[lanes->n_tasks++] = task;
    }
    return true;
}

/*
 * Whether task i has no children among the tasks collected.  A child is
 * spawned after its parent, so a visible child has a visible parent, and in
 * tree order a task's children follow it at once.
 */
static bool is_leaf(const tv_lanes *lanes, size_t i)
{
    return i + 1 >= lanes->n_tasks || lanes->tasks[i + 1]->depth <= lanes->tasks[i]->depth;
}

/*
 * The section a task was spawned in: the last one opened before its spawn
 * line and not closed by then.  Lines, not times, decide, because in
 * virtual time a section can end and the next begin at the same instant.
 */
static size_t section_of(const tv_model *model, const tv_task *task)
{
    size_t found = SIZE_MAX;
    for (size_t i = 0; i < model->n_sections; i++) {
        const tv_section *s = &model->sections[i];
        if (s->line0 < task->spawn_line && task->spawn_line < s->line1)
            found = i;
    }
    return found;
}

/* How a task had ended by `until`: TV_OUTCOME_NONE while it runs on. */
static tv_outcome_kind outcome_by(const tv_task *task, tv_time until)
{
    return task->outcome.t <= until ? task->outcome.kind : TV_OUTCOME_NONE;
}

/* Whether `text` is nothing but decimal digits (or nothing at all). */
static bool only_digits(const char *text)
{
    while (*text >= '0' && *text <= '9')
        text++;
    return *text == '\0';
}

/*
 * Whether two names are the same but for a final number: "fetch-3",
 * "fetch-12".  This is asked of every pair of neighbouring tasks, every
 * frame, so it reads each name once and never measures one: past the
 * longest start the two have in common, what is left of each must be
 * digits.  (If both are a stem and a number, the common start covers the
 * stem; if what is left is digits, the stems are what precedes them.)
 */
static bool same_stem(const char *a, const char *b)
{
    while (*a != '\0' && *a == *b)
        a++, b++;
    return only_digits(a) && only_digits(b);
}

/*
 * Whether tasks i and i + 1 have names of one stem, remembered from build
 * to build.  Names never change, and from one frame to the next the tasks
 * keep their places in tree order (new ones mostly come at the end), so
 * each place keeps its answer with the ids of the pair it was for: a live
 * view compares the names of new neighbours only, not every pair of ten
 * thousand every frame.  (The ids are the model's: one tv_lanes serves one
 * model, see lanes.h.)
 */
static bool same_stem_as_next(tv_lanes *lanes, size_t i)
{
    const tv_task *a = lanes->tasks[i], *b = lanes->tasks[i + 1];
    tv_stem_answer *answer = &lanes->stems[i];
    if (answer->id != a->id || answer->next_id != b->id) {
        *answer = (tv_stem_answer){.id = a->id, .next_id = b->id,
                                   .same = same_stem(a->name, b->name)};
        lanes->names_compared++;
    }
    return answer->same;
}

/* Whether tasks i and i + 1 are siblings of one kind, spawned in one section. */
static bool kin_to_next(tv_lanes *lanes, size_t i)
{
    const tv_task *a = lanes->tasks[i], *b = lanes->tasks[i + 1];
    return a->parent == b->parent && a->depth == b->depth &&
           lanes->sections[i] == lanes->sections[i + 1] && same_stem_as_next(lanes, i);
}

/*
 * Whether each task is kin to the next one.  Kinship is an equivalence
 * (the same parent, depth, section and stem), so a run of kin is a stretch
 * of neighbours kin two by two, and one look at each pair of neighbours
 * serves the whole build.  Sorting a run by outcome (below) keeps every
 * answer true: inside the run each pair is kin, and the run's new ends are
 * kin to their outside neighbours exactly when the old ends were.
 */
static bool find_kin(tv_lanes *lanes)
{
    if (!reserve((void **)&lanes->kin_with_next, &lanes->kin_capacity, lanes->n_tasks,
                 sizeof *lanes->kin_with_next) ||
        !reserve_zeroed((void **)&lanes->stems, &lanes->stems_capacity, lanes->n_tasks,
                        sizeof *lanes->stems))
        return false;
    for (size_t i = 0; i + 1 < lanes->n_tasks; i++)
        lanes->kin_with_next[i] = kin_to_next(lanes, i);
    if (lanes->n_tasks > 0)
        lanes->kin_with_next[lanes->n_tasks - 1] = false;
    return true;
}

/* Whether tasks i and i + 1 may share a lane: kin, and the same fate by now. */
static bool alike_next(const tv_lanes *lanes, size_t i)
{
    return lanes->kin_with_next[i] && outcome_by(lanes->tasks[i], lanes->until) ==
                                          outcome_by(lanes->tasks[i + 1], lanes->until);
}

/*
 * Within each run of kin leaves, puts the tasks that ended alike next to
 * each other (in the order their kinds of ending first appear, and in tree
 * order within each), so that a thousand fetches half of which are done
 * make two groups, not five hundred.  Only when grouping: a lane per task
 * keeps the tree order.
 */
static void sort_runs_by_outcome(tv_lanes *lanes)
{
    for (size_t i = 0; i < lanes->n_tasks;) {
        size_t n = 1;
        while (is_leaf(lanes, i) && i + n < lanes->n_tasks && is_leaf(lanes, i + n) &&
               lanes->kin_with_next[i + n - 1])
            n++;
        const tv_task **run = &lanes->tasks[i];
        tv_outcome_kind order[4];
        int kinds = 0;
        for (size_t k = 0; k < n && kinds < 4; k++) {
            tv_outcome_kind kind = outcome_by(run[k], lanes->until);
            bool seen = false;
            for (int j = 0; j < kinds; j++)
                seen = seen || order[j] == kind;
            if (!seen)
                order[kinds++] = kind;
        }
        size_t out = 0;
        for (int j = 0; j < kinds && kinds > 1; j++)
            for (size_t k = 0; k < n; k++)
                if (outcome_by(run[k], lanes->until) == order[j])
                    lanes->scratch[out++] = run[k];
        if (kinds > 1)
            memcpy(run, lanes->scratch, n * sizeof *run);
        i += n;
    }
}

/*
 * How many tasks from i on are sibling leaves, next to each other, alike.
 * Being alike is an equivalence too, so each task is compared with the one
 * before it rather than with the first of the run.
 */
static size_t run_length(const tv_lanes *lanes, size_t i)
{
    size_t n = 1;
    if (!is_leaf(lanes, i))
        return 1;
    while (i + n < lanes->n_tasks && is_leaf(lanes, i + n) && alike_next(lanes, i + n - 1))
        n++;
    return n;
}

static void add_lane(tv_lanes *lanes, size_t first, size_t count)
{
    lanes->lanes[lanes->n_lanes++] = (tv_lane){
        .first = first, .count = count, .depth = lanes->tasks[first]->depth,
        .section = lanes->sections[first]};
    if (count > 1)
        lanes->grouped = true;
}

/* How many section dividers the tasks need: one where each section starts. */
static size_t count_dividers(const tv_lanes *lanes)
{
    size_t n = 0, previous = SIZE_MAX;
    for (size_t i = 0; i < lanes->n_tasks; i++) {
        size_t section = lanes->sections[i];
        n += section != SIZE_MAX && section != previous;
        if (section != SIZE_MAX)
            previous = section;
    }
    return n;
}

/* Puts a divider lane before the first lane of each section. */
static void insert_dividers(tv_lanes *lanes)
{
    size_t n = lanes->n_lanes + lanes->n_dividers, previous = SIZE_MAX, to = n;
    size_t *starts = lanes->section_starts;
    for (size_t i = 0; i < lanes->n_lanes; i++) {
        size_t section = lanes->lanes[i].section;
        starts[i] = section != SIZE_MAX && section != previous;
        if (section != SIZE_MAX)
            previous = section;
    }
    /* From the back, so that every lane moves only once. */
    for (size_t i = lanes->n_lanes; i-- > 0;) {
        lanes->lanes[--to] = lanes->lanes[i];
        if (starts[i])
            lanes->lanes[--to] = (tv_lane){.first = lanes->lanes[i].first, .divider = true,
                                           .section = lanes->lanes[i].section};
    }
    lanes->n_lanes = n;
}

/* Cuts a run of `size` tasks from `first` into `parts` lanes of near-equal size. */
static void add_run(tv_lanes *lanes, size_t first, size_t size, size_t parts)
{
    for (size_t part = 0; part < parts; part++) {
        size_t count = size / parts + (part < size % parts);
        add_lane(lanes, first, count);
        first += count;
    }
}

/*
 * Cuts the tasks into runs of alike sibling leaves (a task that is alike
 * to no neighbour is a run of one), once per build: sharing out the rows
 * goes over the runs five times, and ten thousand tasks make few runs.
 */
static bool find_runs(tv_lanes *lanes)
{
    if (!reserve((void **)&lanes->runs, &lanes->runs_capacity, lanes->n_tasks,
                 sizeof *lanes->runs))
        return false;
    lanes->n_runs = 0;
    for (size_t i = 0; i < lanes->n_tasks;) {
        size_t n = run_length(lanes, i);
        lanes->runs[lanes->n_runs++] = n;
        i += n;
    }
    return true;
}

/*
 * Rows for each run of sibling leaves (runs of one are a task, not a run),
 * when `budget` rows are left for them: every run gets one, and the rest
 * are shared in proportion to what each run has beyond its first task.
 * Fills parts[] in the order the runs come; returns false when the runs
 * cannot even have a row each.
 */
static bool share_rows(const tv_lanes *lanes, size_t budget, size_t *parts)
{
    size_t runs = 0, tasks_in_runs = 0;
    for (size_t r = 0; r < lanes->n_runs; r++)
        if (lanes->runs[r] > 1)
            runs++, tasks_in_runs += lanes->runs[r];
    if (runs == 0 || budget < runs)
        return false;
    size_t extra = budget - runs, beyond = tasks_in_runs - runs, given = 0, k = 0;
    for (size_t r = 0; r < lanes->n_runs; r++) {
        size_t n = lanes->runs[r];
        if (n > 1) {
            parts[k] = 1 + (beyond ? extra * (n - 1) / beyond : 0);
            given += parts[k++];
        }
    }
    k = 0; /* rounding down left some rows over: the first runs get them */
    for (size_t r = 0; r < lanes->n_runs && given < budget; r++) {
        size_t n = lanes->runs[r];
        if (n > 1 && parts[k] < n)
            parts[k]++, given++;
        k += n > 1;
    }
    return true;
}

/* Lanes with runs of sibling leaves grouped to fit `rows`, if they can. */
static bool group_lanes(tv_lanes *lanes, size_t rows)
{
    if (!find_runs(lanes))
        return false;
    size_t singles = 0, runs = 0;
    for (size_t r = 0; r < lanes->n_runs; r++) {
        singles += lanes->runs[r] == 1;
        runs += lanes->runs[r] > 1;
    }
    size_t *parts = calloc(runs ? runs : 1, sizeof *parts);
    if (parts == NULL)
        return false;
    /* When not even one row per run fits, each run becomes one lane and
     * the lanes scroll. */
    if (rows < singles || !share_rows(lanes, rows - singles, parts))
        for (size_t k = 0; k < runs; k++)
            parts[k] = 1;
    size_t i = 0, k = 0;
    for (size_t r = 0; r < lanes->n_runs; r++) {
        size_t n = lanes->runs[r];
        if (n > 1)
            add_run(lanes, i, n, parts[k++]);
        else
            add_lane(lanes, i, 1);
        i += n;
    }
    free(parts);
    return true;
}

/*
 * Marks the last lane under each parent, for the tree's corner mark.  From
 * the bottom up, a lane is the last of its siblings if no lane of the same
 * depth came after it before a shallower one (its parent's level) did.
 */
static void mark_last_siblings(tv_lanes *lanes)
{
    bool seen[MAX_TRACKED_DEPTH] = {false};
    for (size_t i = lanes->n_lanes; i-- > 0;) {
        int depth = lanes->lanes[i].depth;
        if (depth >= MAX_TRACKED_DEPTH)
            depth = MAX_TRACKED_DEPTH - 1;
        lanes->lanes[i].last_sibling = !seen[depth];
        seen[depth] = true;
        for (int deeper = depth + 1; deeper < MAX_TRACKED_DEPTH; deeper++)
            seen[deeper] = false;
    }
}

/* Each collected task's section, for grouping and dividers. */
static bool find_sections(tv_lanes *lanes, const tv_model *model)
{
    if (!reserve((void **)&lanes->sections, &lanes->sections_capacity, lanes->n_tasks,
                 sizeof *lanes->sections))
        return false;
    for (size_t i = 0; i < lanes->n_tasks; i++)
        lanes->sections[i] = section_of(model, lanes->tasks[i]);
    return true;
}

int tv_lanes_build(tv_lanes *lanes, const tv_model *model, tv_time until,
                   size_t rows, bool group)
{
    lanes->names_compared = 0;
    if (!collect_tasks(lanes, model, until) || !find_sections(lanes, model))
        return -1;
    lanes->until = until;
    lanes->n_dividers = count_dividers(lanes);
    size_t most = lanes->n_tasks + lanes->n_dividers;
    if (!reserve((void **)&lanes->lanes, &lanes->lanes_capacity, most, sizeof *lanes->lanes) ||
        !reserve((void **)&lanes->scratch, &lanes->scratch_capacity, lanes->n_tasks,
                 sizeof *lanes->scratch) ||
        !reserve((void **)&lanes->section_starts, &lanes->starts_capacity, most,
                 sizeof *lanes->section_starts))
        return -1;
    lanes->n_lanes = 0;
    lanes->grouped = false;
    size_t task_rows = rows > lanes->n_dividers ? rows - lanes->n_dividers : 0;
    if (!group || lanes->n_tasks <= task_rows) {
        for (size_t i = 0; i < lanes->n_tasks; i++)
            add_lane(lanes, i, 1);
    } else {
        if (!find_kin(lanes))
            return -1;
        sort_runs_by_outcome(lanes);
        if (!group_lanes(lanes, task_rows))
            return -1;
    }
    insert_dividers(lanes);
    mark_last_siblings(lanes);
    return 0;
}

size_t tv_lanes_next_section(const tv_lanes *lanes, size_t from)
{
    for (size_t step = 1; step <= lanes->n_lanes; step++) {
        size_t i = (from + step) % lanes->n_lanes;
        if (lanes->lanes[i].divider && i + 1 < lanes->n_lanes)
            return i + 1;
    }
    return SIZE_MAX;
}

void tv_lanes_free(tv_lanes *lanes)
{
    for (size_t i = 0; i < lanes->memos_capacity; i++)
        tv_lane_memo_free(&lanes->memos[i]);
    free(lanes->memos);
    free(lanes->tasks);
    free(lanes->sections);
    free(lanes->scratch);
    free(lanes->section_starts);
    free(lanes->runs);
    free(lanes->kin_with_next);
    free(lanes->stems);
    free(lanes->lanes);
    *lanes = (tv_lanes){0};
}

tv_lane_memo *tv_lanes_memo(tv_lanes *lanes, size_t i)
{
    if (i >= lanes->memos_capacity) {
        size_t bigger = lanes->n_lanes > i ? lanes->n_lanes : i + 1;
        tv_lane_memo *memos = reallocarray(lanes->memos, bigger, sizeof *memos);
        if (memos == NULL)
            return NULL;
        memset(memos + lanes->memos_capacity, 0,
               (bigger - lanes->memos_capacity) * sizeof *memos);
        lanes->memos = memos;
        lanes->memos_capacity = bigger;
    }
    return &lanes->memos[i];
}

size_t tv_lanes_find(const tv_lanes *lanes, uint32_t task_id)
{
    for (size_t i = 0; i < lanes->n_lanes; i++) {
        const tv_lane *lane = &lanes->lanes[i];
        for (size_t k = lane->first; k < lane->first + lane->count; k++)
            if (lanes->tasks[k]->id == task_id)
                return i;
    }
    return SIZE_MAX;
}

const tv_task *tv_lane_task(const tv_lanes *lanes, const tv_lane *lane)
{
    return lanes->tasks[lane->first];
}
