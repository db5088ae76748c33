/*
 * screen_table.c -- the task table ('t'), and the side panel of a wide
 * screen: the run as numbers rather than a picture.
 *
 * The table has a row per task spawned by the playhead: its state then,
 * the time it has spent running, ready, sleeping and waiting so far, and
 * what it waits on -- the questions a timeline answers only by squinting.
 * 'c' sorts it by another column.  Under it, each resource with what the
 * trace says of its holders (a lock's owner; a semaphore's permits are
 * counted, not named) and the tasks waiting on it.
 *
 * The side panel, on a screen wide enough, shows how many tasks are in
 * each state and the resources' waiters, next to the lanes.
 */
#include "screen_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ----------------------------------------------------------------------- */
/* A task's numbers                                                         */
/* ----------------------------------------------------------------------- */

typedef struct task_row {
    const tv_task *task;
    size_t order;           /* its place in tree order                      */
    tv_time running, ready, sleeping, waiting;
    tv_state state;
    const tv_interval *now; /* the interval at the playhead, or NULL        */
} task_row;

/* Adds up a task's time per state from its spawn to `until`. */
static task_row measure(const tv_task *task, size_t order, tv_time until)
{
    task_row row = {.task = task, .order = order};
    for (size_t i = 0; i < task->n_intervals; i++) {
        const tv_interval *in = &task->intervals[i];
        tv_time t1 = in->t1 < until ? in->t1 : until;
        tv_time spent = t1 > in->t0 ? t1 - in->t0 : 0;
        if (in->state == TV_STATE_RUNNING)
            row.running += spent;
        else if (in->state == TV_STATE_READY)
            row.ready += spent;
        else if (in->wait == TV_WAIT_SLEEP)
            row.sleeping += spent;
        else
            row.waiting += spent;
    }
    row.state = tv_task_state_at(task, until, &row.now);
    return row;
}

/* "running", "ready", "sleeping", "done: ok", ... */
static const char *state_word(const task_row *r)
{
    switch (r->state) {
    case TV_STATE_READY: return "ready";
    case TV_STATE_RUNNING: return "running";
    case TV_STATE_WAITING: return r->now && r->now->wait == TV_WAIT_SLEEP ? "sleeping"
                                                                          : "waiting";
    case TV_STATE_DONE:
        return r->task->outcome.kind == TV_OUTCOME_OK ? "done: ok"
             : r->task->outcome.kind == TV_OUTCOME_ERROR ? "done: error"
             : r->task->outcome.kind == TV_OUTCOME_CANCELLED ? "cancelled" : "done";
    case TV_STATE_ABSENT: break;
    }
    return "";
}

/* "semaphore requests", "task fetch-3", "gather": what it waits on now. */
static void waits_on(const tv__painter *p, const task_row *r, char *text, size_t size)
{
    const tv_interval *in = r->now;
    char name[64];
    text[0] = '\0';
    if (r->state != TV_STATE_WAITING || in == NULL || in->wait == TV_WAIT_SLEEP)
        return;
    if (in->wait == TV_WAIT_TASK)
        snprintf(text, size, "task %s", tv__task_name(p->model, in->target, name, sizeof name));
    else
        snprintf(text, size, "%s%s%s", in->on ? in->on : "?", in->resource ? " " : "",
                 in->resource ? in->resource : "");
}

/* ----------------------------------------------------------------------- */
/* Sorting                                                                  */
/* ----------------------------------------------------------------------- */

static int state_rank(tv_state s)
{
    return s == TV_STATE_RUNNING ? 0 : s == TV_STATE_READY ? 1 : s == TV_STATE_WAITING ? 2 : 3;
}

static int by_column(const void *a, const void *b, void *sort)
{
    const task_row *x = a, *y = b;
    tv_time dx = 0, dy = 0;
    switch (*(const tv_sort *)sort) {
    case TV_SORT_RUNNING: dx = x->running, dy = y->running; break;
    case TV_SORT_WAITING: dx = x->waiting, dy = y->waiting; break;
    case TV_SORT_SLEEPING: dx = x->sleeping, dy = y->sleeping; break;
    case TV_SORT_STATE: dx = -state_rank(x->state), dy = -state_rank(y->state); break;
    case TV_SORT_LANES:
    case TV_SORT_COUNT: break;
    }
    if (dx != dy)
        return dx > dy ? -1 : 1; /* most first */
    return x->order < y->order ? -1 : x->order > y->order;
}

static const char *sort_name(tv_sort sort)
{
    static const char *const names[TV_SORT_COUNT] = {
        [TV_SORT_LANES] = "tree order", [TV_SORT_RUNNING] = "most running",
        [TV_SORT_WAITING] = "most waiting", [TV_SORT_SLEEPING] = "most sleeping",
        [TV_SORT_STATE] = "state"};
    return sort < TV_SORT_COUNT ? names[sort] : "";
}

