/*
 * test_trace_model.c -- loading traces and asking the model questions.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include <cmocka.h>

#include "trace_fixtures.h"
#include "trace_model.h"

#define SECONDS(s) ((tv_time)((s) * TV_USEC_PER_SEC + 0.5))

static const tv_task *task_named(const tv_model *m, const char *name)
{
    for (size_t i = 0; i < m->n_tasks; i++)
        if (strcmp(m->tasks[i].name, name) == 0)
            return &m->tasks[i];
    fail_msg("no task named %s", name);
    return NULL;
}

/* ----------------------------------------------------------------------- */
/* Tasks, states and outcomes                                               */
/* ----------------------------------------------------------------------- */

static void test_loads_tasks_clock_and_end(void **state)
{
    (void)state;
    tv_model *m = load_trace(GATHER_TRACE);
    assert_non_null(m);
    assert_int_equal(m->n_diagnostics, 0);
    assert_int_equal(m->version, 1);
    assert_int_equal(m->clock, TV_CLOCK_VIRTUAL);
    assert_true(m->ended);
    assert_int_equal(m->end, SECONDS(0.6));
    assert_int_equal(m->n_lines, 31);

    assert_int_equal(m->n_tasks, 4);
    const tv_task *main_task = tv_model_task(m, 1);
    const tv_task *fetch1 = tv_model_task(m, 3);
    assert_string_equal(main_task->name, "main");
    assert_int_equal(main_task->parent, 0);
    assert_int_equal(main_task->depth, 0);
    assert_string_equal(fetch1->name, "fetch-1");
    assert_int_equal(fetch1->parent, 1);
    assert_int_equal(fetch1->depth, 1);
    assert_null(tv_model_task(m, 5));
    tv_model_free(m);
}

static void test_state_at_times(void **state)
{
    (void)state;
    tv_model *m = load_trace(GATHER_TRACE);
    const tv_task *fetch0 = task_named(m, "fetch-0");
    const tv_task *main_task = task_named(m, "main");
    const tv_interval *interval;

    /* At 0 fetch-0 was spawned, ran and went to sleep: the last one counts. */
    assert_int_equal(tv_task_state_at(fetch0, 0, &interval), TV_STATE_WAITING);
    assert_int_equal(interval->wait, TV_WAIT_SLEEP);
    assert_string_equal(interval->on, "sleep");
    assert_int_equal(tv_task_state_at(fetch0, SECONDS(0.25), NULL), TV_STATE_WAITING);
    assert_int_equal(tv_task_state_at(fetch0, SECONDS(0.5) - 1, NULL), TV_STATE_WAITING);
    assert_int_equal(tv_task_state_at(fetch0, SECONDS(0.5), &interval), TV_STATE_DONE);
    assert_null(interval);
    assert_int_equal(tv_task_state_at(fetch0, -1, NULL), TV_STATE_ABSENT);

    assert_int_equal(tv_task_state_at(main_task, SECONDS(0.3), &interval),
                     TV_STATE_WAITING);
    assert_int_equal(interval->wait, TV_WAIT_GATHER);
    assert_int_equal(tv_task_state_at(main_task, SECONDS(0.55), &interval),
                     TV_STATE_WAITING);
    assert_int_equal(interval->wait, TV_WAIT_SLEEP);
    assert_int_equal(tv_task_state_at(main_task, SECONDS(0.6), NULL), TV_STATE_DONE);
    tv_model_free(m);
}

static void test_intervals_are_back_to_back(void **state)
{
    (void)state;
    tv_model *m = load_trace(GATHER_TRACE);
    const tv_task *fetch0 = task_named(m, "fetch-0");
    /* ready, running, sleep [0, 0.5), ready, running; then done at 0.5 */
    static const tv_state expected[] = {TV_STATE_READY, TV_STATE_RUNNING,
                                        TV_STATE_WAITING, TV_STATE_READY,
                                        TV_STATE_RUNNING};
    assert_int_equal(fetch0->n_intervals, 5);
    for (size_t i = 0; i < fetch0->n_intervals; i++) {
        assert_int_equal(fetch0->intervals[i].state, expected[i]);
        if (i > 0)
            assert_int_equal(fetch0->intervals[i].t0, fetch0->intervals[i - 1].t1);
    }
    assert_int_equal(fetch0->intervals[2].t0, 0);
    assert_int_equal(fetch0->intervals[2].t1, SECONDS(0.5));
    assert_int_equal(fetch0->intervals[4].t1, fetch0->outcome.t);
    tv_model_free(m);
}

