/*
 * lanes.h -- which rows a timeline shows at a moment, and in what order.
 *
 * A lane is a row of the live timeline: one task, or -- when there are more
 * tasks than rows -- a group of sibling tasks drawn as one.  Lanes come in
 * tree order (children under their parent) and include only the tasks
 * spawned by the playhead, so lanes appear as the run unfolds.
 *
 * Grouping keeps the shape of a run visible at any size.  A thousand
 * fetches spawned by main cannot have a row each on a 40-line terminal, but
 * forty groups of twenty-five can: a staircase of sequential awaits, or the
 * blocks a semaphore lets through, still show.  Only runs of sibling leaves
 * (tasks with no children of their own, next to each other in tree order)
 * are grouped, so a parent and its subtree always stay readable, and the
 * rows are shared out among the runs in proportion to their sizes.  When
 * even that does not fit, the lanes scroll.
 *
 * A group never mixes what a reader must tell apart: tasks spawned in
 * different sections of the run (the marks "section NAME"), tasks that
 * ended differently (ok, error, cancelled, or not yet), or tasks whose names
 * differ in more than a final number ("job-3" and "request-7").  Where a
 * new section starts, a divider lane names it.
 */
#ifndef TV_LANES_H
#define TV_LANES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lane_memo.h"
#include "trace_model.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tv_lane {
    size_t first;      /* its first task: lanes->tasks[first]               */
    size_t count;      /* 1 for a task; more for a group of siblings        */
    int depth;         /* of its tasks in the tree: 0 for main              */
    bool last_sibling; /* no lane under the same parent follows it          */
    bool divider;      /* no task: the start of section `section`; `first`  */
                       /* is then the first task of the lane after it       */
    size_t section;    /* the model's section its tasks were spawned in,    */
                       /* or SIZE_MAX for none                              */
} tv_lane;

/* Whether the names of two neighbouring tasks, by their ids, have one stem. */
typedef struct tv_stem_answer {
    uint32_t id, next_id; /* 0: no answer yet (task ids start at 1)          */
    bool same;
} tv_stem_answer;

typedef struct tv_lanes {
    const tv_task **tasks; /* the tasks spawned by then, in tree order      */
    size_t n_tasks;
    tv_lane *lanes;
    size_t n_lanes;
    bool grouped;          /* some lanes stand for several tasks            */
    size_t n_dividers;     /* lanes that only name a section                */
    tv_lane_memo *memos;   /* per lane, for the renderer (lane_memo.h)      */
    /* Bookkeeping: the tasks' sections, whether each is kin to the next,
     * the lengths of the runs of alike tasks, scratch, the time built for. */
    size_t *sections, *section_starts, *runs;
    bool *kin_with_next;
    size_t n_runs;
    /* Kept from build to build: per place in tree order, whether the names
     * there and at the next place have one stem (lanes.c says why). */
    tv_stem_answer *stems;
    size_t names_compared; /* pairs of names the last build had to compare */
    const tv_task **scratch;
    tv_time until;
    size_t tasks_capacity, lanes_capacity, memos_capacity, sections_capacity;
    size_t starts_capacity, scratch_capacity, runs_capacity, kin_capacity;
    size_t stems_capacity;
} tv_lanes;

/*
 * Builds the lanes of `model` at time `until` into `lanes` (zeroed the first
 * time, reused after): one per task when they fit in `rows` or `group` is
 * false, else with runs of sibling leaves grouped as described above.  The
 * task pointers are good while the model does not change.  Returns 0, or -1
 * when out of memory.
 *
 * What `lanes` keeps between builds (the memos, the names compared) is of
 * one model's tasks, known by their ids: build it again only for the same
 * model, as it grows, and tv_lanes_free() it before building for another.
 */
int tv_lanes_build(tv_lanes *lanes, const tv_model *model, tv_time until,
                   size_t rows, bool group);

/* Frees what tv_lanes_build() allocated; the struct can be built again. */
void tv_lanes_free(tv_lanes *lanes);

/* The index of the lane that shows the task with this id, or SIZE_MAX. */
size_t tv_lanes_find(const tv_lanes *lanes, uint32_t task_id);

/*
 * The index of the first task lane of the section after the one lane `from`
 * is in (the first section again after the last), or SIZE_MAX when there
 * are no sections.
 */
size_t tv_lanes_next_section(const tv_lanes *lanes, size_t from);

/* The lane's first task (for a divider: the first task of the next lane). */
const tv_task *tv_lane_task(const tv_lanes *lanes, const tv_lane *lane);

/*
 * The memo of lane i, kept from frame to frame by position; the memo itself
 * notices when the lane at that position stands for other tasks.
 */
tv_lane_memo *tv_lanes_memo(tv_lanes *lanes, size_t i);

#ifdef __cplusplus
}
#endif

#endif /* TV_LANES_H */