/* The tasks spawned by the playhead, measured and sorted; NULL if out of memory. */
static task_row *table_rows(const tv__painter *p, size_t *count)
{
    const tv_model *m = p->model;
    task_row *rows = calloc(m->n_tasks ? m->n_tasks : 1, sizeof *rows);
    *count = 0;
    if (rows == NULL)
        return NULL;
    for (size_t i = 0; i < m->n_tasks; i++) {
        const tv_task *task = &m->tasks[m->tree_order[i]];
        if (task->spawned <= p->view->playhead)
            rows[(*count)++] = measure(task, i, p->view->playhead);
    }
    tv_sort sort = p->view->sort;
    qsort_r(rows, *count, sizeof *rows, by_column, &sort);
    return rows;
}

/* ----------------------------------------------------------------------- */
/* Resources: holders and waiters                                          */
/* ----------------------------------------------------------------------- */

/* "request-12, request-13 +598": the tasks waiting on `r` at the playhead. */
static int waiters_of(const tv__painter *p, const tv_resource *r, char *text, size_t size)
{
    int n = 0;
    size_t used = 0;
    text[0] = '\0';
    for (size_t i = 0; i < p->model->n_tasks; i++) {
        const tv_task *task = &p->model->tasks[i];
        const tv_interval *in;
        if (tv_task_state_at(task, p->view->playhead, &in) != TV_STATE_WAITING || in == NULL ||
            in->resource == NULL || strcmp(in->resource, r->name) != 0 || in->on == NULL ||
            strcmp(in->on, r->kind) != 0)
            continue;
        if (n++ < 3 && used + strlen(task->name) + 3 < size)
            used += (size_t)snprintf(text + used, size - used, "%s%s", n > 1 ? ", " : "",
                                     task->name);
    }
    if (n > 3)
        snprintf(text + used, size - used, " +%d", n - 3);
    return n;
}

/* "held by worker-0", "3/5 permits in use", "2 queued": who holds it. */
static void holders_of(const tv__painter *p, const tv_resource *r,
                       const tv_resource_sample *s, char *text, size_t size)
{
    char name[64];
    if (strcmp(r->kind, "lock") == 0)
        snprintf(text, size, "%s%s", s->level ? "held by " : "free",
                 s->level ? tv__task_name(p->model, s->owner, name, sizeof name) : "");
    else if (strcmp(r->kind, "semaphore") == 0)
        snprintf(text, size, "%lld of %lld permits held", (long long)s->level,
                 (long long)s->capacity);
    else if (strcmp(r->kind, "queue") == 0)
        snprintf(text, size, "%lld item%s queued", (long long)s->level,
                 s->level == 1 ? "" : "s");
    else if (strcmp(r->kind, "event") == 0)
        snprintf(text, size, "%s", s->level ? "set" : "clear");
    else
        snprintf(text, size, "level %lld", (long long)s->level);
}

/* Two lines per resource from row y on; returns the rows used. */
static int draw_resource_details(const tv__painter *p, tv_rect r, int y)
{
    int used = 0;
    for (size_t i = 0; i < p->model->n_resources && y + used + 1 < r.y + r.height; i++) {
        const tv_resource *res = &p->model->resources[i];
        const tv_resource_sample *s = tv_resource_at(res, p->view->playhead);
        if (s == NULL)
            continue;
        char holders[160], waiters[200];
        holders_of(p, res, s, holders, sizeof holders);
        int n = waiters_of(p, res, waiters, sizeof waiters);
        tv_grid_printf(p->grid, r.x, y + used, r.width, TV_STYLE_NORMAL, "%s %s: %s",
                       res->kind, res->name, holders);
        tv_grid_printf(p->grid, r.x + 2, y + used + 1, r.width - 2,
                       n ? TV_STYLE_RESOURCE : TV_STYLE_DIM, "%d waiting%s%s", n,
                       n ? ": " : "", waiters);
        used += 2;
    }
    return used;
}

/* ----------------------------------------------------------------------- */
/* The table                                                                */
/* ----------------------------------------------------------------------- */

static void seconds(char *text, size_t size, tv_time t)
{
    tv__format_time(text, size, t);
}

