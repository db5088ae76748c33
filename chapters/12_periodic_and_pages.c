/*
 * Chapter 12 -- periodic tasks and async iteration.
 *
 * Real requests, to the lab server: one the program starts inside itself on
 * 127.0.0.1 (a free port), or the one --base-url names.  Three sections:
 *
 *   periodic  two health checks run for `watch` seconds beside the main
 *             task, each a GET of /delay/<check> (an endpoint that takes
 *             `check` seconds).  "health" keeps its rate: check k starts
 *             k * interval after the first.  "health-naive" sleeps
 *             `interval` after each check, so every check's own time pushes
 *             the next one later.  Then both are cancelled -- and awaited,
 *             so their cleanup (closing their sessions) has run before the
 *             program goes on.
 *   pages     the paginated /pages route read as one stream of items, a
 *             page at a time, following the server's "next" link: the
 *             async iterator of the tutorials.
 *   prefetch  the same stream with up to `ahead` pages fetched while the
 *             consumer works on the current one; the items still come out
 *             in order.  Stopping early (--take) cancels the read-ahead.
 *
 * The lab server answers /pages at once; a real API is further away, so
 * every page request first waits `latency` seconds (a sleep standing in for
 * that distance: --latency 0 shows the bare server).  And the consumer
 * spends `work` seconds on each item.
 *
 * Real I/O runs on the real clock (the virtual one stands still while a
 * request is out), so times vary a little from run to run; the counts do
 * not.
 *
 * The Python twin is 12_periodic_and_pages.py; the lesson is the .md.
 */
#include "awaitlab.h"
#include "harness.h"
#include "lab_server.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_ITEMS = 100, MAX_PAGES = 100 }; /* the lab server lists 100 items */

static double interval = 0.2;
static double check = 0.05;
static double watch = 1.1;
static long size = 10;
static long ahead = 2;
static double latency = 0.1;
static double work = 0.01;
static long take = 100;
static double request_timeout = 10;
static const char *base_url = NULL;
static const char *server;       /* --base-url, or our own server's URL */

static const lab_param params[] = {
    LAB_SECONDS("interval", &interval, 0.01, 60, "seconds between two health checks"),
    LAB_SECONDS("check", &check, 0, 2, "seconds the health endpoint takes to answer"),
    LAB_SECONDS("watch", &watch, 0, 60, "seconds the health checks run before they are "
                                         "cancelled"),
    LAB_INT("size", &size, 1, MAX_ITEMS, "items per page"),
    LAB_INT("ahead", &ahead, 1, MAX_PAGES, "pages in flight at most in the prefetch section"),
    LAB_SECONDS("latency", &latency, 0, 60, "seconds added before each page request, "
                                            "standing in for a distant API"),
    LAB_SECONDS("work", &work, 0, 60, "seconds the consumer spends on each item"),
    LAB_INT("take", &take, 1, MAX_ITEMS, "items to read before stopping (100: all of them)"),
    LAB_SECONDS("request-timeout", &request_timeout, 1, 300, "seconds any request may take "
                "before it fails, so a silent server fails the run in seconds"),
    LAB_STRING("base-url", &base_url, "the lab server to use, e.g. http://127.0.0.1:8080 "
                                      "(by default the program starts its own)"),
    LAB_END,
};

/*
 * response = await session.get(server + path)
 * response.raise_for_status()
 * (*body = response.json(), when body is not NULL)
 */
static int get_json(aw_http_session *session, const char *path, json_t **body)
{
    char url[512];
    snprintf(url, sizeof url, "%s%s", server, path);
    aw_http_response response;
    int status = aw_http_get(session, url, &response);
    if (status != AW_OK)
        return status;
    status = aw_http_raise_for_status(&response);
    if (status == AW_OK && body) {
        *body = json_loadb(response.body, response.body_size, 0, NULL);
        if (!*body)
            status = aw_raise(AW_EAPP, "%s: the answer is not JSON", url);
    }
    aw_http_response_free(&response);
    return status;
}

/* ----------------------------------------------------------------------- */
/* periodic                                                                  */
/* ----------------------------------------------------------------------- */

typedef struct health {
    bool fixed_rate;     /* keep the rate, or sleep `interval` after each  */
    long checks, failed; /* checks started, checks that failed             */
    double late_s;       /* how late the last check started                */
    bool cleaned_up;     /* its cleanup ran                                */
} health;

