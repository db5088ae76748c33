/*
 * test_chrome_export.c -- the Chrome trace-event export, read back with jansson.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include <cmocka.h>

#include "chrome_export.h"
#include "trace_fixtures.h"

/* Exports a model to a string, exactly as tv_chrome_export() writes it. */
static char *export_to_string(const tv_model *m)
{
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    assert_non_null(out);
    assert_int_equal(tv_chrome_export(m, out), 0);
    fclose(out);
    return text;
}

/* Exports a single-quoted trace and parses the result back. */
static json_t *export_and_parse(const char *trace)
{
    tv_model *m = load_trace(trace);
    char *text = export_to_string(m);
    json_error_t error;
    json_t *root = json_loads(text, 0, &error);
    if (root == NULL)
        fail_msg("export is not JSON: %s", error.text);
    free(text);
    tv_model_free(m);
    return root;
}

#define ANY_TIME (-1)

/*
 * The first event with this phase, thread and name, and time `ts` unless
 * ANY_TIME; fails the test if there is none.
 */
static json_t *find_event(json_t *root, const char *ph, json_int_t tid,
                          const char *name, json_int_t ts)
{
    json_t *events = json_object_get(root, "traceEvents");
    size_t i;
    json_t *event;
    json_array_foreach(events, i, event) {
        if (strcmp(json_string_value(json_object_get(event, "ph")), ph) == 0 &&
            json_integer_value(json_object_get(event, "tid")) == tid &&
            strcmp(json_string_value(json_object_get(event, "name")), name) == 0 &&
            (ts == ANY_TIME || json_integer_value(json_object_get(event, "ts")) == ts))
            return event;
    }
    fail_msg("no event ph=%s tid=%lld name=%s", ph, (long long)tid, name);
    return NULL;
}

static json_int_t integer_at(json_t *object, const char *key)
{
    json_t *value = json_object_get(object, key);
    assert_true(json_is_integer(value));
    return json_integer_value(value);
}

static const char *string_at(json_t *object, const char *key)
{
    json_t *value = json_object_get(object, key);
    assert_true(json_is_string(value));
    return json_string_value(value);
}

static void test_one_named_thread_per_task(void **state)
{
    (void)state;
    json_t *root = export_and_parse(GATHER_TRACE);
    assert_true(json_is_array(json_object_get(root, "traceEvents")));
    assert_string_equal(string_at(root, "displayTimeUnit"), "ms");

    static const char *const names[] = {"main", "fetch-0", "fetch-1", "fetch-2"};
    for (json_int_t tid = 1; tid <= 4; tid++) {
        json_t *thread = find_event(root, "M", tid, "thread_name", ANY_TIME);
        assert_int_equal(integer_at(thread, "pid"), TV_CHROME_PID);
        assert_string_equal(string_at(json_object_get(thread, "args"), "name"),
                            names[tid - 1]);
        json_t *order = find_event(root, "M", tid, "thread_sort_index", ANY_TIME);
        assert_int_equal(integer_at(json_object_get(order, "args"), "sort_index"), tid);
    }
    json_decref(root);
}

static void test_intervals_are_complete_events(void **state)
{
    (void)state;
    json_t *root = export_and_parse(GATHER_TRACE);

    json_t *sleep = find_event(root, "X", 2, "sleep", ANY_TIME);
    assert_int_equal(integer_at(sleep, "ts"), 0);
    assert_int_equal(integer_at(sleep, "dur"), 500000);
    json_t *gather = find_event(root, "X", 1, "gather", ANY_TIME);
    assert_int_equal(integer_at(gather, "dur"), 500000);
    json_t *main_sleep = find_event(root, "X", 1, "sleep", ANY_TIME);
    assert_int_equal(integer_at(main_sleep, "ts"), 500000);
    assert_int_equal(integer_at(main_sleep, "dur"), 100000);
    /* Running steps take no time in virtual time, but are still there. */
    json_t *running = find_event(root, "X", 2, "running", ANY_TIME);
    assert_int_equal(integer_at(running, "dur"), 0);

    /* ...while ready intervals of no time are left out. */
    size_t i;
    json_t *event;
    json_array_foreach(json_object_get(root, "traceEvents"), i, event)
        assert_false(strcmp(string_at(event, "name"), "ready") == 0);
    json_decref(root);
}

static void test_outcomes_are_instants_with_args(void **state)
{
    (void)state;
    json_t *root = export_and_parse(GATHER_TRACE);

    json_t *error = find_event(root, "i", 4, "error", ANY_TIME);
    assert_int_equal(integer_at(error, "ts"), 500000);
    json_t *args = json_object_get(error, "args");
    assert_int_equal(integer_at(args, "code"), -100);
    assert_string_equal(string_at(args, "error"), "item-2: connection refused");
    assert_string_equal(string_at(args, "origin"), "fetch-2");

    json_t *ok = find_event(root, "i", 3, "ok", ANY_TIME);
    assert_int_equal(integer_at(json_object_get(ok, "args"), "value"), 1);
    json_decref(root);
}

