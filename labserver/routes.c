/*
 * routes.c -- the handlers: what each path answers, and the table of them.
 *
 * No handler ever blocks.  One that must wait (/delay, and /drip between
 * two bytes) suspends its connection and arms a wake-up on the server's
 * timer; MHD then calls it again when the timer resumes the connection,
 * and it carries on from the state kept in its ls_request.
 */
#include "ls_parse.h"
#include "ls_server.h"

#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define LS_MAX_DELAY_S      600
#define LS_MAX_USER_ID      1000000000u
#define LS_MAX_SEED         INT64_MAX             /* still a JSON integer */
#define LS_PAGES_TOTAL      100
#define LS_MAX_PAGE_SIZE    100
#define LS_MAX_PAGE         1000000
#define LS_MAX_BYTES        (100u * 1024 * 1024)
#define LS_MAX_DRIP_BYTES   (10u * 1024 * 1024)
#define LS_MAX_DRIP_S       600
#define LS_BLOCK            (64 * 1024)           /* body bytes per reader call */

/* ----------------------------------------------------------------------- */
/* Waiting without holding a thread                                        */
/* ----------------------------------------------------------------------- */

/* Runs on the timer thread; the request cannot end while it is suspended. */
static void ls_wake(ls_wakeup *w)
{
    ls_request *r = (ls_request *)((char *)w - offsetof(ls_request, wakeup));
    MHD_resume_connection(r->connection);
}

/*
 * Suspends r's connection until `when_ns`: the server thread goes on with
 * other connections, and MHD calls r's handler (or content reader) again
 * once the timer resumes it.  Suspending comes first so that the timer can
 * never resume a connection that is not yet suspended.
 */
static void ls_sleep_until(ls_request *r, uint64_t when_ns)
{
    MHD_suspend_connection(r->connection);
    if (!ls_timer_arm(&r->server->timer, &r->wakeup, when_ns, ls_wake))
        MHD_resume_connection(r->connection);   /* stopping: the next call gives up */
}

static bool ls_stopping(const ls_request *r)
{
    return ls_timer_stopping(&r->server->timer);
}

/* ----------------------------------------------------------------------- */
/* Query parameters                                                        */
/* ----------------------------------------------------------------------- */

/*
 * Reads query parameter `name` into *out, which keeps its default when the
 * parameter is absent.  Returns false when it is present but not a whole
 * number up to `max`, with its text in *text for the error message.
 */
static bool ls_query_uint(const ls_request *r, const char *name, uint64_t max, uint64_t *out,
                          const char **text)
{
    *text = MHD_lookup_connection_value(r->connection, MHD_GET_ARGUMENT_KIND, name);
    return !*text || ls_parse_uint(*text, max, out);
}

/* ls_query_uint for decimals such as "0.25". */
static bool ls_query_decimal(const ls_request *r, const char *name, double max, double *out,
                             const char **text)
{
    *text = MHD_lookup_connection_value(r->connection, MHD_GET_ARGUMENT_KIND, name);
    return !*text || ls_parse_decimal(*text, max, out);
}

/* ----------------------------------------------------------------------- */
/* The routes                                                              */
/* ----------------------------------------------------------------------- */

/* GET / -- the route list, so `curl URL/` tells you what there is. */
static enum MHD_Result ls_route_index(ls_request *r, const char *arg)
{
    (void)arg;
    json_t *routes = json_array();
    for (int i = 0; i < LABSERVER_N_ROUTES; i++)
        if (ls_routes[i].path)
            json_array_append_new(routes, json_pack("{ssss}", "usage", ls_routes[i].doc.usage,
                                                    "summary", ls_routes[i].doc.summary));
    return ls_reply_json(r->connection, MHD_HTTP_OK, json_pack("{so}", "routes", routes));
}

/* GET /delay/<seconds> -- {"delay": seconds}, that long after the request arrived. */
static enum MHD_Result ls_route_delay(ls_request *r, const char *arg)
{
    if (!r->started) {
        if (!ls_parse_decimal(arg, LS_MAX_DELAY_S, &r->seconds))
            return ls_reply_error(r->connection, MHD_HTTP_BAD_REQUEST,
                                  "/delay/<seconds>: '%.40s' is not a number of seconds "
                                  "from 0 to %d, such as 0.5", arg, LS_MAX_DELAY_S);
        r->due_ns = r->started_ns + (uint64_t)(r->seconds * 1e9 + 0.5);
        r->started = true;
    }
    if (ls_now_ns() < r->due_ns) {
        if (ls_stopping(r))
            return ls_reply_error(r->connection, MHD_HTTP_SERVICE_UNAVAILABLE,
                                  "the server is stopping");
        ls_sleep_until(r, r->due_ns);
        return MHD_YES;
    }
    return ls_reply_json(r->connection, MHD_HTTP_OK, json_pack("{sf}", "delay", r->seconds));
}