/*
 * async def health_check(h):
 *     own = http.Session()
 *     try:
 *         start = loop.time()
 *         k = 0
 *         while True:
 *             if h.fixed_rate:
 *                 await asyncio.sleep(start + k * interval - loop.time())
 *             h.late = loop.time() - (start + k * interval)
 *             h.checks += 1
 *             try:
 *                 (await own.get(server + f"/delay/{check}")).raise_for_status()
 *             except Exception:
 *                 h.failed += 1        # a bad check must not end the checking
 *             if not h.fixed_rate:
 *                 await asyncio.sleep(interval)
 *             k += 1
 *     finally:
 *         await own.close()
 *         h.cleaned_up = True
 *
 * The loop only ends by cancellation.  In C that arrives as AW_ECANCELLED
 * from whichever await the task is in, and every later await would say the
 * same (level-triggered, chapter 04), so the cleanup here does not await.
 * A cleanup that must would go between aw_shield_begin() and
 * aw_shield_end().
 */
static int health_check(void *arg, intptr_t *result)
{
    health *h = arg;
    aw_http_session *own =
        aw_http_session_new(&(aw_http_session_options){.timeout_s = request_timeout});
    if (!own)
        return AW_ENOMEM;
    char path[64];
    snprintf(path, sizeof path, "/delay/%g", check);
    double start = aw_now();
    int status = AW_OK;
    for (long k = 0; status != AW_ECANCELLED; k++) {
        if (h->fixed_rate && (status = aw_sleep(start + (double)k * interval - aw_now())) != AW_OK)
            break;
        h->late_s = aw_now() - (start + (double)k * interval);
        h->checks++;
        status = get_json(own, path, NULL);
        if (status != AW_OK && status != AW_ECANCELLED)
            h->failed++;
        if (!h->fixed_rate && status != AW_ECANCELLED)
            status = aw_sleep(interval);
    }
    aw_http_session_free(own);
    h->cleaned_up = true;
    *result = h->checks;
    return status;
}

/*
 * tasks = [asyncio.create_task(health_check(fixed)),
 *          asyncio.create_task(health_check(naive))]
 * await asyncio.sleep(watch)          # the program's own work
 * for t in tasks:
 *     t.cancel()
 * await asyncio.gather(*tasks, return_exceptions=True)   # their cleanup
 *
 * The gather is shielded: the tasks use `fixed` and `naive`, which live on
 * this stack, so we wait for them to end even if we are being cancelled
 * ourselves (a cancelled task's aw_gather() would return at once).
 */
static int periodic_section(void)
{
    health fixed = {.fixed_rate = true}, naive = {.fixed_rate = false};
    aw_task *tasks[2] = {aw_spawn(health_check, &fixed, "health"),
                         aw_spawn(health_check, &naive, "health-naive")};
    int status = aw_sleep(watch);
    for (int i = 0; i < 2; i++)
        aw_cancel(tasks[i]);
    aw_shield_begin();
    aw_gather(tasks, 2, AW_RETURN_EXCEPTIONS);
    aw_shield_end();
    lab_value_int("checks", fixed.checks);
    lab_value_int("naive_checks", naive.checks);
    lab_value_int("failed_checks", fixed.failed + naive.failed);
    lab_value_int("cleanups", fixed.cleaned_up + naive.cleaned_up);
    lab_value_double("late_s", fixed.late_s);
    lab_value_double("naive_late_s", naive.late_s);
    lab_say("health: %ld checks, the last %.3f s late; health-naive: %ld checks, the last "
            "%.3f s late", fixed.checks, fixed.late_s, naive.checks, naive.late_s);
    lab_say("both cancelled after %g s; cleanups that ran: %d of 2", watch,
            fixed.cleaned_up + naive.cleaned_up);
    return status;
}

/* ----------------------------------------------------------------------- */
/* Pages                                                                     */
/* ----------------------------------------------------------------------- */

/* One page of /pages?page=<k>&size=<size>, as the server sent it. */
typedef struct page {
    long ids[MAX_ITEMS]; /* the items' ids, in order    */
    size_t count;
    long total;          /* items in the whole listing  */
    char next[128];      /* the next page's path; "" after the last */
} page;

/*
 * async def fetch_page(session, path):
 *     await asyncio.sleep(latency)           # the distance to a real API
 *     response = await session.get(server + path)
 *     response.raise_for_status()
 *     return response.json()
 */
static int fetch_page(aw_http_session *session, const char *path, page *p)
{
    int status = aw_sleep(latency);
    json_t *body = NULL, *items, *item, *next;
    if (status == AW_OK)
        status = get_json(session, path, &body);
    if (status != AW_OK)
        return status;
    json_int_t total;
    size_t i;
    if (json_unpack(body, "{s:o, s:I, s:o}", "items", &items, "total", &total, "next",
                    &next) != 0 || !json_is_array(items) || json_array_size(items) > MAX_ITEMS) {
        json_decref(body);
        return aw_raise(AW_EAPP, "%s: not a page of the lab server", path);
    }
    p->count = 0;
    json_array_foreach(items, i, item)
        p->ids[p->count++] = (long)json_integer_value(json_object_get(item, "id"));
    p->total = (long)total;
    snprintf(p->next, sizeof p->next, "%s", json_is_string(next) ? json_string_value(next) : "");
    json_decref(body);
    return AW_OK;
}

