/*
 * Check of paged_stream: a paginated API read as one lazy stream of items.
 *
 * The check is the service: its pages (sizes chosen per case, some empty)
 * are linked by opaque cursors, so the only way through is to follow each
 * page's `next`; a cursor it never gave out is a 404.  The drive reads the
 * stream as a consumer would -- one item at a time, a little work on each,
 * and in one case stopping early -- and the check compares the items, the
 * pages fetched (no page before an item of it is asked for, none after the
 * last) and the time: each page's latency plus the consumer's work.
 */
#include "check.h"

#include <stdio.h>
#include <string.h>

enum { PAGE_MAX = 50, CURSOR_MAX = 32, MAX_PAGES = 16, MAX_ITEMS = 400 };

/* The exercise's own types, which the check must spell the same way. */
typedef struct page {
    long items[PAGE_MAX];
    size_t count;
    char next[CURSOR_MAX];
} page;

typedef struct item_stream {
    page current;
    size_t index;
    char cursor[CURSOR_MAX];
    bool last_page;
} item_stream;

void item_stream_open(item_stream *s);
int item_stream_next(item_stream *s, long *item, bool *more);

static const double WORK = 0.01; /* the consumer's time per item */

static struct {
    int pages;
    size_t sizes[MAX_PAGES];
    long first_index[MAX_PAGES]; /* where each page starts in the stream */
    double latency;
    long take;                  /* the consumer stops after this many; 0: all */
    int fetches[MAX_PAGES];
    int requests, bad_cursors, busy, most_busy;
    char bad[CURSOR_MAX + 8];
    long got[MAX_ITEMS];
    long taken;
    int last_fetched;
} world;

/* The cursor of page k: nothing a client could guess from k. */
static void cursor_of(int k, char *out)
{
    if (k == 0)
        out[0] = '\0';
    else
        snprintf(out, CURSOR_MAX, "c%04x", (unsigned)(k * 7919 + 1237) % 65521);
}

/* The stream's j-th item. */
static long expected_item(long j)
{
    return 1000 + 3 * j;
}

int fetch_page(const char *cursor, page *p)
{
    int k = 0;
    char c[CURSOR_MAX];
    for (; k < world.pages; k++) {
        cursor_of(k, c);
        if (strcmp(c, cursor ? cursor : "?") == 0)
            break;
    }
    if (k == world.pages) {
        world.bad_cursors++;
        snprintf(world.bad, sizeof world.bad, "%s", cursor ? cursor : "(null)");
        return aw_raise(AW_EHTTP, "404: no page at cursor '%s'", cursor ? cursor : "(null)");
    }
    world.requests++;
    world.fetches[k]++;
    world.last_fetched = k;
    if (++world.busy > world.most_busy)
        world.most_busy = world.busy;
    int status = aw_sleep(world.latency);
    world.busy--;
    if (status != AW_OK)
        return status;
    p->count = world.sizes[k];
    for (size_t j = 0; j < p->count; j++)
        p->items[j] = expected_item(world.first_index[k] + (long)j);
    if (k + 1 < world.pages)
        cursor_of(k + 1, p->next);
    else
        p->next[0] = '\0';
    return AW_OK;
}

/* async for item in items(): ... -- with a little work on each item. */
static int drive(void *arg)
{
    (void)arg;
    item_stream stream;
    item_stream_open(&stream);
    for (;;) {
        long item;
        bool more = false;
        int status = item_stream_next(&stream, &item, &more);
        if (status != AW_OK || !more)
            return status;
        if (world.taken < MAX_ITEMS)
            world.got[world.taken] = item;
        world.taken++;
        if ((status = aw_sleep(WORK)) != AW_OK)
            return status;
        if (world.take > 0 && world.taken == world.take)
            return AW_OK;
        if (world.taken > MAX_ITEMS)
            return aw_raise(AW_EINVAL, "the stream handed out more than %d items", MAX_ITEMS);
    }
}

/* Pages a lazy stream fetches to hand out `items` items (all: every page). */
static int pages_needed(long items, long total)
{
    if (items >= total)
        return world.pages;
    long seen = 0;
    for (int k = 0; k < world.pages; k++) {
        seen += (long)world.sizes[k];
        if (seen >= items)
            return k + 1;
    }
    return world.pages;
}

