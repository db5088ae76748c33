/*
 * lab_client.h -- the clients the lab server's tests talk to it with.
 *
 * libcurl's easy interface for one request at a time, its multi interface
 * for many at once, and raw sockets for what no well-behaved client sends:
 * garbage, half requests, hanging up mid-response.  Every wait has a
 * deadline, so a broken server fails a test instead of hanging it.
 */
#ifndef LAB_CLIENT_H
#define LAB_CLIENT_H

#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>
#include <jansson.h>

#include "labserver.h"

/* The server every test shares, started by the group setup. */
static labserver *lab;

static inline double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static inline void sleep_s(double s)
{
    struct timespec ts = {.tv_sec = (time_t)s, .tv_nsec = (long)((s - (double)(time_t)s) * 1e9)};
    nanosleep(&ts, NULL);
}

/* Many sockets at once need many descriptors: take all the hard limit allows. */
static inline void raise_open_files_limit(void)
{
    struct rlimit limit;
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
}

/* The group setup: the shared server, on a free port of 127.0.0.1. */
static inline int start_lab(void **state)
{
    (void)state;
    char err[160];
    lab = labserver_start(NULL, 0, err, sizeof err);
    if (!lab) {
        fprintf(stderr, "cannot start the lab server: %s\n", err);
        return -1;
    }
    return 0;
}

static inline int stop_lab(void **state)
{
    (void)state;
    labserver_stop(lab);
    lab = NULL;
    return 0;
}

/* Each test that counts starts from zero. */
static inline int reset_stats(void **state)
{
    (void)state;
    labserver_reset_stats(lab);
    return 0;
}

/* ----------------------------------------------------------------------- */
/* One request with libcurl                                                */
/* ----------------------------------------------------------------------- */

typedef struct http_reply {
    long status;
    char *body;          /* NUL-terminated, for convenience */
    size_t len;
    double seconds;      /* from sending to the last byte   */
    double first_byte_s; /* when the first body byte came   */
    double last_byte_s;  /* when the last body byte came    */
} http_reply;

static inline size_t collect_body(char *data, size_t size, size_t n, void *cls)
{
    http_reply *reply = cls;
    size_t more = size * n;
    char *body = realloc(reply->body, reply->len + more + 1);
    if (!body)
        return 0;
    memcpy(body + reply->len, data, more);
    reply->body = body;
    reply->len += more;
    reply->body[reply->len] = '\0';
    double t = now_s();
    if (reply->first_byte_s == 0)
        reply->first_byte_s = t;
    reply->last_byte_s = t;
    return more;
}

/* An easy handle for `path` on the shared server, collecting into `reply`. */
static inline CURL *lab_easy(labserver *server, const char *path, http_reply *reply)
{
    char url[512];
    snprintf(url, sizeof url, "%s%s", labserver_url(server), path);
    CURL *curl = curl_easy_init();
    assert_non_null(curl);
    curl_easy_setopt(curl, CURLOPT_URL, url);
    /* A proxy from the environment would break every test. */
    curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, reply);
    return curl;
}

/* `method` ("GET", "HEAD", "POST", ...) on `path` of `server`. */
static inline http_reply http_on(labserver *server, const char *method, const char *path)
{
    http_reply reply = {0};
    CURL *curl = lab_easy(server, path, &reply);
    if (strcmp(method, "HEAD") == 0)
        curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    else if (strcmp(method, "POST") == 0)
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, "");
    else if (strcmp(method, "GET") != 0)
        curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
    double start = now_s();
    CURLcode rc = curl_easy_perform(curl);
    reply.seconds = now_s() - start;
    if (rc != CURLE_OK)
        fail_msg("%s %s: %s", method, path, curl_easy_strerror(rc));
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
    curl_easy_cleanup(curl);
    if (!reply.body)
        reply.body = calloc(1, 1);
    return reply;
}

static inline http_reply http_get(const char *path)
{
    return http_on(lab, "GET", path);
}

/* GET `path`, check the status and parse the JSON body. */
static inline json_t *get_json(const char *path, long expected_status)
{
    http_reply reply = http_get(path);
    if (reply.status != expected_status)
        fail_msg("GET %s: status %ld, expected %ld; body %s", path, reply.status,
                 expected_status, reply.body);
    json_error_t error;
    json_t *body = json_loads(reply.body, 0, &error);
    if (!body)
        fail_msg("GET %s: not JSON (%s): %s", path, error.text, reply.body);
    free(reply.body);
    return body;
}

/* A 400 (or other error) whose JSON "error" mentions `needle`. */
static inline void expect_error(const char *path, long status, const char *needle)
{
    json_t *body = get_json(path, status);
    const char *message = json_string_value(json_object_get(body, "error"));
    if (!message || !strstr(message, needle))
        fail_msg("GET %s: error %s does not mention '%s'", path, message ? message : "(none)",
                 needle);
    assert_int_equal(json_integer_value(json_object_get(body, "status")), status);
    json_decref(body);
}

static inline json_int_t json_int_at(json_t *object, const char *key)
{
    json_t *value = json_object_get(object, key);
    if (!json_is_integer(value))
        fail_msg("no integer \"%s\"", key);
    return json_integer_value(value);
}

/* ----------------------------------------------------------------------- */
/* Many requests at once with curl's multi interface                       */
/* ----------------------------------------------------------------------- */

typedef struct batch_result {
    size_t ok;            /* status 200 with the body length expected */
    size_t failed;
    double seconds;
} batch_result;

/* Discards a body, counting its bytes. */
static inline size_t count_body(char *data, size_t size, size_t n, void *cls)
{
    (void)data;
    *(size_t *)cls += size * n;
    return size * n;
}

