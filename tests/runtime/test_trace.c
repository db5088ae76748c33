/*
 * test_trace.c -- the trace: JSON Lines output (file, fd:N, AWAITLAB_TRACE),
 * determinism in virtual time, the in-memory capture and its queries.
 */
#include "runtime_test.h"

#include <fcntl.h>
#include <jansson.h>

/* ----------------------------------------------------------------------- */
/* Helpers                                                                   */
/* ----------------------------------------------------------------------- */

/* Temporary files of the running test, removed by its teardown. */
static char temp_paths[4][32];
static int temp_count;

/* Makes an empty temporary file and puts its name in path[32]. */
static void make_temp_path(char path[32])
{
    snprintf(path, 32, "/tmp/awaitlab-trace-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    if (temp_count < 4)
        memcpy(temp_paths[temp_count++], path, 32);
}

/* Teardown: removes the test's temporary files, passed or failed. */
static int remove_temp_files(void **state)
{
    for (int i = 0; i < temp_count; i++)
        unlink(temp_paths[i]);
    temp_count = 0;
    return clear_trace(state);
}

/* Splits text into lines in place; returns how many (at most max). */
static size_t split_lines(char *text, char **lines, size_t max)
{
    size_t n = 0;
    for (char *line = strtok(text, "\n"); line && n < max; line = strtok(NULL, "\n"))
        lines[n++] = line;
    return n;
}

static json_t *parse_line(const char *line)
{
    json_error_t error;
    json_t *object = json_loads(line, 0, &error);
    if (!object)
        fprintf(stderr, "not JSON (%s): %s\n", error.text, line);
    return object;
}

static const char *string_field(json_t *object, const char *key)
{
    return json_string_value(json_object_get(object, key));
}

/* A JSON time ("t": seconds with six decimals) in microseconds. */
static int64_t micros_field(json_t *object, const char *key)
{
    return (int64_t)llround(json_number_value(json_object_get(object, key)) * 1e6);
}

static const char *const kind_names[] = {
    [AW_EV_SPAWN] = "spawn", [AW_EV_RUN] = "run",       [AW_EV_WAIT] = "wait",
    [AW_EV_WAKE] = "wake",   [AW_EV_CANCEL] = "cancel", [AW_EV_DONE] = "done",
    [AW_EV_MARK] = "mark",   [AW_EV_SLOW] = "slow",     [AW_EV_RESOURCE] = "resource"};

/* Index of the MARK event whose text is `text`. */
static size_t mark_index(const char *text)
{
    size_t count;
    const aw_trace_event *e = aw_trace_events(&count);
    for (size_t i = 0; i < count; i++)
        if (e[i].kind == AW_EV_MARK && strcmp(e[i].text, text) == 0)
            return i;
    fail_msg("no mark '%s'", text);
    return 0;
}

/* ----------------------------------------------------------------------- */
/* A program with a bit of everything: marks, sleeps, an error, a cancel.   */
/* ----------------------------------------------------------------------- */

static int demo_child(void *arg, intptr_t *result)
{
    intptr_t i = (intptr_t)arg;
    int status = aw_sleep(0.1 * (double)(i + 1));
    if (status != AW_OK)
        return status;
    if (i == 2)
        return aw_raise(AW_EAPP, "child %d: \"refused\"", (int)i);
    *result = i * i;
    return AW_OK;
}

static int demo_main(void *arg, intptr_t *result)
{
    (void)arg;
    aw_task *tasks[5];
    aw_trace_mark("section demo");
    for (intptr_t i = 0; i < 5; i++)
        tasks[i] = aw_spawn(demo_child, (void *)i, "child-%d", (int)i);
    aw_sleep(0.25);
    aw_cancel(tasks[4]);
    aw_gather(tasks, 5, AW_RETURN_EXCEPTIONS);
    aw_trace_mark("section-end demo");
    *result = 1;
    return AW_OK;
}

static int run_demo_to(const char *trace_path)
{
    aw_config config = {.clock = AW_CLOCK_VIRTUAL, .trace_path = trace_path,
                        .trace_capture = true};
    return aw_run(demo_main, NULL, &config, NULL);
}

/* ----------------------------------------------------------------------- */
/* The JSON Lines file                                                       */
/* ----------------------------------------------------------------------- */

static void test_same_program_writes_byte_identical_traces_in_virtual_time(void **state)
{
    (void)state;
    char first[32], second[32];
    make_temp_path(first);
    make_temp_path(second);
    assert_int_equal(run_demo_to(first), AW_OK);
    assert_int_equal(run_demo_to(second), AW_OK);

    char *a = slurp_path(first), *b = slurp_path(second);
    assert_non_null(a);
    assert_non_null(b);
    assert_true(strlen(a) > 1000);
    assert_string_equal(a, b);
    free(a);
    free(b);
}

static void test_trace_file_is_a_start_line_one_json_line_per_event_and_an_end_line(
    void **state)
{
    (void)state;
    char path[32];
    make_temp_path(path);
    assert_int_equal(run_demo_to(path), AW_OK);
    char *text = slurp_path(path);
    assert_non_null(text);
    static char *lines[1024];
    size_t n = split_lines(text, lines, 1024);
    size_t count;
    const aw_trace_event *events = aw_trace_events(&count);
    assert_int_equal(n, count + 2);

    assert_string_equal(lines[0], "{\"ev\":\"start\",\"version\":1,\"clock\":\"virtual\"}");
    assert_string_equal(lines[n - 1], "{\"t\":0.400000,\"ev\":\"end\"}");

    /* Every line in between is a JSON object for the captured event. */
    for (size_t i = 1; i + 1 < n; i++) {
        const aw_trace_event *e = &events[i - 1];
        json_t *object = parse_line(lines[i]);
        assert_non_null(object);
        assert_true(json_is_object(object));
        assert_string_equal(string_field(object, "ev"), kind_names[e->kind]);
        assert_int_equal(micros_field(object, "t"), e->t_ns / 1000);
        if (e->kind != AW_EV_MARK)
            assert_int_equal(json_integer_value(json_object_get(object, "task")), e->task);
        json_decref(object);
    }
    free(text);
}

/* The first JSON line of `text` whose "ev" is `ev` and "task" is `task`. */
static json_t *find_line(const char *text, const char *ev, uint32_t task)
{
    char *copy = strdup(text);
    static char *lines[1024];
    size_t n = split_lines(copy, lines, 1024);
    json_t *found = NULL;
    for (size_t i = 0; i < n && !found; i++) {
        json_t *object = parse_line(lines[i]);
        if (object && strcmp(string_field(object, "ev"), ev) == 0 &&
            (task == 0 || json_integer_value(json_object_get(object, "task")) == task))
            found = object;
        else
            json_decref(object);
    }
    free(copy);
    return found;
}

static void test_trace_lines_carry_the_documented_fields(void **state)
{
    (void)state;
    char path[32];
    make_temp_path(path);
    assert_int_equal(run_demo_to(path), AW_OK);
    char *text = slurp_path(path);
    assert_non_null(text);
    uint32_t c2 = aw_trace_task_by_name("child-2"), c4 = aw_trace_task_by_name("child-4");

    json_t *spawn = find_line(text, "spawn", c2);
    assert_string_equal(string_field(spawn, "name"), "child-2");
    assert_int_equal(json_integer_value(json_object_get(spawn, "parent")), 1);
    json_decref(spawn);

    json_t *wait = find_line(text, "wait", c2);
    assert_string_equal(string_field(wait, "on"), "sleep");
    assert_int_equal(json_integer_value(json_object_get(wait, "target")), 0);
    assert_int_equal(micros_field(wait, "until"), 300000);
    json_decref(wait);

    json_t *failed = find_line(text, "done", c2);
    assert_string_equal(string_field(failed, "outcome"), "error");
    assert_int_equal(json_integer_value(json_object_get(failed, "code")), AW_EAPP);
    assert_string_equal(string_field(failed, "error"), "child 2: \"refused\"");
    assert_string_equal(string_field(failed, "origin"), "child-2");
    json_decref(failed);

    json_t *ok = find_line(text, "done", aw_trace_task_by_name("child-3"));
    assert_string_equal(string_field(ok, "outcome"), "ok");
    assert_int_equal(json_integer_value(json_object_get(ok, "value")), 9);
    json_decref(ok);

    json_t *cancel = find_line(text, "cancel", c4);
    assert_int_equal(json_integer_value(json_object_get(cancel, "by")), 1);
    assert_int_equal(micros_field(cancel, "t"), 250000);
    json_decref(cancel);

    json_t *cancelled = find_line(text, "done", c4);
    assert_string_equal(string_field(cancelled, "outcome"), "cancelled");
    json_decref(cancelled);

    json_t *wake = find_line(text, "wake", c4);
    assert_int_equal(json_integer_value(json_object_get(wake, "status")), AW_ECANCELLED);
    json_decref(wake);

    json_t *mark = find_line(text, "mark", 0);
    assert_string_equal(string_field(mark, "text"), "section demo");
    assert_null(json_object_get(mark, "task"));
    json_decref(mark);

    free(text);
}

static int awkward_child(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    return AW_OK;
}

static int main_with_awkward_name(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    return aw_await(aw_spawn(awkward_child, NULL, "say \"hi\"\\\t\x01!"));
}

static void test_trace_escapes_quotes_backslashes_and_control_characters(void **state)
{
    (void)state;
    char path[32];
    make_temp_path(path);
    aw_config config = {.clock = AW_CLOCK_VIRTUAL, .trace_path = path};
    assert_int_equal(aw_run(main_with_awkward_name, NULL, &config, NULL), AW_OK);
    char *text = slurp_path(path);
    json_t *spawn = find_line(text, "spawn", 2);
    assert_non_null(spawn);
    assert_string_equal(string_field(spawn, "name"), "say \"hi\"\\\t\x01!");
    json_decref(spawn);
    free(text);
}

/* ----------------------------------------------------------------------- */
/* Where the trace goes                                                      */
/* ----------------------------------------------------------------------- */

static int main_sleeps_a_second(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    return aw_sleep(1);
}

static void test_AWAITLAB_TRACE_names_the_trace_file_when_config_has_none(void **state)
{
    (void)state;
    char path[32];
    make_temp_path(path);
    setenv("AWAITLAB_TRACE", path, 1);
    aw_config config = {.clock = AW_CLOCK_VIRTUAL};
    int status = aw_run(main_sleeps_a_second, NULL, &config, NULL);
    unsetenv("AWAITLAB_TRACE");
    assert_int_equal(status, AW_OK);
    char *text = slurp_path(path);
    assert_non_null(text);
    assert_string_equal(text,
                        "{\"ev\":\"start\",\"version\":1,\"clock\":\"virtual\"}\n"
                        "{\"t\":0.000000,\"ev\":\"spawn\",\"task\":1,\"name\":\"main\",\"parent\":0}\n"
                        "{\"t\":0.000000,\"ev\":\"run\",\"task\":1}\n"
                        "{\"t\":0.000000,\"ev\":\"wait\",\"task\":1,\"on\":\"sleep\",\"target\":0,\"until\":1.000000}\n"
                        "{\"t\":1.000000,\"ev\":\"wake\",\"task\":1,\"status\":0}\n"
                        "{\"t\":1.000000,\"ev\":\"run\",\"task\":1}\n"
                        "{\"t\":1.000000,\"ev\":\"done\",\"task\":1,\"outcome\":\"ok\",\"value\":0}\n"
                        "{\"t\":1.000000,\"ev\":\"end\"}\n");
    free(text);
}

static void test_fd_form_writes_the_trace_to_an_open_descriptor(void **state)
{
    (void)state;
    FILE *file = tmpfile();
    assert_non_null(file);
    char where[32];
    snprintf(where, sizeof where, "fd:%d", fileno(file));
    aw_config config = {.clock = AW_CLOCK_VIRTUAL, .trace_path = where};
    assert_int_equal(aw_run(main_sleeps_a_second, NULL, &config, NULL), AW_OK);

    assert_true(fcntl(fileno(file), F_GETFD) != -1); /* still ours, still open */
    char *text = slurp(file);
    assert_non_null(text);
    assert_int_equal(strncmp(text, "{\"ev\":\"start\",", 14), 0);
    const char *end = "{\"t\":1.000000,\"ev\":\"end\"}\n";
    assert_string_equal(text + strlen(text) - strlen(end), end);
    free(text);
    fclose(file);
}

static void test_unusable_trace_destination_makes_run_fail_with_einval(void **state)
{
    (void)state;
    stderr_capture capture;
    stderr_capture_begin(&capture);
    aw_config to_bad_fd = {.clock = AW_CLOCK_VIRTUAL, .trace_path = "fd:nope"};
    int bad_fd = aw_run(main_sleeps_a_second, NULL, &to_bad_fd, NULL);
    aw_config to_bad_dir = {.clock = AW_CLOCK_VIRTUAL,
                            .trace_path = "/nonexistent-dir/trace.jsonl"};
    int bad_dir = aw_run(main_sleeps_a_second, NULL, &to_bad_dir, NULL);
    char *said = stderr_capture_end(&capture);
    assert_int_equal(bad_fd, AW_EINVAL);
    assert_int_equal(bad_dir, AW_EINVAL);
    assert_non_null(strstr(said, "cannot write the trace to '/nonexistent-dir/trace.jsonl'"));
    free(said);
}

/* ----------------------------------------------------------------------- */
/* The in-memory capture                                                     */
/* ----------------------------------------------------------------------- */

static int value_five_after_half_a_second(void *arg, intptr_t *result)
{
    (void)arg;
    int status = aw_sleep(0.5);
    *result = 5;
    return status;
}

static int main_awaits_one_child(void *arg, intptr_t *result)
{
    (void)arg;
    int status = aw_await(aw_spawn(value_five_after_half_a_second, NULL, "c"));
    *result = 9;
    return status;
}

static void check_event(const aw_trace_event *e, int64_t t_ns, aw_trace_kind kind, uint32_t task,
                        uint32_t other, int code, int64_t value, const char *text)
{
    assert_int_equal(e->t_ns, t_ns);
    assert_int_equal(e->kind, kind);
    assert_int_equal(e->task, task);
    assert_int_equal(e->other, other);
    assert_int_equal(e->code, code);
    assert_int_equal(e->value, value);
    if (text)
        assert_string_equal(e->text, text);
    else
        assert_null(e->text);
}

static void test_captured_events_follow_the_program_step_by_step(void **state)
{
    (void)state;
    assert_int_equal(run_virtual(main_awaits_one_child, NULL, NULL), AW_OK);
    size_t n;
    const aw_trace_event *e = aw_trace_events(&n); /* readable after the run */
    assert_int_equal(n, 12);
    check_event(&e[0], 0, AW_EV_SPAWN, 1, 0, 0, 0, "main");
    check_event(&e[1], 0, AW_EV_RUN, 1, 0, 0, 0, NULL);
    check_event(&e[2], 0, AW_EV_SPAWN, 2, 1, 0, 0, "c");
    check_event(&e[3], 0, AW_EV_WAIT, 1, 2, 0, 0, "task");
    check_event(&e[4], 0, AW_EV_RUN, 2, 0, 0, 0, NULL);
    check_event(&e[5], 0, AW_EV_WAIT, 2, 0, 0, MS(500), "sleep");
    check_event(&e[6], MS(500), AW_EV_WAKE, 2, 0, AW_OK, 0, NULL);
    check_event(&e[7], MS(500), AW_EV_RUN, 2, 0, 0, 0, NULL);
    check_event(&e[8], MS(500), AW_EV_DONE, 2, 0, AW_OK, 5, NULL);
    check_event(&e[9], MS(500), AW_EV_WAKE, 1, 0, AW_OK, 0, NULL);
    check_event(&e[10], MS(500), AW_EV_RUN, 1, 0, 0, 0, NULL);
    check_event(&e[11], MS(500), AW_EV_DONE, 1, 0, AW_OK, 9, NULL);
}

static void test_capture_lasts_until_cleared_or_the_next_run(void **state)
{
    (void)state;
    size_t n;
    assert_int_equal(run_virtual(main_awaits_one_child, NULL, NULL), AW_OK);
    assert_int_equal(aw_trace_task_by_name("c"), 2);

    assert_int_equal(run_virtual(main_sleeps_a_second, NULL, NULL), AW_OK);
    aw_trace_events(&n);
    assert_int_equal(n, 6); /* only the second run's events */
    assert_int_equal(aw_trace_task_by_name("c"), 0);

    aw_trace_clear();
    assert_null(aw_trace_events(&n));
    assert_int_equal(n, 0);

    aw_config no_capture = {.clock = AW_CLOCK_VIRTUAL};
    assert_int_equal(aw_run(main_awaits_one_child, NULL, &no_capture, NULL), AW_OK);
    aw_trace_events(&n);
    assert_int_equal(n, 0);
}

static void test_failed_task_done_event_text_is_its_error_message(void **state)
{
    (void)state;
    assert_int_equal(run_demo_to(NULL), AW_OK);
    const aw_trace_event *done = nth_event("child-2", AW_EV_DONE, 0);
    assert_int_equal(done->code, AW_EAPP);
    assert_string_equal(done->text, "child 2: \"refused\"");
    assert_null(nth_event("child-4", AW_EV_DONE, 0)->text);
    const aw_trace_event *mark = &aw_trace_events(NULL)[mark_index("section demo")];
    assert_int_equal(mark->task, 0);
    assert_int_equal(mark->t_ns, 0);
}

/* ----------------------------------------------------------------------- */
/* Queries                                                                   */
/* ----------------------------------------------------------------------- */

static int sleep_two(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    return aw_sleep(2);
}

static int main_for_spans(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *first = aw_spawn(sleep_two, NULL, "twin");
    aw_sleep(1);
    aw_task *late = aw_spawn(sleep_two, NULL, "late");
    aw_spawn(sleep_two, NULL, "twin"); /* same name, spawned second */
    aw_cancel(aw_spawn(sleep_two, NULL, "never-ran"));
    aw_await(late);
    return aw_await(first);
}

static void test_trace_span_is_first_run_to_done_and_by_name_finds_the_first(void **state)
{
    (void)state;
    assert_int_equal(run_virtual(main_for_spans, NULL, NULL), AW_OK);
    int64_t start = -1, end = -1;

    assert_int_equal(aw_trace_task_by_name("twin"), 2);
    assert_int_equal(aw_trace_task_by_name("late"), 3);
    assert_int_equal(aw_trace_task_by_name("nobody"), 0);

    assert_true(aw_trace_span(aw_trace_task_by_name("late"), &start, &end));
    assert_int_equal(start, MS(1000));
    assert_int_equal(end, MS(3000));

    assert_true(aw_trace_span(aw_trace_task_by_name("twin"), &start, &end));
    assert_int_equal(start, 0);
    assert_int_equal(end, MS(2000));

    assert_true(aw_trace_span(aw_trace_task_by_name("never-ran"), &start, &end));
    assert_int_equal(start, MS(1000));
    assert_int_equal(end, MS(1000));

    assert_true(aw_trace_span(1, &start, &end)); /* main */
    assert_int_equal(start, 0);
    assert_int_equal(end, MS(3000));

    assert_false(aw_trace_span(99, &start, &end));
}

/* Sections of 3 concurrent, 5 concurrent, then 4 one after another. */
static int main_in_sections(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *tasks[5];
    aw_trace_mark("section three");
    for (int i = 0; i < 3; i++)
        tasks[i] = aw_spawn(value_five_after_half_a_second, NULL, "three-%d", i);
    aw_gather(tasks, 3, 0);
    aw_trace_mark("section-end three");
    aw_trace_mark("section five");
    for (int i = 0; i < 5; i++)
        tasks[i] = aw_spawn(value_five_after_half_a_second, NULL, "five-%d", i);
    aw_gather(tasks, 5, 0);
    aw_trace_mark("section-end five");
    aw_trace_mark("section one-by-one");
    for (int i = 0; i < 4; i++)
        aw_await(aw_spawn(value_five_after_half_a_second, NULL, "single-%d", i));
    aw_trace_mark("section-end one-by-one");
    return AW_OK;
}

static void test_peak_concurrency_is_counted_over_an_index_range(void **state)
{
    (void)state;
    assert_int_equal(run_virtual(main_in_sections, NULL, NULL), AW_OK);
    size_t n;
    aw_trace_events(&n);
    size_t three = mark_index("section three"), three_end = mark_index("section-end three");
    size_t five = mark_index("section five"), five_end = mark_index("section-end five");
    size_t single = mark_index("section one-by-one");
    size_t single_end = mark_index("section-end one-by-one");

    /* Sections three and five meet at t = 0.5 s; indices keep them apart. */
    assert_int_equal(aw_trace_events(NULL)[three_end].t_ns, MS(500));
    assert_int_equal(aw_trace_events(NULL)[five].t_ns, MS(500));
    assert_int_equal(aw_trace_peak_concurrency(three, three_end), 3);
    assert_int_equal(aw_trace_peak_concurrency(five, five_end), 5);
    assert_int_equal(aw_trace_peak_concurrency(single, single_end), 1);
    assert_int_equal(aw_trace_peak_concurrency(0, n), 5);
    assert_int_equal(aw_trace_peak_concurrency(0, SIZE_MAX), 5);

    /* Tasks that started before the window still count inside it. */
    const aw_trace_event *first_done = nth_event("five-0", AW_EV_DONE, 0);
    size_t inside = (size_t)(first_done - aw_trace_events(NULL));
    assert_int_equal(aw_trace_peak_concurrency(inside, five_end), 5);
    assert_int_equal(aw_trace_peak_concurrency(inside + 1, five_end), 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_same_program_writes_byte_identical_traces_in_virtual_time, remove_temp_files),
        cmocka_unit_test_teardown(test_trace_file_is_a_start_line_one_json_line_per_event_and_an_end_line, remove_temp_files),
        cmocka_unit_test_teardown(test_trace_lines_carry_the_documented_fields, remove_temp_files),
        cmocka_unit_test_teardown(test_trace_escapes_quotes_backslashes_and_control_characters, remove_temp_files),
        cmocka_unit_test_teardown(test_AWAITLAB_TRACE_names_the_trace_file_when_config_has_none, remove_temp_files),
        cmocka_unit_test_teardown(test_fd_form_writes_the_trace_to_an_open_descriptor, remove_temp_files),
        cmocka_unit_test_teardown(test_unusable_trace_destination_makes_run_fail_with_einval, remove_temp_files),
        cmocka_unit_test_teardown(test_captured_events_follow_the_program_step_by_step, remove_temp_files),
        cmocka_unit_test_teardown(test_capture_lasts_until_cleared_or_the_next_run, remove_temp_files),
        cmocka_unit_test_teardown(test_failed_task_done_event_text_is_its_error_message, remove_temp_files),
        cmocka_unit_test_teardown(test_trace_span_is_first_run_to_done_and_by_name_finds_the_first, remove_temp_files),
        cmocka_unit_test_teardown(test_peak_concurrency_is_counted_over_an_index_range, remove_temp_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