static void test_sections_and_marks_have_their_own_thread(void **state)
{
    (void)state;
    json_t *root = export_and_parse(GATHER_TRACE);
    json_int_t sections = 5; /* after the last task */

    json_t *thread = find_event(root, "M", sections, "thread_name", ANY_TIME);
    assert_string_equal(string_at(json_object_get(thread, "args"), "name"), "sections");
    json_t *gather = find_event(root, "X", sections, "gather", ANY_TIME);
    assert_int_equal(integer_at(gather, "ts"), 0);
    assert_int_equal(integer_at(gather, "dur"), 500000);
    json_t *end = find_event(root, "i", sections, "section-end gather", ANY_TIME);
    assert_int_equal(integer_at(end, "ts"), 500000);
    json_decref(root);
}

static void test_awaits_cancels_and_slow_steps(void **state)
{
    (void)state;
    json_t *root = export_and_parse(
        "{'ev':'start','version':1,'clock':'real'}\n"
        "{'t':0,'ev':'spawn','task':1,'name':'main','parent':0}\n"
        "{'t':0,'ev':'spawn','task':2,'name':'worker','parent':1}\n"
        "{'t':0.001,'ev':'wait','task':1,'on':'task','target':2}\n"
        "{'t':0.002,'ev':'run','task':2}\n"
        "{'t':0.150,'ev':'slow','task':2,'held':0.148}\n"
        "{'t':0.150,'ev':'wait','task':2,'on':'queue'}\n"
        "{'t':0.2,'ev':'cancel','task':2,'by':1}\n"
        "{'t':0.2,'ev':'wake','task':2,'status':-1}\n"
        "{'t':0.25,'ev':'done','task':2,'outcome':'cancelled'}\n"
        "{'t':0.3,'ev':'end'}\n");

    json_t *await = find_event(root, "X", 1, "await worker", ANY_TIME);
    assert_int_equal(integer_at(await, "ts"), 1000);
    assert_int_equal(integer_at(json_object_get(await, "args"), "target"), 2);
    json_t *queue = find_event(root, "X", 2, "queue", ANY_TIME);
    assert_int_equal(integer_at(queue, "dur"), 50000);
    /* A ready interval that took time is kept, with the cancelled status. */
    json_t *ready = find_event(root, "X", 2, "ready", 200000);
    assert_int_equal(integer_at(ready, "dur"), 50000);
    assert_int_equal(integer_at(json_object_get(ready, "args"), "wake_status"), -1);

    json_t *cancel = find_event(root, "i", 2, "cancel requested", ANY_TIME);
    assert_string_equal(string_at(json_object_get(cancel, "args"), "by_name"), "main");
    find_event(root, "i", 2, "cancelled", ANY_TIME);
    json_t *slow = find_event(root, "i", 2, "slow step", ANY_TIME);
    assert_int_equal(integer_at(json_object_get(slow, "args"), "held_us"), 148000);
    json_decref(root);
}

static void test_same_model_same_bytes(void **state)
{
    (void)state;
    tv_model *m = load_trace(GATHER_TRACE);
    char *first = export_to_string(m);
    char *second = export_to_string(m);
    assert_string_equal(first, second);
    /* Keys keep their order: name first, then the phase. */
    static const char start[] =
        "{\"traceEvents\":[{\"name\":\"process_name\",\"ph\":\"M\",";
    assert_int_equal(strncmp(first, start, strlen(start)), 0);
    free(first);
    free(second);
    tv_model_free(m);
}

static void test_export_to_a_file(void **state)
{
    (void)state;
    tv_model *m = load_trace(GATHER_TRACE);
    char path[] = "/tmp/test_chrome_export_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);

    assert_int_equal(tv_chrome_export_path(m, path), 0);
    json_t *root = json_load_file(path, 0, NULL);
    unlink(path);
    assert_non_null(root);
    find_event(root, "X", 3, "sleep", ANY_TIME);
    json_decref(root);
    assert_int_equal(tv_chrome_export_path(m, "/nonexistent/dir/trace.json"), -1);
    tv_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_named_thread_per_task),
        cmocka_unit_test(test_intervals_are_complete_events),
        cmocka_unit_test(test_outcomes_are_instants_with_args),
        cmocka_unit_test(test_sections_and_marks_have_their_own_thread),
        cmocka_unit_test(test_awaits_cancels_and_slow_steps),
        cmocka_unit_test(test_same_model_same_bytes),
        cmocka_unit_test(test_export_to_a_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
