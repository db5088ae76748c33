/*
 * test_trace_feed.c -- feeding a trace a line (or a byte) at a time, as the
 * live viewer does, and the model's resources and journal.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include <cmocka.h>

#include "chrome_export.h"
#include "screen_fixtures.h"
#include "timeline_text.h"
#include "trace_feed.h"

#define SECONDS(s) ((tv_time)((s) * TV_USEC_PER_SEC + 0.5))

/* The single-quoted fixture with double quotes; the caller frees it. */
static char *double_quoted(const char *single_quoted)
{
    char *text = strdup(single_quoted);
    for (char *c = text; *c; c++)
        if (*c == '\'')
            *c = '"';
    return text;
}

/* Everything a renderer would say about a model, to compare two models. */
static char *portrait(const tv_model *m)
{
    tv_section whole = tv_model_whole_run(m);
    char *timeline = tv_timeline_render_string(m, &whole, NULL);
    char *chrome = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&chrome, &size);
    tv_chrome_export(m, out);
    fclose(out);
    char *both = NULL;
    assert_true(asprintf(&both, "%s\n%s", timeline, chrome) > 0);
    free(timeline);
    free(chrome);
    return both;
}

/* ----------------------------------------------------------------------- */
/* Feeding                                                                  */
/* ----------------------------------------------------------------------- */

static void test_byte_by_byte_is_the_same_as_loading(void **state)
{
    (void)state;
    const char *fixtures[] = {GATHER_TRACE, RESOURCE_TRACE, CRASH_TRACE};
    for (size_t f = 0; f < 3; f++) {
        char *text = double_quoted(fixtures[f]);
        tv_model *loaded = tv_model_load_string(text);
        tv_feed *feed = tv_feed_new();
        for (size_t i = 0; text[i]; i++)
            assert_int_equal(tv_feed_bytes(feed, &text[i], 1), 0);
        tv_model *fed = tv_feed_finish(feed);
        char *a = portrait(loaded), *b = portrait(fed);
        assert_string_equal(a, b);
        assert_int_equal(loaded->n_diagnostics, fed->n_diagnostics);
        assert_int_equal(loaded->n_notes, fed->n_notes);
        assert_int_equal(loaded->n_lines, fed->n_lines);
        free(a);
        free(b);
        tv_model_free(loaded);
        tv_model_free(fed);
        free(text);
    }
}

static void test_a_half_line_waits_for_the_rest(void **state)
{
    (void)state;
    tv_feed *feed = tv_feed_new();
    const char *first = "{\"t\":0,\"ev\":\"spawn\",\"task\":1,\"name\":\"main\",\"pa";
    assert_int_equal(tv_feed_bytes(feed, first, strlen(first)), 0);
    assert_int_equal(tv_feed_lines(feed), 0);
    assert_int_equal(tv_feed_model(feed, 0)->n_tasks, 0);
    const char *rest = "rent\":0}\n{\"t\":0.25,\"ev\":\"run\",\"task\":1}\n";
    assert_int_equal(tv_feed_bytes(feed, rest, strlen(rest)), 0);
    assert_int_equal(tv_feed_lines(feed), 2);
    const tv_model *m = tv_feed_model(feed, 0);
    assert_int_equal(m->n_tasks, 1);
    assert_int_equal(m->n_diagnostics, 0);
    assert_int_equal(tv_feed_last_time(feed), SECONDS(0.25));
    tv_feed_free(feed);
}