/* GET /status/<code> -- that status, with {"status": code} (no body for 204 and 304). */
static enum MHD_Result ls_route_status(ls_request *r, const char *arg)
{
    uint64_t code;
    if (!ls_parse_uint(arg, 599, &code) || code < 200)
        return ls_reply_error(r->connection, MHD_HTTP_BAD_REQUEST,
                              "/status/<code>: '%.40s' is not a status code from 200 to 599",
                              arg);
    /* These two must not carry a body; 1xx codes are not final answers at all. */
    if (code == MHD_HTTP_NO_CONTENT || code == MHD_HTTP_NOT_MODIFIED)
        return ls_reply(r->connection, (unsigned)code,
                        MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT));
    return ls_reply_json(r->connection, (unsigned)code,
                         json_pack("{sI}", "status", (json_int_t)code));
}

/* GET /json/<id> -- {"id": 7, "name": "user 7", "email": "user7@example.com"}. */
static enum MHD_Result ls_route_json(ls_request *r, const char *arg)
{
    uint64_t id;
    if (!ls_parse_uint(arg, LS_MAX_USER_ID, &id))
        return ls_reply_error(r->connection, MHD_HTTP_BAD_REQUEST,
                              "/json/<id>: '%.40s' is not a user id from 0 to %u", arg,
                              LS_MAX_USER_ID);
    char name[32], email[48];
    snprintf(name, sizeof name, "user %" PRIu64, id);
    snprintf(email, sizeof email, "user%" PRIu64 "@example.com", id);
    return ls_reply_json(r->connection, MHD_HTTP_OK,
                         json_pack("{sIssss}", "id", (json_int_t)id, "name", name,
                                   "email", email));
}

/*
 * GET /flaky?fail=<p>&seed=<n> -- 500 or 200, decided by
 * labserver_flaky_fails(seed, index, p), where index counts this seed's
 * requests since the last reset.  Defaults: fail=0.5, seed=0.
 */
static enum MHD_Result ls_route_flaky(ls_request *r, const char *arg)
{
    (void)arg;
    double p = 0.5;
    uint64_t seed = 0;
    const char *text;
    if (!ls_query_decimal(r, "fail", 1.0, &p, &text))
        return ls_reply_error(r->connection, MHD_HTTP_BAD_REQUEST,
                              "/flaky: fail=%.40s is not a probability from 0 to 1", text);
    if (!ls_query_uint(r, "seed", LS_MAX_SEED, &seed, &text))
        return ls_reply_error(r->connection, MHD_HTTP_BAD_REQUEST,
                              "/flaky: seed=%.40s is not a whole number from 0 to %" PRId64,
                              text, (int64_t)LS_MAX_SEED);
    uint64_t index = ls_flaky_next_index(&r->server->flaky, seed);
    if (labserver_flaky_fails(seed, index, p))
        return ls_reply_json(r->connection, MHD_HTTP_INTERNAL_SERVER_ERROR,
                             json_pack("{sssisIsI}", "error", "flaky failure, on purpose",
                                       "status", MHD_HTTP_INTERNAL_SERVER_ERROR,
                                       "seed", (json_int_t)seed, "index", (json_int_t)index));
    return ls_reply_json(r->connection, MHD_HTTP_OK,
                         json_pack("{sbsIsI}", "ok", 1, "seed", (json_int_t)seed,
                                   "index", (json_int_t)index));
}

/* The "next" link of a page, or JSON null after the last one. */
static json_t *ls_next_link(uint64_t page, uint64_t size)
{
    if ((page + 1) * size >= LS_PAGES_TOTAL)
        return json_null();
    char link[64];
    snprintf(link, sizeof link, "/pages?page=%" PRIu64 "&size=%" PRIu64, page + 1, size);
    return json_string(link);
}

/*
 * GET /pages?page=<n>&size=<k> -- items n*k .. n*k+k-1 of 100, each
 * {"id": i, "name": "item i"}, and "next": the path of the following page
 * (relative to the server's URL), or null on the last page.  Pages count
 * from 0; defaults page=0, size=10; a page past the end has no items.
 */
