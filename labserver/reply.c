/*
 * reply.c -- JSON responses, and the errors every route shares.
 */
#include "ls_reply.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Short reals: 0.2 prints as 0.2, not 0.20000000000000001. */
#define LS_JSON_FLAGS JSON_REAL_PRECISION(15)

struct MHD_Response *ls_json_response(json_t *body)
{
    char *text = body ? json_dumps(body, LS_JSON_FLAGS) : NULL;
    json_decref(body);
    if (!text)
        return NULL;
    /* One newline at the end, so `curl URL` leaves the prompt on its own line. */
    size_t len = strlen(text);
    char *line = realloc(text, len + 2);
    if (!line) {
        free(text);
        return NULL;
    }
    memcpy(line + len, "\n", 2);
    struct MHD_Response *r =
        MHD_create_response_from_buffer(len + 1, line, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(line);
        return NULL;
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
    return r;
}

__attribute__((format(printf, 2, 0)))
static struct MHD_Response *ls_error_vresponse(unsigned status, const char *fmt, va_list args)
{
    char message[256];
    vsnprintf(message, sizeof message, fmt, args);
    for (char *p = message; *p; p++)
        if (*p < ' ' || *p > '~')
            *p = '?';
    return ls_json_response(json_pack("{sssi}", "error", message, "status", (int)status));
}

struct MHD_Response *ls_error_response(unsigned status, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    struct MHD_Response *r = ls_error_vresponse(status, fmt, args);
    va_end(args);
    return r;
}

enum MHD_Result ls_reply(struct MHD_Connection *c, unsigned status, struct MHD_Response *response)
{
    if (!response)
        return MHD_NO;
    enum MHD_Result ok = MHD_queue_response(c, status, response);
    MHD_destroy_response(response);
    return ok;
}

enum MHD_Result ls_reply_json(struct MHD_Connection *c, unsigned status, json_t *body)
{
    return ls_reply(c, status, ls_json_response(body));
}

enum MHD_Result ls_reply_error(struct MHD_Connection *c, unsigned status, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    struct MHD_Response *r = ls_error_vresponse(status, fmt, args);
    va_end(args);
    return ls_reply(c, status, r);
}