static void test_settling_stretches_what_is_open_to_now(void **state)
{
    (void)state;
    char *text = double_quoted(
        "{'ev':'start','version':1,'clock':'real'}\n"
        "{'t':0,'ev':'spawn','task':1,'name':'main','parent':0}\n"
        "{'t':0,'ev':'mark','text':'section one'}\n"
        "{'t':0.1,'ev':'run','task':1}\n"
        "{'t':0.2,'ev':'wait','task':1,'on':'sleep','until':5}\n");
    tv_feed *feed = tv_feed_new();
    tv_feed_bytes(feed, text, strlen(text));
    free(text);

    /* At the last event, and later: the sleep goes on until "now". */
    const tv_model *m = tv_feed_model(feed, 0);
    assert_false(m->ended);
    assert_int_equal(m->end, SECONDS(0.2));
    m = tv_feed_model(feed, SECONDS(1.5));
    assert_int_equal(m->end, SECONDS(1.5));
    assert_int_equal(m->tasks[0].intervals[2].t1, SECONDS(1.5));
    assert_int_equal(m->sections[0].t1, SECONDS(1.5));
    assert_false(m->sections[0].closed);

    /* A later line ends the stretch where it really ended. */
    const char *more = "{\"t\":1.7,\"ev\":\"wake\",\"task\":1,\"status\":0}\n";
    tv_feed_bytes(feed, more, strlen(more));
    m = tv_feed_model(feed, SECONDS(1.8));
    assert_int_equal(m->tasks[0].intervals[2].t1, SECONDS(1.7));
    assert_int_equal(m->tasks[0].intervals[3].t1, SECONDS(1.8));
    tv_feed_free(feed);
}

static void test_new_tasks_join_the_tree_order(void **state)
{
    (void)state;
    tv_feed *feed = tv_feed_new();
    const char *lines[] = {
        "{\"t\":0,\"ev\":\"spawn\",\"task\":1,\"name\":\"main\",\"parent\":0}\n",
        "{\"t\":0,\"ev\":\"spawn\",\"task\":2,\"name\":\"a\",\"parent\":1}\n",
        "{\"t\":0,\"ev\":\"spawn\",\"task\":3,\"name\":\"b\",\"parent\":1}\n",
        "{\"t\":0,\"ev\":\"spawn\",\"task\":4,\"name\":\"a.1\",\"parent\":2}\n",
    };
    for (size_t i = 0; i < 4; i++) {
        tv_feed_bytes(feed, lines[i], strlen(lines[i]));
        const tv_model *m = tv_feed_model(feed, 0);
        assert_int_equal(m->n_tasks, i + 1);
    }
    const tv_model *m = tv_feed_model(feed, 0);
    const char *order[] = {"main", "a", "a.1", "b"};
    for (size_t i = 0; i < 4; i++)
        assert_string_equal(m->tasks[m->tree_order[i]].name, order[i]);
    tv_feed_free(feed);
}

static void test_bad_lines_are_reported_as_they_come(void **state)
{
    (void)state;
    tv_feed *feed = tv_feed_new();
    const char *text = "{\"t\":0,\"ev\":\"spawn\",\"task\":1,\"name\":\"main\",\"parent\":0}\n"
                       "garbage\n";
    tv_feed_bytes(feed, text, strlen(text));
    const tv_model *m = tv_feed_model(feed, 0);
    assert_int_equal(m->n_diagnostics, 1);
    assert_int_equal(m->diagnostics[0].line, 2);
    /* ... and in the journal, so the log panel shows them. */
    assert_int_equal(m->notes[m->n_notes - 1].kind, TV_NOTE_PROBLEM);
    assert_int_equal(m->notes[m->n_notes - 1].index, 0);
    tv_feed_free(feed);
}

static void test_reading_a_pipe_never_blocks(void **state)
{
    (void)state;
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    fcntl(fds[0], F_SETFL, O_NONBLOCK);
    tv_feed *feed = tv_feed_new();

    errno = 0;
    assert_int_equal(tv_feed_read(feed, fds[0], 1 << 16), -1);
    assert_int_equal(errno, EAGAIN);

    const char *text = "{\"t\":0,\"ev\":\"spawn\",\"task\":1,\"name\":\"main\",\"parent\":0}\n"
                       "{\"t\":0.5,\"ev\":\"end\"}";
    assert_int_equal(write(fds[1], text, strlen(text)), (ssize_t)strlen(text));
    assert_int_equal(tv_feed_read(feed, fds[0], 1 << 16), (ssize_t)strlen(text));
    assert_false(tv_feed_ended(feed)); /* the "end" line has no newline yet */
    close(fds[1]);
    assert_int_equal(tv_feed_read(feed, fds[0], 1 << 16), 0);
    assert_true(tv_feed_ended(feed));
    close(fds[0]);
    tv_model *m = tv_feed_finish(feed);
    assert_true(m->ended);
    assert_int_equal(m->end, SECONDS(0.5));
    tv_model_free(m);
}