static void test_outcomes(void **state)
{
    (void)state;
    tv_model *m = load_trace(GATHER_TRACE);
    const tv_outcome *ok = &task_named(m, "fetch-1")->outcome;
    const tv_outcome *failed = &task_named(m, "fetch-2")->outcome;

    assert_int_equal(ok->kind, TV_OUTCOME_OK);
    assert_int_equal(ok->value, 1);
    assert_int_equal(ok->t, SECONDS(0.5));
    assert_int_equal(failed->kind, TV_OUTCOME_ERROR);
    assert_int_equal(failed->code, -100);
    assert_string_equal(failed->message, "item-2: connection refused");
    assert_string_equal(failed->origin, "fetch-2");
    tv_model_free(m);
}

static void test_cancel_and_wake_status(void **state)
{
    (void)state;
    tv_model *m = load_trace(
        "{'t':0,'ev':'spawn','task':1,'name':'main','parent':0}\n"
        "{'t':0,'ev':'spawn','task':2,'name':'slow','parent':1}\n"
        "{'t':0,'ev':'run','task':2}\n"
        "{'t':0,'ev':'wait','task':2,'on':'sleep'}\n"
        "{'t':0.2,'ev':'cancel','task':2,'by':1}\n"
        "{'t':0.2,'ev':'wake','task':2,'status':-1}\n"
        "{'t':0.2,'ev':'run','task':2}\n"
        "{'t':0.2,'ev':'done','task':2,'outcome':'cancelled'}\n"
        "{'t':0.2,'ev':'end'}\n");
    assert_int_equal(m->n_diagnostics, 0);
    assert_int_equal(m->n_cancels, 1);
    assert_int_equal(m->cancels[0].task, 2);
    assert_int_equal(m->cancels[0].by, 1);
    assert_int_equal(m->cancels[0].t, SECONDS(0.2));
    const tv_task *slow = task_named(m, "slow");
    assert_int_equal(slow->outcome.kind, TV_OUTCOME_CANCELLED);
    assert_int_equal(slow->intervals[3].state, TV_STATE_READY);
    assert_int_equal(slow->intervals[3].wake_status, -1);
    tv_model_free(m);
}

static void test_tree_order_puts_children_under_parents(void **state)
{
    (void)state;
    /* b is spawned before a's child, but the child still comes after a. */
    tv_model *m = load_trace(
        "{'t':0,'ev':'spawn','task':1,'name':'main','parent':0}\n"
        "{'t':0,'ev':'spawn','task':2,'name':'a','parent':1}\n"
        "{'t':0,'ev':'spawn','task':3,'name':'b','parent':1}\n"
        "{'t':0,'ev':'spawn','task':4,'name':'a.child','parent':2}\n"
        "{'t':0,'ev':'spawn','task':5,'name':'a.grandchild','parent':4}\n"
        "{'t':0,'ev':'end'}\n");
    static const char *const expected[] = {"main", "a", "a.child",
                                           "a.grandchild", "b"};
    for (size_t i = 0; i < 5; i++)
        assert_string_equal(m->tasks[m->tree_order[i]].name, expected[i]);
    assert_int_equal(task_named(m, "a.grandchild")->depth, 3);
    tv_model_free(m);
}

static void test_other_waits_keep_their_name(void **state)
{
    (void)state;
    tv_model *m = load_trace(
        "{'t':0,'ev':'spawn','task':1,'name':'main','parent':0}\n"
        "{'t':0,'ev':'spawn','task':2,'name':'worker','parent':1}\n"
        "{'t':0,'ev':'wait','task':2,'on':'semaphore','target':0}\n"
        "{'t':0.1,'ev':'wake','task':2,'status':0}\n"
        "{'t':0.1,'ev':'wait','task':1,'on':'task','target':2}\n"
        "{'t':0.2,'ev':'end'}\n");
    const tv_interval *interval;
    tv_task_state_at(task_named(m, "worker"), SECONDS(0.05), &interval);
    assert_int_equal(interval->wait, TV_WAIT_OTHER);
    assert_string_equal(interval->on, "semaphore");
    tv_task_state_at(task_named(m, "main"), SECONDS(0.15), &interval);
    assert_int_equal(interval->wait, TV_WAIT_TASK);
    assert_int_equal(interval->target, 2);
    tv_model_free(m);
}