/*
 * async def pages_in_order(session, path):
 *     while path is not None:
 *         page = await fetch_page(session, path)
 *         for item in page["items"]:
 *             yield item
 *         path = page["next"]
 *
 * An async generator is an object with a __anext__() that awaits; in C it
 * is spelled out: a struct with the generator's local variables, and a
 * next() function that carries on where the last call stopped.
 */
typedef struct page_reader {
    aw_http_session *session;
    char path[128];   /* the next page to ask for; "" after the last */
    page current;
    size_t index;     /* the next item of `current` to give          */
    long requests;
} page_reader;

static void page_reader_open(page_reader *r, aw_http_session *session, const char *path)
{
    r->session = session;
    snprintf(r->path, sizeof r->path, "%s", path);
    r->current.count = r->index = 0;
    r->requests = 0;
}

/* item = await anext(reader): AW_OK with *id, or AW_OK and -1 after the last. */
static int page_reader_next(page_reader *r, long *id)
{
    while (r->index == r->current.count) {
        if (!r->path[0]) {
            *id = -1; /* StopAsyncIteration */
            return AW_OK;
        }
        int status = fetch_page(r->session, r->path, &r->current);
        if (status != AW_OK)
            return status;
        r->requests++;
        r->index = 0;
        snprintf(r->path, sizeof r->path, "%s", r->current.next);
    }
    *id = r->current.ids[r->index++];
    return AW_OK;
}

/* ----------------------------------------------------------------------- */
/* Pages, read ahead                                                         */
/* ----------------------------------------------------------------------- */

static aw_http_session *session; /* main's session, for the page fetches */

/* A page being fetched by its own task, and where the task puts it. */
typedef struct page_job {
    long number;
    aw_task *task;
    page page;
} page_job;

/* async def fetch_page_number(k): return await fetch_page(session, f"/pages?page={k}&size={size}") */
static int fetch_page_number(void *arg, intptr_t *result)
{
    page_job *job = arg;
    char path[64];
    snprintf(path, sizeof path, "/pages?page=%ld&size=%ld", job->number, size);
    *result = job->number;
    return fetch_page(session, path, &job->page);
}

/*
 * class Prefetched:
 *     """The items of every page, in order, with up to `ahead` pages
 *     fetched (or being fetched) beyond the one being read."""
 *
 * The page numbers are known in advance here (page=0, 1, 2...), which is
 * what makes reading ahead possible: a "next" link is only known once its
 * page has arrived.  How many pages there are comes with the first.
 */
typedef struct prefetcher {
    page_job *jobs[MAX_PAGES]; /* by page number, once started        */
    long pages;                /* how many; 1 until page 0 has said   */
    long started;              /* pages whose fetch has started       */
    long reading;              /* the page being read; -1 at first    */
    size_t index;              /* its next item                       */
    long in_flight, most_in_flight;
} prefetcher;

/* Starts fetches until `ahead` pages are in flight or every page has one. */
static int prefetcher_top_up(prefetcher *p)
{
    while (p->started < p->pages && (p->in_flight < ahead || p->started == 0)) {
        page_job *job = calloc(1, sizeof *job);
        if (!job)
            return AW_ENOMEM;
        job->number = p->started;
        job->task = aw_spawn(fetch_page_number, job, "page-%ld", job->number);
        p->jobs[p->started++] = job;
        if (++p->in_flight > p->most_in_flight)
            p->most_in_flight = p->in_flight;
    }
    return AW_OK;
}

/* def __init__(self): self.fetches = [asyncio.create_task(fetch_page_number(0))] */
static int prefetcher_open(prefetcher *p)
{
    *p = (prefetcher){.pages = 1, .reading = -1};
    return prefetcher_top_up(p);
}

/*
 * item = await anext(stream): the next item, in order, awaiting its page if
 * it has not arrived yet; AW_OK and -1 after the last.  Taking a page makes
 * room for one more fetch.
 */