/* ----------------------------------------------------------------------- */
/* Resources and the journal                                                */
/* ----------------------------------------------------------------------- */

static void test_resources_at_a_time(void **state)
{
    (void)state;
    tv_model *m = load_trace(RESOURCE_TRACE);
    assert_int_equal(m->n_resources, 4);
    const tv_resource *pool = tv_model_resource(m, "semaphore", "pool");
    assert_non_null(pool);
    assert_null(tv_model_resource(m, "queue", "pool"));
    assert_null(tv_resource_at(pool, 0)); /* not made yet */

    const tv_resource_sample *s = tv_resource_at(pool, SECONDS(0.3));
    assert_int_equal(s->level, 2);
    assert_int_equal(s->capacity, 2);
    assert_int_equal(s->waiters, 2);
    s = tv_resource_at(pool, SECONDS(0.503));
    assert_int_equal(s->waiters, 1);

    const tv_resource_sample *log = tv_resource_at(tv_model_resource(m, "lock", "log"),
                                                   SECONDS(0.6));
    assert_int_equal(log->level, 1);
    assert_int_equal(log->owner, 2);
    tv_model_free(m);
}

static void test_waits_name_their_resource(void **state)
{
    (void)state;
    tv_model *m = load_trace(RESOURCE_TRACE);
    const tv_interval *interval;
    assert_int_equal(tv_task_state_at(tv_model_task(m, 4), SECONDS(0.1), &interval),
                     TV_STATE_WAITING);
    assert_string_equal(interval->on, "semaphore");
    assert_string_equal(interval->resource, "pool");
    tv_task_state_at(tv_model_task(m, 2), SECONDS(0.1), &interval);
    assert_null(interval->resource); /* a sleep names nothing */
    tv_model_free(m);
}

static void test_bad_resource_lines(void **state)
{
    (void)state;
    tv_model *m = load_trace(
        "{'t':0,'ev':'resource','name':'x','level':1}\n"
        "{'t':0,'ev':'resource','kind':'queue','name':'x','level':'full'}\n"
        "{'t':0,'ev':'resource','kind':'queue','name':'x','level':1,'waiters':-2}\n"
        "{'t':0,'ev':'resource','kind':'queue','level':1,'later':true}\n");
    assert_int_equal(m->n_diagnostics, 3);
    assert_int_equal(m->n_resources, 1);
    assert_string_equal(m->resources[0].name, ""); /* a nameless one is "" */
    tv_model_free(m);
}

static void test_the_journal_follows_the_playhead(void **state)
{
    (void)state;
    tv_model *m = load_trace(GATHER_TRACE);
    /* spawn main, mark, 3 spawns; 3 done, mark, done main */
    assert_int_equal(m->n_notes, 10);
    assert_int_equal(m->notes[0].kind, TV_NOTE_SPAWN);
    assert_int_equal(m->notes[1].kind, TV_NOTE_MARK);
    assert_int_equal(tv_model_notes_until(m, 0), 5);
    assert_int_equal(tv_model_notes_until(m, SECONDS(0.4)), 5);
    assert_int_equal(tv_model_notes_until(m, SECONDS(0.5)), 9);
    assert_int_equal(tv_model_notes_until(m, SECONDS(9)), 10);
    assert_int_equal(tv_model_notes_until(m, -1), 0);
    const tv_note *error = &m->notes[7];
    assert_int_equal(error->kind, TV_NOTE_DONE);
    assert_int_equal(tv_model_task(m, error->task)->outcome.kind, TV_OUTCOME_ERROR);
    tv_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_byte_by_byte_is_the_same_as_loading),
        cmocka_unit_test(test_a_half_line_waits_for_the_rest),
        cmocka_unit_test(test_settling_stretches_what_is_open_to_now),
        cmocka_unit_test(test_new_tasks_join_the_tree_order),
        cmocka_unit_test(test_bad_lines_are_reported_as_they_come),
        cmocka_unit_test(test_reading_a_pipe_never_blocks),
        cmocka_unit_test(test_resources_at_a_time),
        cmocka_unit_test(test_waits_name_their_resource),
        cmocka_unit_test(test_bad_resource_lines),
        cmocka_unit_test(test_the_journal_follows_the_playhead),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
