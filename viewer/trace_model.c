/*
 * trace_model.c -- the questions a loaded trace answers, and freeing it.
 *
 * Loading lives in trace_feed.c and trace_events.c.  Everything here only
 * reads the model, so any number of renderers may ask their questions of
 * the same model.
 */
#include "trace_model.h"

#include <stdlib.h>
#include <string.h>

const tv_task *tv_model_task(const tv_model *model, uint32_t id)
{
    size_t low = 0, high = model->n_tasks; /* the tasks are sorted by id */
    while (low < high) {
        size_t middle = low + (high - low) / 2;
        if (model->tasks[middle].id == id)
            return &model->tasks[middle];
        if (model->tasks[middle].id < id)
            low = middle + 1;
        else
            high = middle;
    }
    return NULL;
}

const tv_section *tv_model_section(const tv_model *model, const char *name)
{
    for (size_t i = 0; i < model->n_sections; i++)
        if (strcmp(model->sections[i].name, name) == 0)
            return &model->sections[i];
    return NULL;
}

tv_section tv_model_window(tv_time t0, tv_time t1)
{
    return (tv_section){
        .name = NULL, .t0 = t0, .t1 = t1, .line0 = 0, .line1 = SIZE_MAX,
        .closed = true};
}

tv_section tv_model_whole_run(const tv_model *model)
{
    return tv_model_window(0, model->end);
}

/* The index of the last interval that starts at or before t, or -1. */
static ptrdiff_t last_interval_from(const tv_task *task, tv_time t)
{
    size_t low = 0, high = task->n_intervals;
    while (low < high) { /* first interval starting after t */
        size_t middle = low + (high - low) / 2;
        if (task->intervals[middle].t0 <= t)
            low = middle + 1;
        else
            high = middle;
    }
    return (ptrdiff_t)low - 1;
}

tv_state tv_task_state_at(const tv_task *task, tv_time t,
                          const tv_interval **interval)
{
    const tv_interval *found = NULL;
    tv_state state;

    /* Absent and done are answered without a search: a view of a long run
     * asks this of thousands of tasks, most of them long done. */
    if (task->n_intervals == 0 || t < task->intervals[0].t0)
        state = TV_STATE_ABSENT;
    else if (task->outcome.kind != TV_OUTCOME_NONE && t >= task->outcome.t)
        state = TV_STATE_DONE;
    else
        found = &task->intervals[last_interval_from(task, t)], state = found->state;
    if (interval != NULL)
        *interval = found;
    return state;
}

/*
 * Whether a task lived during the section.  Lines decide first (see the
 * header); times decide too, for windows that are not sections and so span
 * every line.
 */
static bool lives_in(const tv_task *task, const tv_section *section, tv_time end)
{
    bool finished = task->outcome.kind != TV_OUTCOME_NONE;
    tv_time last_seen = finished ? task->outcome.t : end;
    return task->spawn_line < section->line1 &&
           task->finish_line > section->line0 &&
           task->spawned <= section->t1 && last_seen >= section->t0;
}

size_t tv_model_section_tasks(const tv_model *model, const tv_section *section,
                              const tv_task **tasks, size_t max)
{
    size_t count = 0;
    for (size_t i = 0; i < model->n_tasks; i++) {
        const tv_task *task = &model->tasks[model->tree_order[i]];
        if (!lives_in(task, section, model->end))
            continue;
        if (count < max)
            tasks[count] = task;
        count++;
    }
    return count;
}

const char *tv_state_name(tv_state state)
{
    switch (state) {
    case TV_STATE_ABSENT: return "absent";
    case TV_STATE_READY: return "ready";
    case TV_STATE_RUNNING: return "running";
    case TV_STATE_WAITING: return "waiting";
    case TV_STATE_DONE: return "done";
    }
    return "unknown";
}

const tv_resource *tv_model_resource(const tv_model *model, const char *kind,
                                     const char *name)
{
    for (size_t i = 0; i < model->n_resources; i++)
        if (strcmp(model->resources[i].kind, kind) == 0 &&
            strcmp(model->resources[i].name, name) == 0)
            return &model->resources[i];
    return NULL;
}

const tv_resource_sample *tv_resource_at(const tv_resource *resource, tv_time t)
{
    size_t low = 0, high = resource->n_samples;
    while (low < high) { /* first sample taken after t */
        size_t middle = low + (high - low) / 2;
        if (resource->samples[middle].t <= t)
            low = middle + 1;
        else
            high = middle;
    }
    return low > 0 ? &resource->samples[low - 1] : NULL;
}

size_t tv_model_notes_until(const tv_model *model, tv_time t)
{
    size_t low = 0, high = model->n_notes;
    while (low < high) { /* first note after t: notes are in time order */
        size_t middle = low + (high - low) / 2;
        if (model->notes[middle].t <= t)
            low = middle + 1;
        else
            high = middle;
    }
    return low;
}

static void free_task(tv_task *task)
{
    free(task->name);
    free(task->intervals);
    free(task->outcome.message);
    free(task->outcome.origin);
}

void tv_model_free(tv_model *model)
{
    if (model == NULL)
        return;
    for (size_t i = 0; i < model->n_tasks; i++)
        free_task(&model->tasks[i]);
    for (size_t i = 0; i < model->n_marks; i++)
        free(model->marks[i].text);
    for (size_t i = 0; i < model->n_sections; i++)
        free(model->sections[i].name);
    for (size_t i = 0; i < model->n_diagnostics; i++)
        free(model->diagnostics[i].message);
    for (size_t i = 0; i < model->n_wait_names; i++)
        free(model->wait_names[i]);
    for (size_t i = 0; i < model->n_resources; i++) {
        free(model->resources[i].kind);
        free(model->resources[i].name);
        free(model->resources[i].samples);
    }
    free(model->resources);
    free(model->notes);
    free(model->tasks);
    free(model->marks);
    free(model->sections);
    free(model->cancels);
    free(model->slows);
    free(model->diagnostics);
    free(model->wait_names);
    free(model->tree_order);
    free(model);
}
