/*
 * ls_server.h -- what server.c and routes.c share: the server, one request
 * in flight, and the route table.
 */
#ifndef LS_SERVER_H
#define LS_SERVER_H

#include "labserver.h"
#include "ls_flaky.h"
#include "ls_reply.h"
#include "ls_stats.h"
#include "ls_timer.h"

struct labserver {
    struct MHD_Daemon *daemon;
    ls_timer timer;
    ls_stats stats;
    ls_flaky flaky;
    int port;
    char url[48];
    labserver_log_fn log;    /* set before the daemon starts, then read-only */
    void *log_context;
};

/*
 * One request, from its headers to its end: created on MHD's first call
 * of the access handler, freed in the request-completed callback.
 */
typedef struct ls_request {
    labserver *server;
    struct MHD_Connection *connection;
    labserver_route route;
    bool counted;            /* in the stats (all but /stats itself)     */
    uint64_t stats_epoch;
    uint64_t started_ns;     /* when the headers arrived                 */
    char method[16];         /* for the request log                      */
    char path[256];
    ls_wakeup wakeup;        /* armed while the request is suspended     */
    bool started;            /* the handler has parsed its arguments     */
    uint64_t due_ns;         /* /delay: when to answer                   */
    double seconds;          /* /delay: as asked                         */
    uint64_t body_bytes;     /* /bytes, /drip: the whole body            */
    uint64_t drip_ns;        /* /drip: spread over how long              */
} ls_request;

/*
 * A handler answers `r`; `arg` is the path after "/route/" (or "" when the
 * route takes none).  It may be called again for the same request after a
 * suspension, and must then carry on where it left off.
 */
typedef enum MHD_Result (*ls_handler)(ls_request *r, const char *arg);

typedef struct ls_route {
    labserver_route_doc doc;
    const char *path;        /* "/delay"                                   */
    bool takes_arg;          /* "/delay/<arg>"; else the path must be exact */
    bool counted;            /* false for /stats: observing must not count */
    bool allows_post;        /* besides GET and HEAD, which all allow      */
    ls_handler handle;
} ls_route;

/* Indexed by labserver_route; LABSERVER_NOT_FOUND's path is NULL. */
extern const ls_route ls_routes[LABSERVER_N_ROUTES];

#endif /* LS_SERVER_H */