static enum MHD_Result ls_route_pages(ls_request *r, const char *arg)
{
    (void)arg;
    uint64_t page = 0, size = 10;
    const char *text;
    if (!ls_query_uint(r, "page", LS_MAX_PAGE, &page, &text))
        return ls_reply_error(r->connection, MHD_HTTP_BAD_REQUEST,
                              "/pages: page=%.40s is not a page number from 0 to %d", text,
                              LS_MAX_PAGE);
    if (!ls_query_uint(r, "size", LS_MAX_PAGE_SIZE, &size, &text) || size == 0)
        return ls_reply_error(r->connection, MHD_HTTP_BAD_REQUEST,
                              "/pages: size=%.40s is not a page size from 1 to %d",
                              text, LS_MAX_PAGE_SIZE);
    json_t *items = json_array();
    for (uint64_t i = page * size; i < (page + 1) * size && i < LS_PAGES_TOTAL; i++) {
        char name[32];
        snprintf(name, sizeof name, "item %" PRIu64, i);
        json_array_append_new(items, json_pack("{sIss}", "id", (json_int_t)i, "name", name));
    }
    return ls_reply_json(r->connection, MHD_HTTP_OK,
                         json_pack("{sIsIsisoso}", "page", (json_int_t)page,
                                   "size", (json_int_t)size, "total", LS_PAGES_TOTAL,
                                   "items", items, "next", ls_next_link(page, size)));
}

/*
 * The body of /bytes: byte i is 'a' + i % 26, so a client can check any
 * part of it.  Made block by block as MHD sends, never held whole.
 */
static ssize_t ls_read_bytes(void *cls, uint64_t pos, char *buf, size_t max)
{
    const ls_request *r = cls;
    if (pos >= r->body_bytes)
        return MHD_CONTENT_READER_END_OF_STREAM;
    if (max > r->body_bytes - pos)
        max = (size_t)(r->body_bytes - pos);
    for (size_t i = 0; i < max; i++)
        buf[i] = (char)('a' + (pos + i) % 26);
    return (ssize_t)max;
}

/* GET /bytes/<n> -- n bytes of abcdefghijklmnopqrstuvwxyzabc..., n at most 100 MiB. */
static enum MHD_Result ls_route_bytes(ls_request *r, const char *arg)
{
    if (!ls_parse_uint(arg, LS_MAX_BYTES, &r->body_bytes))
        return ls_reply_error(r->connection, MHD_HTTP_BAD_REQUEST,
                              "/bytes/<n>: '%.40s' is not a byte count from 0 to %u", arg,
                              LS_MAX_BYTES);
    struct MHD_Response *body =
        MHD_create_response_from_callback(r->body_bytes, LS_BLOCK, ls_read_bytes, r, NULL);
    if (body)
        MHD_add_response_header(body, MHD_HTTP_HEADER_CONTENT_TYPE, "application/octet-stream");
    return ls_reply(r->connection, MHD_HTTP_OK, body);
}

/*
 * How many of the drip's bytes are due `now`: an even pace from the
 * request's arrival, all of them once the duration has passed.  With at
 * most 10 MiB over 600 s the products stay below 2^63.
 */
static uint64_t ls_drip_due(const ls_request *r, uint64_t now)
{
    uint64_t elapsed = now - r->started_ns;
    if (elapsed >= r->drip_ns)
        return r->body_bytes;
    return r->body_bytes * elapsed / r->drip_ns;
}

/* The first moment at which ls_drip_due reaches `count` (rounded up). */
static uint64_t ls_drip_time_of(const ls_request *r, uint64_t count)
{
    return r->started_ns + (r->drip_ns * count + r->body_bytes - 1) / r->body_bytes;
}

/*
 * The body of /drip: sends whatever is due, and when nothing is, sleeps
 * off-thread until the next byte is.  Returning 0 is safe only because the
 * connection is suspended by then: otherwise MHD would call again at once,
 * spinning.
 */
static ssize_t ls_read_drip(void *cls, uint64_t pos, char *buf, size_t max)
{
    ls_request *r = cls;
    if (pos >= r->body_bytes)
        return MHD_CONTENT_READER_END_OF_STREAM;
    uint64_t due = ls_drip_due(r, ls_now_ns());
    if (due > pos) {
        size_t n = due - pos < max ? (size_t)(due - pos) : max;
        memset(buf, '*', n);
        return (ssize_t)n;
    }
    if (ls_stopping(r))
        return MHD_CONTENT_READER_END_WITH_ERROR;
    ls_sleep_until(r, ls_drip_time_of(r, pos + 1));
    return 0;
}

