/*
 * ls_reply.h -- JSON responses, and the errors every route shares.
 */
#ifndef LS_REPLY_H
#define LS_REPLY_H

#include <stdarg.h>
#include <stdint.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <jansson.h>
#include <microhttpd.h>

/* A response whose body is `body` as one line of JSON; takes the reference. */
struct MHD_Response *ls_json_response(json_t *body);

/*
 * A response {"error": message, "status": status}.  Any byte outside
 * printable ASCII becomes '?': messages quote what the client sent, which
 * MHD has already percent-decoded and may be anything, but JSON strings
 * must be valid UTF-8.
 */
struct MHD_Response *ls_error_response(unsigned status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Queues `response` with `status` and drops this side's reference.  A NULL
 * response (out of memory) returns MHD_NO, which makes MHD close the
 * connection: the one answer that needs no memory.
 */
enum MHD_Result ls_reply(struct MHD_Connection *c, unsigned status, struct MHD_Response *response);

/* ls_reply with ls_json_response(body). */
enum MHD_Result ls_reply_json(struct MHD_Connection *c, unsigned status, json_t *body);

/* ls_reply with ls_error_response. */
enum MHD_Result ls_reply_error(struct MHD_Connection *c, unsigned status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif /* LS_REPLY_H */