typedef struct batch_slot {
    CURL *curl;
    size_t bytes;
    long expected_len;
} batch_slot;

/* The path of request number i, with its body length in *expected_len (-1: any). */
typedef const char *(*batch_path_fn)(size_t i, long *expected_len);

static inline void batch_start(CURLM *multi, labserver *server, batch_slot *slot,
                               const char *path)
{
    char url[256];
    snprintf(url, sizeof url, "%s%s", labserver_url(server), path);
    curl_easy_setopt(slot->curl, CURLOPT_URL, url);
    slot->bytes = 0;
    curl_multi_add_handle(multi, slot->curl);
}

/*
 * Sends `total` requests, `parallel` in flight at a time, reusing handles
 * (and their connections) as requests finish.  Gives up after `limit_s`.
 */
static inline batch_result run_batch(labserver *server, size_t total, size_t parallel,
                                     batch_path_fn path_of, double limit_s)
{
    batch_result result = {0};
    CURLM *multi = curl_multi_init();
    curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, (long)parallel);
    batch_slot *slots = calloc(parallel, sizeof *slots);
    assert_non_null(slots);
    size_t next = 0, done = 0;
    double start = now_s();
    for (size_t i = 0; i < parallel && next < total; i++, next++) {
        slots[i].curl = curl_easy_init();
        curl_easy_setopt(slots[i].curl, CURLOPT_NOPROXY, "*");
        curl_easy_setopt(slots[i].curl, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(slots[i].curl, CURLOPT_TIMEOUT, 30L);
        curl_easy_setopt(slots[i].curl, CURLOPT_WRITEFUNCTION, count_body);
        curl_easy_setopt(slots[i].curl, CURLOPT_WRITEDATA, &slots[i].bytes);
        curl_easy_setopt(slots[i].curl, CURLOPT_PRIVATE, &slots[i]);
        batch_start(multi, server, &slots[i], path_of(next, &slots[i].expected_len));
    }
    while (done < total && now_s() - start < limit_s) {
        int running;
        curl_multi_perform(multi, &running);
        CURLMsg *msg;
        int left;
        while ((msg = curl_multi_info_read(multi, &left))) {
            if (msg->msg != CURLMSG_DONE)
                continue;
            batch_slot *slot;
            long status = 0;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&slot);
            curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &status);
            bool good = msg->data.result == CURLE_OK && status == 200 &&
                        (slot->expected_len < 0 || (long)slot->bytes == slot->expected_len);
            good ? result.ok++ : result.failed++;
            done++;
            curl_multi_remove_handle(multi, slot->curl);
            if (next < total) {
                batch_start(multi, server, slot, path_of(next, &slot->expected_len));
                next++;
            }
        }
        curl_multi_poll(multi, NULL, 0, 100, NULL);
    }
    result.seconds = now_s() - start;
    for (size_t i = 0; i < parallel; i++) {
        if (!slots[i].curl)
            continue;
        curl_multi_remove_handle(multi, slots[i].curl);
        curl_easy_cleanup(slots[i].curl);
    }
    free(slots);
    curl_multi_cleanup(multi);
    return result;
}

/* ----------------------------------------------------------------------- */
/* Raw sockets                                                             */
/* ----------------------------------------------------------------------- */

static inline int raw_connect(labserver *server)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    assert_true(fd >= 0);
    struct sockaddr_in addr = {.sin_family = AF_INET,
                               .sin_port = htons((uint16_t)labserver_port(server)),
                               .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(connect(fd, (struct sockaddr *)&addr, sizeof addr), 0);
    return fd;
}

static inline void raw_send(int fd, const void *data, size_t len)
{
    /* MSG_NOSIGNAL: a server that already hung up must fail the test, not kill it. */
    ssize_t n = send(fd, data, len, MSG_NOSIGNAL);
    if (n < 0 && errno != EPIPE && errno != ECONNRESET)
        fail_msg("send: %s", strerror(errno));
}

/*
 * Reads into buf (NUL-terminated) until `needle` has arrived, the peer
 * closes, or `timeout_s` passes.  Returns the bytes read; *closed says
 * whether the peer closed (or reset) the connection.
 */
static inline size_t raw_read_until(int fd, char *buf, size_t cap, const char *needle,
                                    double timeout_s, bool *closed)
{
    size_t len = 0;
    double deadline = now_s() + timeout_s;
    *closed = false;
    buf[0] = '\0';
    while (len + 1 < cap && !(needle && strstr(buf, needle))) {
        int wait_ms = (int)((deadline - now_s()) * 1000);
        if (wait_ms <= 0)
            break;
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, wait_ms) <= 0)
            continue;
        ssize_t n = recv(fd, buf + len, cap - 1 - len, 0);
        if (n <= 0) {
            *closed = true;
            break;
        }
        len += (size_t)n;
        buf[len] = '\0';
    }
    return len;
}

/* ----------------------------------------------------------------------- */
/* Stats, seen from the test                                               */
/* ----------------------------------------------------------------------- */

static inline labserver_stats stats_of(labserver *server)
{
    labserver_stats s;
    labserver_get_stats(server, &s);
    return s;
}

/* Polls until `server` has exactly `open` requests open; false after `timeout_s`. */
static inline bool wait_for_open(labserver *server, uint64_t open, double timeout_s)
{
    double deadline = now_s() + timeout_s;
    while (stats_of(server).open != open) {
        if (now_s() > deadline)
            return false;
        sleep_s(0.01);
    }
    return true;
}

#endif /* LAB_CLIENT_H */
