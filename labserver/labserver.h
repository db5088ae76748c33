/*
 * labserver.h -- a small HTTP server that is slow, flaky or paginated on purpose.
 *
 * Asyncio patterns (gather, semaphores, timeouts, retries, pagination) are
 * best seen against a server that misbehaves in known ways, and classrooms
 * are often offline.  labserver runs on its own threads inside any program
 * (or alone, as `awaitlab serve`) and answers on 127.0.0.1:
 *
 *   /                              the route list, as JSON
 *   /delay/<seconds>               answers after that many seconds (0..600)
 *   /status/<code>                 answers with that status (200..599)
 *   /json/<id>                     a small user record
 *   /flaky?fail=<p>&seed=<n>       500 with probability p, reproducibly
 *   /pages?page=<n>&size=<k>       100 items, k at a time, with a "next" link
 *   /bytes/<n>                     n bytes (at most 100 MiB)
 *   /drip?bytes=<n>&duration=<s>   n bytes spread evenly over s seconds
 *   /stats, /stats/reset           what the server has seen, from its side
 *
 * Waiting never holds a server thread: a delayed request (or a drip between
 * two bytes) is suspended and resumed by a timer, so a thousand requests to
 * /delay/1 all finish after about one second.
 *
 * The files, one idea each: server.c (start, stop, dispatch), routes.c (the
 * handlers), timer.c (resuming suspended requests on time), stats.c (the
 * counters behind /stats), flaky.c (the reproducible coin behind /flaky),
 * parse.c (strict numbers from URLs), reply.c (JSON responses).
 */
#ifndef LABSERVER_H
#define LABSERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct labserver labserver;

/* The routes, in the order /stats lists them. */
typedef enum labserver_route {
    LABSERVER_INDEX,
    LABSERVER_DELAY,
    LABSERVER_STATUS,
    LABSERVER_JSON,
    LABSERVER_FLAKY,
    LABSERVER_PAGES,
    LABSERVER_BYTES,
    LABSERVER_DRIP,
    LABSERVER_STATS,
    LABSERVER_NOT_FOUND,   /* any path no route claims */
    LABSERVER_N_ROUTES
} labserver_route;

/* How a route is called and what it does, for help texts. */
typedef struct labserver_route_doc {
    const char *name;      /* its key in /stats "routes": "delay"  */
    const char *usage;     /* "/delay/<seconds>"                    */
    const char *summary;   /* one line                              */
} labserver_route_doc;

/* The documentation of `route`, or NULL past the last real route. */
const labserver_route_doc *labserver_route_describe(labserver_route route);

/*
 * Starts a server on `host` (an IPv4 address such as "127.0.0.1", or
 * "localhost"; NULL means 127.0.0.1) and `port` (0 picks a free one).
 * Returns the running server, or NULL with a one-line reason in `err`
 * (e.g. "127.0.0.1:8080: Address already in use").
 */
labserver *labserver_start(const char *host, int port, char *err, size_t errlen);

/*
 * Called once for every request as it ends, on a server thread: its
 * method, path (without the query), the status answered (0 when none was:
 * the client hung up, or the server stopped first) and the seconds from
 * its headers to its end.  Calls may come from several threads at once.
 */
typedef void (*labserver_log_fn)(void *context, const char *method, const char *path,
                                 unsigned status, double seconds);

/* The same as labserver_start(), with every request passed to `log`. */
labserver *labserver_start_logged(const char *host, int port, labserver_log_fn log,
                                  void *log_context, char *err, size_t errlen);

/* "http://127.0.0.1:PORT", without a trailing slash; valid until stop. */
const char *labserver_url(const labserver *server);

/* The port actually bound (the chosen one when started with port 0). */
int labserver_port(const labserver *server);

/*
 * Stops the server: it takes no new connections, requests still waiting
 * are answered 503 (a /drip is cut short), and after at most a second's
 * grace for those answers every thread is joined and every socket closed.
 * NULL is ignored.
 */
void labserver_stop(labserver *server);

/*
 * What the server has seen since it started or since the last reset.
 * Requests to /stats and /stats/reset are never counted: looking must not
 * change what is seen.
 */
typedef struct labserver_stats {
    uint64_t requests;    /* requests received                           */
    uint64_t completed;   /* of those, answered in full                  */
    uint64_t aborted;     /* of those, ended early (client hung up, ...) */
    uint64_t open;        /* received and not yet ended, right now       */
    uint64_t peak_open;   /* the most that were open at once             */
    uint64_t connections; /* TCP connections open right now, idle ones and */
                          /* those still sending headers included; like   */
                          /* "open", kept by a reset (not in /stats)      */
    uint64_t by_route[LABSERVER_N_ROUTES];
} labserver_stats;

void labserver_get_stats(labserver *server, labserver_stats *out);

/*
 * Zeroes the counters and restarts every /flaky sequence.  Requests open
 * at the moment stay open (and peak_open starts from them), but when they
 * end they count neither as completed nor as aborted.
 */
void labserver_reset_stats(labserver *server);

/*
 * Whether request number `index` (0, 1, 2, ... since the last reset) among
 * those to /flaky with this `seed` fails, for failure probability `p`:
 *
 *     u = (splitmix64(seed + index) >> 11) * 2^-53     (uniform in [0, 1))
 *     fails = u < p
 *
 * where splitmix64(x) is Steele, Lea and Flood's mixer applied to
 * x + 0x9e3779b97f4a7c15 (so splitmix64(0) = 0xe220a8397b1dcdaf), all
 * arithmetic modulo 2^64.  A client can compute in advance which of its
 * requests will fail.
 */
bool labserver_flaky_fails(uint64_t seed, uint64_t index, double p);

#endif /* LABSERVER_H */