void tv__draw_task_table(const tv__painter *p)
{
    const tv_rect area = {p->layout->ruler.x, p->layout->ruler.y, p->layout->lanes.width,
                          p->layout->lanes.height + 1};
    tv_grid_fill(p->grid, area.x, area.y, area.width, area.height, ' ', TV_STYLE_NORMAL);
    size_t count;
    task_row *rows = table_rows(p, &count);
    if (rows == NULL)
        return;
    int name = p->layout->name_width;
    int resource_rows = 0;
    for (size_t i = 0; i < p->model->n_resources; i++)
        resource_rows += 2;
    if (resource_rows > area.height / 2)
        resource_rows = area.height / 2;
    int task_rows = area.height - 1 - resource_rows - (resource_rows > 0);
    int header = tv_grid_printf(p->grid, area.x, area.y, area.width, TV_STYLE_HEADING,
                   "%-*s %-12s %9s %9s %9s %9s  %s", name, "task (c: sort)", "state", "running",
                   "ready", "sleeping", "waiting", "waits on");
    const char *sorted = sort_name(p->view->sort);
    int sorted_width = tv_text_columns(sorted);
    if (header + sorted_width + 2 <= area.width)
        tv_grid_text(p->grid, area.x + area.width - sorted_width - 1, area.y, sorted_width,
                     TV_STYLE_DIM, sorted);
    /* The last row says how many more there are, when they do not all fit. */
    size_t room = task_rows > 0 ? (size_t)task_rows : 0, shown = 0;
    if (count > room && room > 0)
        room--;
    for (size_t i = 0; i < count && shown < room; i++, shown++) {
        const task_row *r = &rows[i];
        char run[TV_SECONDS_BYTES], ready[TV_SECONDS_BYTES], sleep[TV_SECONDS_BYTES];
        char wait[TV_SECONDS_BYTES], on[160];
        seconds(run, sizeof run, r->running);
        seconds(ready, sizeof ready, r->ready);
        seconds(sleep, sizeof sleep, r->sleeping);
        seconds(wait, sizeof wait, r->waiting);
        waits_on(p, r, on, sizeof on);
        int y = area.y + 1 + (int)shown;
        tv_grid_text(p->grid, area.x, y, name, TV_STYLE_NORMAL, r->task->name);
        tv_grid_printf(p->grid, area.x + name + 1, y, area.width - name - 1, TV_STYLE_NORMAL,
                       "%-12s %9s %9s %9s %9s  %s", state_word(r), run, ready, sleep, wait, on);
        if (r->task->id == p->view->selected)
            tv_grid_restyle(p->grid, area.x, y, name, TV_STYLE_SELECTED);
    }
    if (shown < count && task_rows > 0)
        tv_grid_printf(p->grid, area.x, area.y + 1 + (int)shown, area.width, TV_STYLE_DIM,
                       "... and %zu more tasks (c sorts by another column)", count - shown);
    free(rows);
    if (resource_rows > 0) {
        tv_rect r = {area.x, area.y + 1 + task_rows, area.width, resource_rows + 1};
        tv_grid_fill(p->grid, r.x, r.y, r.width, 1, p->glyphs->horizontal, TV_STYLE_BORDER);
        tv_grid_text(p->grid, r.x + 2, r.y, 40, TV_STYLE_HEADING, " holders and waiters ");
        draw_resource_details(p, (tv_rect){r.x, r.y + 1, r.width, resource_rows}, r.y + 1);
    }
}

/* ----------------------------------------------------------------------- */
/* The side panel                                                           */
/* ----------------------------------------------------------------------- */

/*
 * How many tasks spawned by the playhead are in each state, and how those
 * done ended.  The panel shows only these counts, so it asks each task its
 * state and nothing more: the table's per-task times and its sorting would
 * be all of a frame's work with ten thousand tasks.
 */
static size_t count_states(const tv__painter *p, size_t in_state[5], size_t outcomes[4])
{
    size_t count = 0;
    for (size_t i = 0; i < p->model->n_tasks; i++) {
        const tv_task *task = &p->model->tasks[i];
        if (task->spawned > p->view->playhead)
            continue;
        tv_state state = tv_task_state_at(task, p->view->playhead, NULL);
        in_state[state]++;
        if (state == TV_STATE_DONE)
            outcomes[task->outcome.kind]++;
        count++;
    }
    return count;
}

void tv__draw_side_panel(const tv__painter *p)
{
    tv_rect inside = tv__draw_box(p, p->layout->side, "now");
    size_t in_state[5] = {0}, outcomes[4] = {0};
    size_t count = count_states(p, in_state, outcomes);
    int y = inside.y;
    tv_grid_printf(p->grid, inside.x, y++, inside.width, TV_STYLE_NORMAL,
                   "%zu tasks: %zu running, %zu ready, %zu waiting", count,
                   in_state[TV_STATE_RUNNING], in_state[TV_STATE_READY],
                   in_state[TV_STATE_WAITING]);
    tv_grid_printf(p->grid, inside.x, y++, inside.width, TV_STYLE_NORMAL,
                   "%zu done: %zu ok, %zu error, %zu cancelled", in_state[TV_STATE_DONE],
                   outcomes[TV_OUTCOME_OK], outcomes[TV_OUTCOME_ERROR],
                   outcomes[TV_OUTCOME_CANCELLED]);
    y++;
    if (p->model->n_resources == 0) {
        tv_grid_text(p->grid, inside.x, y, inside.width, TV_STYLE_DIM, "no resources");
        return;
    }
    tv_rect rest = {inside.x, y, inside.width, inside.y + inside.height - y};
    draw_resource_details(p, rest, y);
}