static int prefetcher_next(prefetcher *p, long *id)
{
    while (p->reading < 0 || p->index == p->jobs[p->reading]->page.count) {
        long k = p->reading + 1;
        if (k >= p->pages) {
            *id = -1; /* StopAsyncIteration */
            return AW_OK;
        }
        int status = aw_await(p->jobs[k]->task);
        if (status != AW_OK)
            return status;
        p->reading = k;
        p->index = 0;
        p->in_flight--;
        if (k == 0) {
            long total = p->jobs[0]->page.total;
            p->pages = total > 0 ? (total + size - 1) / size : 1;
            if (p->pages > MAX_PAGES)
                p->pages = MAX_PAGES;
        }
        if ((status = prefetcher_top_up(p)) != AW_OK)
            return status;
    }
    *id = p->jobs[p->reading]->page.ids[p->index++];
    return AW_OK;
}

/*
 * await stream.aclose(): cancels the fetches still running -- nobody will
 * read their pages -- and waits until they have stopped.  The wait is
 * shielded, because the jobs freed below are where those tasks write: it
 * must happen even when the reader closes the stream because it is being
 * cancelled itself.
 */
static void prefetcher_close(prefetcher *p)
{
    aw_task *running[MAX_PAGES];
    size_t count = 0;
    for (long k = p->reading + 1; k < p->started; k++) {
        aw_cancel(p->jobs[k]->task);
        running[count++] = p->jobs[k]->task;
    }
    aw_shield_begin();
    aw_gather(running, count, AW_RETURN_EXCEPTIONS);
    aw_shield_end();
    for (long k = 0; k < p->started; k++)
        free(p->jobs[k]);
}

/* ----------------------------------------------------------------------- */
/* The consumer                                                              */
/* ----------------------------------------------------------------------- */

/*
 * async with contextlib.aclosing(stream) as items:
 *     async for item in items:
 *         await asyncio.sleep(work)          # what we do with each item
 *         in_order = in_order and item["id"] == taken
 *         taken += 1
 *         if taken == take:
 *             break
 *
 * `next` is the stream's anext(); the caller closes the stream.
 */
typedef int (*next_fn)(void *stream, long *id);

static int consume(void *stream, next_fn next)
{
    long taken = 0, id;
    bool in_order = true;
    int status;
    while ((status = next(stream, &id)) == AW_OK && id >= 0) {
        if ((status = aw_sleep(work)) != AW_OK)
            break;
        in_order = in_order && id == taken;
        if (++taken == take)
            break;
    }
    lab_value_int("items", taken);
    lab_value_bool("in_order", in_order);
    return status;
}

static int reader_next(void *stream, long *id)
{
    return page_reader_next(stream, id);
}

static int prefetch_next(void *stream, long *id)
{
    return prefetcher_next(stream, id);
}

static int pages_section(void)
{
    char first[64];
    snprintf(first, sizeof first, "/pages?page=0&size=%ld", size);
    page_reader reader;
    page_reader_open(&reader, session, first);
    int status = consume(&reader, reader_next);
    lab_value_int("requests", reader.requests);
    lab_say("one page at a time, following \"next\": %ld requests", reader.requests);
    return status;
}

static int prefetch_section(void)
{
    prefetcher stream;
    int status = prefetcher_open(&stream);
    if (status == AW_OK)
        status = consume(&stream, prefetch_next);
    prefetcher_close(&stream);
    lab_value_int("most_pages_in_flight", stream.most_in_flight);
    lab_say("pages read: %ld; at most %ld pages in flight at once", stream.reading + 1,
            stream.most_in_flight);
    return status;
}

/* ----------------------------------------------------------------------- */
/* The chapter                                                               */
/* ----------------------------------------------------------------------- */

static int run_sections(void)
{
    lab_section("periodic", "two health checks, cancelled cleanly after watch seconds");
    int status = periodic_section();
    lab_section_end();
    if (status != AW_OK)
        return status;

    lab_section("pages", "a paginated API as a stream of items, one page at a time");
    status = pages_section();
    lab_section_end();
    if (status != AW_OK)
        return status;

    lab_section("prefetch", "the same stream, with up to ahead pages in flight");
    status = prefetch_section();
    lab_section_end();
    return status;
}

static int chapter_main(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    labserver *own;
    if (!(server = lab_find_server("12", base_url, &own)))
        return AW_EINVAL;
    lab_say("lab server: %s%s", server, own ? " (started by this program)" : "");
    session = aw_http_session_new(&(aw_http_session_options){.timeout_s = request_timeout});
    int status = session ? run_sections() : AW_ENOMEM;
    aw_http_session_free(session);
    labserver_stop(own);
    return status;
}

static const lab_chapter chapter = {
    .number = "12",
    .slug = "periodic_and_pages",
    .title = "Periodic tasks and async iteration",
    .summary = "a health check that keeps its rate and stops cleanly; a paginated API read "
               "as a stream, with bounded read-ahead",
    .params = params,
    .main_knob = "ahead",
    .main = chapter_main,
};

int main(int argc, char **argv)
{
    return lab_main(&chapter, argc, argv);
}