static void run_case(const char *title, int pages, const size_t *sizes, double latency,
                     long take)
{
    memset(&world, 0, sizeof world);
    world.pages = pages;
    world.latency = latency;
    world.take = take;
    world.last_fetched = -1;
    long total = 0;
    for (int k = 0; k < pages; k++) {
        world.sizes[k] = sizes[k];
        world.first_index[k] = total;
        total += (long)sizes[k];
    }
    long want = take > 0 && take < total ? take : total;
    int need = pages_needed(want, total);

    check_case("%s", title);
    int status = check_run(drive, NULL, 60.0);
    if (check_failed())
        goto done;
    if (world.bad_cursors > 0) {
        check_fail("the stream asked for a page at cursor '%s', which the service never gave "
                   "out (404): the cursor of the next page is the `next` of the page before",
                   world.bad);
        goto done;
    }
    if (status != AW_OK) {
        check_fail("the stream failed with %d (%s); every page exists here", status,
                   aw_strerror(status));
        goto done;
    }
    if (world.fetches[0] > 1) {
        check_fail("the first page was fetched %d times: after the last page (its next is "
                   "\"\"), the stream is over -- *more = false -- rather than starting again",
                   world.fetches[0]);
        goto done;
    }
    long shown = world.taken < want ? world.taken : want;
    for (long j = 0; j < shown && j < MAX_ITEMS && !check_failed(); j++)
        if (world.got[j] != expected_item(j))
            check_fail("item %ld of the stream is %ld; it should be %ld -- the items of each "
                       "page, in order, then the next page's", j, world.got[j], expected_item(j));
    if (check_failed())
        goto done;
    if (world.taken < want) {
        int k = world.last_fetched;
        if (k >= 0 && world.sizes[k] == 0 && k + 1 < pages)
            check_fail("your stream ended after %ld items, at page %d, which was empty; but "
                       "its next cursor pointed at page %d, and %ld more items followed. Only "
                       "an empty `next` ends the stream.", world.taken, k, k + 1,
                       want - world.taken);
        else
            check_fail("your stream ended after %ld items; the service holds %ld, on %d pages",
                       world.taken, total, pages);
        goto done;
    }
    if (world.taken > want) {
        check_fail("your stream handed out %ld items; the service holds only %ld", world.taken,
                   total);
        goto done;
    }
    if (world.most_busy > 1) {
        check_fail("%d page fetches were out at once; a stream fetches one page at a time, "
                   "when it needs it", world.most_busy);
        goto done;
    }
    if (world.requests > need) {
        if (want < total)
            check_fail("the stream fetched %d pages to hand out %ld items, which all lie on "
                       "the first %d: page %d was fetched before anyone asked for an item of "
                       "it. Fetch the next page only when an item past the current page is "
                       "asked for.", world.requests, want, need, world.last_fetched);
        else
            check_fail("the stream fetched %d pages; there are %d", world.requests, pages);
        goto done;
    }
    double expected = need * latency + (double)want * WORK;
    if (!check_near(check_elapsed(), expected))
        check_fail("reading took %s; %d pages of %s latency and %ld items of %s work take %s",
                   check_seconds(check_elapsed()), need, check_seconds(latency), want,
                   check_seconds(WORK), check_seconds(expected));
done:
    check_case_end();
}

void exercise_check(void)
{
    static const size_t tens[] = {10, 10, 10, 10, 10};
    run_case("5 pages of 10 items, read to the end", 5, tens, 0.1, 0);

    static const size_t gaps[] = {8, 8, 0, 8, 3, 0, 5};
    run_case("7 pages, two of them empty, read to the end", 7, gaps, 0.05, 0);

    static const size_t six[] = {10, 10, 10, 10, 10, 10};
    run_case("6 pages of 10 items, the reader stops after 20", 6, six, 0.2, 20);

    static const size_t odd[] = {7, 7, 7, 2};
    run_case("4 pages, the reader stops after 15", 4, odd, 0.15, 15);
}