/* GET /drip?bytes=<n>&duration=<s> -- n '*' bytes, evenly over s seconds. */
static enum MHD_Result ls_route_drip(ls_request *r, const char *arg)
{
    (void)arg;
    double seconds = 1;
    const char *text;
    r->body_bytes = 10;
    if (!ls_query_uint(r, "bytes", LS_MAX_DRIP_BYTES, &r->body_bytes, &text))
        return ls_reply_error(r->connection, MHD_HTTP_BAD_REQUEST,
                              "/drip: bytes=%.40s is not a byte count from 0 to %u", text,
                              LS_MAX_DRIP_BYTES);
    if (!ls_query_decimal(r, "duration", LS_MAX_DRIP_S, &seconds, &text))
        return ls_reply_error(r->connection, MHD_HTTP_BAD_REQUEST,
                              "/drip: duration=%.40s is not a number of seconds from 0 to %d",
                              text, LS_MAX_DRIP_S);
    r->drip_ns = (uint64_t)(seconds * 1e9 + 0.5);
    /* Small blocks: a drip is about pace, not throughput. */
    struct MHD_Response *body =
        MHD_create_response_from_callback(r->body_bytes, 1024, ls_read_drip, r, NULL);
    if (body)
        MHD_add_response_header(body, MHD_HTTP_HEADER_CONTENT_TYPE, "application/octet-stream");
    return ls_reply(r->connection, MHD_HTTP_OK, body);
}

/* GET /stats -- the counters; GET or POST /stats/reset -- zero them first. */
static enum MHD_Result ls_route_stats(ls_request *r, const char *arg)
{
    labserver *s = r->server;
    if (strcmp(arg, "reset") == 0) {
        labserver_reset_stats(s);
    } else if (*arg) {
        return ls_reply_error(r->connection, MHD_HTTP_NOT_FOUND,
                              "no route /stats/%.40s; there are /stats and /stats/reset", arg);
    }
    labserver_stats now;
    labserver_get_stats(s, &now);
    return ls_reply_json(r->connection, MHD_HTTP_OK, ls_stats_json(&now));
}

static enum MHD_Result ls_route_not_found(ls_request *r, const char *arg)
{
    return ls_reply_error(r->connection, MHD_HTTP_NOT_FOUND,
                          "no route %.60s; GET / lists them", arg);
}

const ls_route ls_routes[LABSERVER_N_ROUTES] = {
    [LABSERVER_INDEX] = {{"index", "/", "this list of routes"},
                         "/", false, true, false, ls_route_index},
    [LABSERVER_DELAY] = {{"delay", "/delay/<seconds>", "answers after that many seconds (0-600)"},
                         "/delay", true, true, false, ls_route_delay},
    [LABSERVER_STATUS] = {{"status", "/status/<code>", "answers with that status (200-599)"},
                          "/status", true, true, false, ls_route_status},
    [LABSERVER_JSON] = {{"json", "/json/<id>", "a user record {id, name, email}"},
                        "/json", true, true, false, ls_route_json},
    [LABSERVER_FLAKY] = {{"flaky", "/flaky?fail=<p>&seed=<n>",
                          "500 with probability p, the same sequence for the same seed"},
                         "/flaky", false, true, false, ls_route_flaky},
    [LABSERVER_PAGES] = {{"pages", "/pages?page=<n>&size=<k>",
                          "100 items, k per page, with a \"next\" link"},
                         "/pages", false, true, false, ls_route_pages},
    [LABSERVER_BYTES] = {{"bytes", "/bytes/<n>", "n bytes (at most 100 MiB)"},
                         "/bytes", true, true, false, ls_route_bytes},
    [LABSERVER_DRIP] = {{"drip", "/drip?bytes=<n>&duration=<s>",
                         "n bytes spread evenly over s seconds"},
                        "/drip", false, true, false, ls_route_drip},
    [LABSERVER_STATS] = {{"stats", "/stats", "requests served, open now, peak open; "
                                             "/stats/reset zeroes them"},
                         "/stats", true, false, true, ls_route_stats},
    [LABSERVER_NOT_FOUND] = {{"not_found", "/<anything else>", "404 with a JSON error"},
                             NULL, false, true, false, ls_route_not_found},
};

const labserver_route_doc *labserver_route_describe(labserver_route route)
{
    if ((unsigned)route >= LABSERVER_N_ROUTES)
        return NULL;
    return &ls_routes[route].doc;
}