/* ----------------------------------------------------------------------- */
/* Sections                                                                 */
/* ----------------------------------------------------------------------- */

/*
 * Two sections back to back at t = 0.2, then one that is never closed.  The
 * tasks of "parallel" are spawned at the very instant "sequential" ends.
 */
static const char SECTIONS_TRACE[] =
    "{'ev':'start','version':1,'clock':'virtual'}\n"
    "{'t':0,'ev':'spawn','task':1,'name':'main','parent':0}\n"
    "{'t':0,'ev':'run','task':1}\n"
    "{'t':0,'ev':'mark','text':'section sequential'}\n"
    "{'t':0,'ev':'spawn','task':2,'name':'seq-0','parent':1}\n"
    "{'t':0,'ev':'wait','task':1,'on':'task','target':2}\n"
    "{'t':0,'ev':'run','task':2}\n"
    "{'t':0,'ev':'wait','task':2,'on':'sleep'}\n"
    "{'t':0.2,'ev':'wake','task':2,'status':0}\n"
    "{'t':0.2,'ev':'run','task':2}\n"
    "{'t':0.2,'ev':'done','task':2,'outcome':'ok','value':0}\n"
    "{'t':0.2,'ev':'wake','task':1,'status':0}\n"
    "{'t':0.2,'ev':'run','task':1}\n"
    "{'t':0.2,'ev':'mark','text':'section-end sequential'}\n"
    "{'t':0.2,'ev':'mark','text':'section parallel'}\n"
    "{'t':0.2,'ev':'spawn','task':3,'name':'par-0','parent':1}\n"
    "{'t':0.2,'ev':'spawn','task':4,'name':'par-1','parent':1}\n"
    "{'t':0.2,'ev':'wait','task':1,'on':'gather','target':0}\n"
    "{'t':0.3,'ev':'done','task':3,'outcome':'ok','value':0}\n"
    "{'t':0.3,'ev':'done','task':4,'outcome':'ok','value':0}\n"
    "{'t':0.3,'ev':'wake','task':1,'status':0}\n"
    "{'t':0.3,'ev':'run','task':1}\n"
    "{'t':0.3,'ev':'mark','text':'section-end parallel'}\n"
    "{'t':0.3,'ev':'mark','text':'section cleanup'}\n"
    "{'t':0.4,'ev':'mark','text':'just a note'}\n"
    "{'t':0.5,'ev':'end'}\n";

static void test_sections_from_marks(void **state)
{
    (void)state;
    tv_model *m = load_trace(SECTIONS_TRACE);
    assert_int_equal(m->n_diagnostics, 0);
    assert_int_equal(m->n_marks, 6);
    assert_int_equal(m->n_sections, 3);

    const tv_section *sequential = tv_model_section(m, "sequential");
    assert_ptr_equal(sequential, &m->sections[0]);
    assert_int_equal(sequential->t0, 0);
    assert_int_equal(sequential->t1, SECONDS(0.2));
    assert_true(sequential->closed);

    const tv_section *parallel = tv_model_section(m, "parallel");
    assert_int_equal(parallel->t0, SECONDS(0.2));
    assert_int_equal(parallel->t1, SECONDS(0.3));

    /* Never closed: runs to the end of the trace. */
    const tv_section *cleanup = tv_model_section(m, "cleanup");
    assert_false(cleanup->closed);
    assert_int_equal(cleanup->t0, SECONDS(0.3));
    assert_int_equal(cleanup->t1, SECONDS(0.5));
    assert_null(tv_model_section(m, "just a note"));
    tv_model_free(m);
}

