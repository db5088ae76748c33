/*
 * Exercise paged_stream -- chapter 12, complete the code.  A solution.
 *
 * The service hands out its results a page at a time: each page holds a
 * few items and the cursor of the next page ("" after the last one).
 * Complete item_stream_next() so that the caller sees one stream of items:
 * it hands out the current page's items one by one, and fetches the next
 * page only when the current one is used up and another item is asked for.
 * Follow the cursors to the end -- an empty page is not the end, an empty
 * cursor is.
 *
 * Lesson:   chapters/12_periodic_and_pages.md#the-c-version-line-by-line
 * Check it: awaitlab check paged_stream
 */
#include "awaitlab.h"

#include <stdio.h>
#include <string.h>

enum { PAGE_MAX = 50, CURSOR_MAX = 32 };

/* One page, as the service sends it. */
typedef struct page {
    long items[PAGE_MAX];
    size_t count;           /* items on this page; may be 0           */
    char next[CURSOR_MAX];  /* the next page's cursor; "" after the last */
} page;

/*
 * Given -- the check provides it: GET the page at `cursor` ("" asks for the
 * first page) and fill *p.  Takes as long as the service takes.  Returns
 * AW_OK, or an error (a cursor the service never gave out is a 404).
 * In Python: `page = await fetch_page(cursor)`.
 */
int fetch_page(const char *cursor, page *p);

/*
 * The generator's local variables, kept between two calls:
 *
 *     async def items():
 *         cursor = ""
 *         while True:
 *             page = await fetch_page(cursor)
 *             for item in page.items:
 *                 yield item
 *             if not page.next:
 *                 return
 *             cursor = page.next
 */
typedef struct item_stream {
    page current;              /* the page being handed out            */
    size_t index;              /* its next item to hand out            */
    char cursor[CURSOR_MAX];   /* the page to fetch next               */
    bool last_page;            /* current is the last page: none to fetch */
} item_stream;

/* stream = items(): nothing is fetched yet. */
void item_stream_open(item_stream *s)
{
    memset(s, 0, sizeof *s); /* no items in hand, cursor "", more to fetch */
}

/*
 * item = await anext(stream)
 *
 * Returns AW_OK with the next item in *item and *more = true; AW_OK with
 * *more = false once every page has been handed out (StopAsyncIteration);
 * or fetch_page()'s error.
 */
int item_stream_next(item_stream *s, long *item, bool *more)
{
    /* The generator's loop, turned inside out: each call runs until it has
     * an item to hand out, fetching a page only when the current one is
     * used up -- an empty page is simply used up at once. */
    while (s->index == s->current.count) {
        if (s->last_page) {
            *more = false; /* StopAsyncIteration: an end, not an error */
            return AW_OK;
        }
        int status = fetch_page(s->cursor, &s->current);
        if (status != AW_OK)
            return status;
        s->index = 0;
        s->last_page = s->current.next[0] == '\0';
        snprintf(s->cursor, sizeof s->cursor, "%s", s->current.next);
    }
    *item = s->current.items[s->index++];
    *more = true;
    return AW_OK;
}