static void test_sections_of_the_same_name_nest(void **state)
{
    (void)state;
    /* A section-end closes the latest open section of its name. */
    tv_model *m = load_trace(
        "{'t':0,'ev':'mark','text':'section retry'}\n"
        "{'t':0.1,'ev':'mark','text':'section retry'}\n"
        "{'t':0.2,'ev':'mark','text':'section-end retry'}\n"
        "{'t':0.3,'ev':'mark','text':'section-end retry'}\n"
        "{'t':0.4,'ev':'mark','text':'section-end retry'}\n"
        "{'t':0.5,'ev':'end'}\n");
    assert_int_equal(m->n_sections, 2);
    assert_int_equal(m->sections[0].t0, 0);
    assert_int_equal(m->sections[0].t1, SECONDS(0.3));
    assert_int_equal(m->sections[1].t0, SECONDS(0.1));
    assert_int_equal(m->sections[1].t1, SECONDS(0.2));
    /* The third section-end has nothing left to close. */
    assert_int_equal(m->n_diagnostics, 1);
    assert_int_equal(m->diagnostics[0].line, 5);
    tv_model_free(m);
}

static void assert_section_tasks(const tv_model *m, const char *section,
                                 const char *const *names, size_t n)
{
    const tv_task *tasks[8];
    size_t count = tv_model_section_tasks(m, tv_model_section(m, section), tasks, 8);
    assert_int_equal(count, n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(tasks[i]->name, names[i]);
}

static void test_tasks_in_a_section(void **state)
{
    (void)state;
    tv_model *m = load_trace(SECTIONS_TRACE);
    static const char *const sequential[] = {"main", "seq-0"};
    static const char *const parallel[] = {"main", "par-0", "par-1"};
    static const char *const cleanup[] = {"main"};

    /* par-0 and par-1 start at t = 0.2, when "sequential" ends, yet only
     * belong to "parallel"; seq-0 ends at 0.2 but only in "sequential". */
    assert_section_tasks(m, "sequential", sequential, 2);
    assert_section_tasks(m, "parallel", parallel, 3);
    assert_section_tasks(m, "cleanup", cleanup, 1);

    /* Asking with too small an array says how many there are. */
    const tv_task *first;
    assert_int_equal(tv_model_section_tasks(m, tv_model_section(m, "parallel"),
                                            &first, 1), 3);
    assert_string_equal(first->name, "main");
    tv_section whole = tv_model_whole_run(m);
    assert_int_equal(tv_model_section_tasks(m, &whole, NULL, 0), 4);
    tv_section late = tv_model_window(SECONDS(0.25), SECONDS(0.5));
    assert_int_equal(tv_model_section_tasks(m, &late, NULL, 0), 3);
    tv_model_free(m);
}

/* ----------------------------------------------------------------------- */
/* Bad and broken traces                                                    */
/* ----------------------------------------------------------------------- */

static void test_malformed_lines_are_reported_and_skipped(void **state)
{
    (void)state;
    tv_model *m = load_trace(
        "{'ev':'start','version':1,'clock':'virtual'}\n"             /* 1 */
        "{'t':0,'ev':'spawn','task':1,'name':'main','parent':0}\n"   /* 2 */
        "this is not json\n"                                         /* 3 */
        "[1, 2, 3]\n"                                                /* 4 */
        "{'t':0,'task':1}\n"                                         /* 5 */
        "{'t':0,'ev':7}\n"                                           /* 6 */
        "{'t':0,'ev':'run','task':'one'}\n"                          /* 7 */
        "{'t':'soon','ev':'run','task':1}\n"                         /* 8 */
        "\n"                                                         /* 9 */
        "{'t':0,'ev':'semaphore','task':1,'permits':2}\n"            /* 10 */
        "{'t':0,'ev':'run','task':1,'cpu':3}\n"                      /* 11 */
        "{'t':0,'ev':'spawn','task':1,'name':'again','parent':0}\n"  /* 12 */
        "{'t':0,'ev':'run','task':9}\n"                              /* 13 */
        "{'t':0,'ev':'done','task':1,'outcome':'maybe'}\n"           /* 14 */
        "{'t':0,'ev':'spawn','task':2,'name':'child','parent':1\n"   /* 15 */
        "{'ev':'start','version':2,'clock':'real'}\n"               /* 16 */
        "{'t':0.1,'ev':'end'}\n");                                   /* 17 */
    assert_non_null(m);

    static const size_t bad_lines[] = {3, 4, 5, 6, 7, 8, 12, 13, 14, 15, 16};
    size_t n = sizeof bad_lines / sizeof bad_lines[0];
    assert_int_equal(m->n_diagnostics, n);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(m->diagnostics[i].line, bad_lines[i]);
    assert_string_equal(m->diagnostics[1].message, "not a JSON object");
    assert_string_equal(m->diagnostics[2].message, "missing \"ev\"");
    assert_string_equal(m->diagnostics[7].message, "task 9 was never spawned");

    /* The good lines still count: main ran (line 11, unknown field and all)
     * and the spawn of "again" did not replace it. */
    assert_int_equal(m->n_tasks, 1);
    assert_string_equal(m->tasks[0].name, "main");
    assert_int_equal(tv_task_state_at(&m->tasks[0], 0, NULL), TV_STATE_RUNNING);
    assert_int_equal(m->tasks[0].outcome.kind, TV_OUTCOME_NONE);
    assert_true(m->ended);
    /* Only the first "start" line counts. */
    assert_int_equal(m->version, 1);
    assert_int_equal(m->clock, TV_CLOCK_VIRTUAL);
    tv_model_free(m);
}

static void test_trace_without_end(void **state)
{
    (void)state;
    /* The program died at 0.3 s while "worker" slept and main awaited it. */
    tv_model *m = load_trace(
        "{'ev':'start','version':1,'clock':'real'}\n"
        "{'t':0.000000,'ev':'spawn','task':1,'name':'main','parent':0}\n"
        "{'t':0.000000,'ev':'run','task':1}\n"
        "{'t':0.000100,'ev':'spawn','task':2,'name':'worker','parent':1}\n"
        "{'t':0.000200,'ev':'wait','task':1,'on':'task','target':2}\n"
        "{'t':0.000300,'ev':'run','task':2}\n"
        "{'t':0.300000,'ev':'wait','task':2,'on':'sleep','until':1.3}\n"
        "{'t':0.3000");
    assert_non_null(m);
    assert_false(m->ended);
    assert_int_equal(m->clock, TV_CLOCK_REAL);
    assert_int_equal(m->end, SECONDS(0.3));
    assert_int_equal(m->n_diagnostics, 1); /* the cut-off last line */
    assert_int_equal(m->diagnostics[0].line, 8);

    /* What was still going on runs to the end of the trace. */
    const tv_task *main_task = task_named(m, "main");
    assert_int_equal(main_task->intervals[main_task->n_intervals - 1].t0,
                     SECONDS(0.0002));
    assert_int_equal(main_task->intervals[main_task->n_intervals - 1].t1, m->end);
    const tv_task *worker = task_named(m, "worker");
    assert_int_equal(worker->outcome.kind, TV_OUTCOME_NONE);
    assert_int_equal(worker->intervals[worker->n_intervals - 1].t1, m->end);
    /* Running from 0.0003 to 0.3: real time, so the step took time. */
    assert_int_equal(tv_task_state_at(worker, SECONDS(0.1), NULL), TV_STATE_RUNNING);
    assert_int_equal(tv_task_state_at(worker, SECONDS(0.0002), NULL), TV_STATE_READY);
    /* Still asleep when the trace stops. */
    assert_int_equal(tv_task_state_at(worker, m->end, NULL), TV_STATE_WAITING);
    tv_model_free(m);
}

static void test_time_going_backwards_is_clamped(void **state)
{
    (void)state;
    tv_model *m = load_trace(
        "{'t':0.5,'ev':'spawn','task':1,'name':'main','parent':0}\n"
        "{'t':0.4,'ev':'run','task':1}\n"
        "{'t':0.6,'ev':'end'}\n");
    assert_int_equal(m->n_diagnostics, 1);
    assert_int_equal(m->diagnostics[0].line, 2);
    assert_int_equal(m->tasks[0].intervals[1].t0, SECONDS(0.5));
    assert_int_equal(m->tasks[0].intervals[0].t1, SECONDS(0.5));
    tv_model_free(m);
}

static void test_lines_after_end_are_ignored(void **state)
{
    (void)state;
    tv_model *m = load_trace(
        "{'t':0,'ev':'spawn','task':1,'name':'main','parent':0}\n"
        "{'t':0.1,'ev':'end'}\n"
        "\n"
        "{'ev':'start','version':1,'clock':'virtual'}\n"
        "{'t':0,'ev':'spawn','task':1,'name':'main','parent':0}\n");
    assert_int_equal(m->n_tasks, 1);
    assert_int_equal(m->end, SECONDS(0.1));
    assert_int_equal(m->n_diagnostics, 1);
    assert_int_equal(m->diagnostics[0].line, 4);
    tv_model_free(m);
}

static void test_unknown_parent_makes_a_root(void **state)
{
    (void)state;
    tv_model *m = load_trace(
        "{'t':0,'ev':'spawn','task':1,'name':'main','parent':0}\n"
        "{'t':0,'ev':'spawn','task':3,'name':'orphan','parent':3}\n"
        "{'t':0,'ev':'end'}\n");
    assert_int_equal(m->n_diagnostics, 1);
    const tv_task *orphan = task_named(m, "orphan");
    assert_int_equal(orphan->parent, 0);
    assert_int_equal(orphan->depth, 0);
    assert_int_equal(m->tree_order[1], 1); /* still listed, after main */
    tv_model_free(m);
}

static void test_times_are_exact_microseconds(void **state)
{
    (void)state;
    /* 0.000249 * 1e6 is 248.99999999999997 in doubles: it must still be 249. */
    tv_model *m = load_trace(
        "{'t':0.000249,'ev':'spawn','task':1,'name':'main','parent':0}\n"
        "{'t':2,'ev':'end'}\n");
    assert_int_equal(m->tasks[0].spawned, 249);
    assert_int_equal(m->end, 2000000);
    tv_model_free(m);
}

static void test_empty_trace(void **state)
{
    (void)state;
    tv_model *m = tv_model_load_string("");
    assert_non_null(m);
    assert_int_equal(m->n_tasks, 0);
    assert_int_equal(m->n_diagnostics, 0);
    assert_false(m->ended);
    assert_int_equal(m->end, 0);
    tv_section whole = tv_model_whole_run(m);
    assert_int_equal(tv_model_section_tasks(m, &whole, NULL, 0), 0);
    tv_model_free(m);
    tv_model_free(NULL);
}

static void test_load_path(void **state)
{
    (void)state;
    errno = 0;
    assert_null(tv_model_load_path("/nonexistent/trace.jsonl"));
    assert_int_equal(errno, ENOENT);

    char path[] = "/tmp/test_trace_model_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *out = fdopen(fd, "w");
    fputs("{\"t\":0,\"ev\":\"spawn\",\"task\":1,\"name\":\"main\",\"parent\":0}\n", out);
    fclose(out);
    tv_model *m = tv_model_load_path(path);
    unlink(path);
    assert_non_null(m);
    assert_int_equal(m->n_tasks, 1);
    tv_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_loads_tasks_clock_and_end),
        cmocka_unit_test(test_state_at_times),
        cmocka_unit_test(test_intervals_are_back_to_back),
        cmocka_unit_test(test_outcomes),
        cmocka_unit_test(test_cancel_and_wake_status),
        cmocka_unit_test(test_tree_order_puts_children_under_parents),
        cmocka_unit_test(test_other_waits_keep_their_name),
        cmocka_unit_test(test_sections_from_marks),
        cmocka_unit_test(test_sections_of_the_same_name_nest),
        cmocka_unit_test(test_tasks_in_a_section),
        cmocka_unit_test(test_malformed_lines_are_reported_and_skipped),
        cmocka_unit_test(test_trace_without_end),
        cmocka_unit_test(test_time_going_backwards_is_clamped),
        cmocka_unit_test(test_lines_after_end_are_ignored),
        cmocka_unit_test(test_unknown_parent_makes_a_root),
        cmocka_unit_test(test_times_are_exact_microseconds),
        cmocka_unit_test(test_empty_trace),
        cmocka_unit_test(test_load_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
