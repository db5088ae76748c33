/*
 * awaitlab_io.h -- real I/O on the runtime: blocking work on threads,
 * subprocesses, HTTP.  Included by awaitlab.h; programs include that.
 *
 *     asyncio / aiohttp                           awaitlab
 *     ------------------------------------------  -------------------------------
 *     await asyncio.to_thread(f, x)               aw_to_thread(f, x, &value)
 *     p = await create_subprocess_exec(*argv,     aw_process_run(&options, &result)
 *             stdin=PIPE, stdout=PIPE, ...)
 *     out, err = await p.communicate(input)       (the same call)
 *     p.returncode                                result.returncode
 *     async with ClientSession(...) as s:         s = aw_http_session_new(&options)
 *     async with s.get(url) as r:                 aw_http_get(s, url, &response)
 *     async with s.post(url, data=...) as r:      aw_http_post(s, url, body, len, type, &r)
 *     async with s.request(method, url, ...):     aw_http_request_send(s, &request, &r)
 *     r.status, r.headers, await r.read()         response.status, aw_http_header(), .body
 *     r.raise_for_status()                        aw_http_raise_for_status(&response)
 *     await s.close()                             aw_http_session_free(s)
 *
 * Everything here waits for something real (a thread, a child process, a
 * socket), so the virtual clock stands still while it is outstanding: only
 * the waiting for deadlines is skipped, never real work.  A timeout scope
 * around real work therefore expires only on the real clock (or once the
 * work is done).  Every call must be made from a task, inside aw_run().
 */
#ifndef AWAITLAB_IO_H
#define AWAITLAB_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ----------------------------------------------------------------------- */
/* Status codes of real I/O                                                  */
/* ----------------------------------------------------------------------- */

/*
 * The runtime's core codes are small negative numbers (awaitlab.h); these
 * sit apart, from -40 down, and still above AW_EAPP.  Each failure also
 * carries a message (aw_last_error(), or the task's error once it returns
 * the code), saying what failed and why, in the words of the OS or libcurl.
 */
enum {
    AW_EIO = -40,           /* an operating-system call failed (OSError)        */
    AW_ECONNECT = -41,      /* could not connect: name not found, connection    */
                            /* refused (aiohttp.ClientConnectorError)           */
    AW_EDISCONNECTED = -42, /* the server closed or reset the connection before */
                            /* the response was complete (ServerDisconnected-   */
                            /* Error, ClientPayloadError)                       */
    AW_EHTTP = -43,         /* aw_http_raise_for_status(): status >= 400        */
                            /* (aiohttp.ClientResponseError)                    */
    AW_ETOOBIG = -44        /* a response body was larger than its cap          */
};

/* ----------------------------------------------------------------------- */
/* Blocking work on a thread (thread.c)                                      */
/* ----------------------------------------------------------------------- */

/*
 * A blocking function to run on a worker thread: a synchronous driver
 * call, a big computation, a sleep().  It runs on another thread, so it
 * must not call any aw_* function, and whatever it shares with tasks needs
 * the usual care of threaded code (a mutex, or data nobody else touches).
 */
typedef intptr_t (*aw_thread_fn)(void *arg);

/*
 * await asyncio.to_thread(fn, arg): runs fn(arg) on a worker thread of the
 * runtime's pool (libuv's, see aw_config.thread_pool_size) and suspends the
 * calling task until it returns; other tasks run meanwhile.  Returns AW_OK
 * with fn's return value in *result (may be NULL), or AW_ECANCELLED.
 *
 * `label` names the wait in the trace ("on":"thread", "name":label); the
 * aw_to_thread() macro below passes the function's own name.
 *
 * Cancelling the task does not stop the thread -- nothing can stop a C
 * function safely from outside, and asyncio cannot either.  The task gets
 * AW_ECANCELLED at once and fn's result is thrown away when it comes;
 * aw_run() waits for every such thread before it returns, as asyncio.run()
 * waits for its executor.  One difference of timing only: a job that is
 * still queued (every worker busy) when its task is cancelled never starts,
 * exactly what concurrent.futures does for a cancelled pending future.
 */
int aw_to_thread_named(const char *label, aw_thread_fn fn, void *arg, intptr_t *result);

#define aw_to_thread(fn, arg, result) aw_to_thread_named(#fn, (fn), (arg), (result))

/*
 * How many worker threads the pool has: the size fixed when the first job
 * ran in this process, or, before that, the size the next job would fix.
 * libuv reads its pool size once per process (from UV_THREADPOOL_SIZE, which
 * the runtime sets just before its first job), so a later aw_run() asking
 * for another size keeps the first one, with a warning on stderr.
 */
unsigned aw_thread_pool_size(void);

/* ----------------------------------------------------------------------- */
/* Subprocesses (process.c)                                                  */
/* ----------------------------------------------------------------------- */

/*
 * What to do with a child's standard stream.  The zero value captures it,
 * which is what tests and graders want most (asyncio's PIPE); asyncio's
 * own default, inheriting the parent's stream, is AW_STDIO_INHERIT.
 */
typedef enum aw_stdio {
    AW_STDIO_PIPE = 0,   /* stdout/stderr: captured into the result        */
    AW_STDIO_INHERIT,    /* the parent's own stream (asyncio's None)       */
    AW_STDIO_DEVNULL     /* /dev/null (asyncio.subprocess.DEVNULL)         */
} aw_stdio;

typedef struct aw_process_options {
    const char *const *argv;   /* program and arguments, NULL-terminated; the */
                               /* program is searched in PATH, no shell       */
    const char *const *env;    /* "NAME=value", NULL-terminated; NULL: ours  */
    const char *cwd;           /* NULL: ours                                  */
    const void *input;         /* bytes for its stdin, then end of file;      */
    size_t input_size;         /* NULL: stdin is /dev/null                    */
    aw_stdio stdout_mode, stderr_mode;
    size_t output_cap;         /* bytes kept per captured stream; 0: 1 MiB.   */
                               /* More is read and dropped (see *_truncated)  */
    double kill_grace_s;       /* SIGTERM, then SIGKILL this much later; 0: 1 s */
} aw_process_options;

typedef struct aw_process_result {
    int pid;
    int returncode;            /* exit status, or -N if killed by signal N   */
                               /* (asyncio's Process.returncode)             */
    bool killed;               /* the runtime had to kill it (cancellation)  */
    char *out, *err;           /* captured bytes plus a '\0'; NULL if the    */
    size_t out_size, err_size; /* stream was not captured                    */
    bool out_truncated, err_truncated; /* the stream passed output_cap       */
} aw_process_result;

/*
 * proc = await asyncio.create_subprocess_exec(*argv, stdin=..., stdout=PIPE,
 * stderr=PIPE); out, err = await proc.communicate(input) -- in one call.
 * Starts the program, writes `input` to its stdin, reads its output until it
 * closes it, and returns once the child has exited and been reaped.
 *
 * Returns AW_OK with the outcome in *result, whatever the exit status (like
 * asyncio, a failing child is not an error of the call: check returncode);
 * AW_EIO if the program cannot be started (FileNotFoundError: the message
 * says why); AW_EINVAL for an empty argv; or AW_ECANCELLED.
 *
 * Cancellation (aw_cancel, a timeout scope, aw_wait_for) kills the child:
 * SIGTERM at once, SIGKILL if it is still alive kill_grace_s later.  The
 * call returns only once the child is reaped and every pipe is closed, so no
 * zombie and no descriptor outlives it.  (asyncio leaves a cancelled child
 * running; trio's run_process kills it, as here.)  Only the child itself is
 * signalled: processes it started in turn are its own business.
 *
 * *result is filled in on every status (pid, captured output so far, and
 * killed/returncode after a cancellation); free it with
 * aw_process_result_free().
 *
 * Writing to a child that has stopped reading would raise SIGPIPE, which
 * kills the writer.  Like the Python interpreter, which ignores SIGPIPE from
 * startup, the first call given `input` sets SIGPIPE to ignored -- unless
 * the program has chosen a disposition of its own -- so such a write just
 * fails and the call carries on.
 */
int aw_process_run(const aw_process_options *options, aw_process_result *result);

/* Frees the captured output; the struct can be reused. */
void aw_process_result_free(aw_process_result *result);

/* ----------------------------------------------------------------------- */
/* HTTP client (http.c)                                                      */
/* ----------------------------------------------------------------------- */

/* aiohttp.ClientSession: a pool of connections and default settings. */
typedef struct aw_http_session aw_http_session;

/* ClientSession(connector=TCPConnector(limit=..., limit_per_host=...), ...) */
typedef struct aw_http_session_options {
    long max_connections;          /* open at once, all hosts; 0: 100 (limit) */
    long max_connections_per_host; /* 0: no limit (limit_per_host=0)          */
    const char *const *headers;    /* default headers, "Name: value", NULL-   */
                                   /* terminated; copied                      */
    double connect_timeout_s;      /* 0: 30 s (ClientTimeout.sock_connect)    */
    double timeout_s;              /* whole request; 0: 300 s (.total);       */
                                   /* AW_NEVER: none                          */
    size_t max_body_size;          /* bytes; 0: 64 MiB                        */
} aw_http_session_options;

/*
 * A response: `status` and its reason phrase, the headers of the final
 * response (after redirects), and the whole body (plus a '\0', so text can be
 * printed as is).  Free it with aw_http_response_free().
 */
typedef struct aw_http_response {
    long status;                /* 200, 404, ...                        */
    char reason[48];            /* "OK", "Not Found", ...               */
    char *url;                  /* the final URL, after redirects       */
    char *body;
    size_t body_size;
    char *header_block;         /* private: "name\0value\0" pairs       */
    size_t header_count;
} aw_http_response;

/* A request with everything spelled out: session.request(method, url, ...). */
typedef struct aw_http_request {
    const char *method;         /* NULL: "GET", or "POST" if body is set */
    const char *url;
    const char *const *headers; /* extra "Name: value", NULL-terminated  */
    const void *body;           /* data=...; NULL: no body               */
    size_t body_size;
    const char *content_type;   /* NULL: none                            */
    double timeout_s;           /* 0: the session's                      */
} aw_http_request;

/*
 * aiohttp.ClientSession(...).  NULL options, or zero fields, take the
 * defaults above.  Returns NULL if out of memory (or outside aw_run()).
 * A session belongs to the aw_run() it was made in, and must be freed before
 * that run ends.
 */
aw_http_session *aw_http_session_new(const aw_http_session_options *options);

/*
 * await session.close(): closes the idle connections and frees the session.
 * Requests still running keep it alive until they end; new requests on it
 * fail with AW_ESTATE.
 */
void aw_http_session_free(aw_http_session *session);

/*
 * async with session.request(...) as r: await r.read() -- sends the request
 * on a pooled connection (opening one if the pool has room, else waiting for
 * one to come free) and suspends the task until the whole response has
 * arrived.  Redirects are followed (up to 10, as aiohttp does).
 *
 * Returns AW_OK with the response in *response -- also for 4xx and 5xx: a
 * status is an answer, not a failure, unless the program says so with
 * aw_http_raise_for_status().  Otherwise returns, with a message naming the
 * URL and the cause:
 *   AW_EINVAL        a malformed URL or one that is not http(s) (InvalidURL)
 *   AW_ECONNECT      name not found, connection refused
 *   AW_EDISCONNECTED the server closed or reset the connection mid-response
 *   AW_ETIMEDOUT     the connect or the total timeout passed
 *   AW_ETOOBIG       the body was larger than max_body_size
 *   AW_EIO           anything else libcurl reports
 *   AW_ESTATE        the session is being freed
 *   AW_ECANCELLED    the task was cancelled (or its timeout scope expired):
 *                    the transfer is abandoned and its connection closed.
 * *response is zeroed (nothing to free) whenever the status is not AW_OK.
 */
int aw_http_request_send(aw_http_session *session, const aw_http_request *request,
                         aw_http_response *response);

/* session.get(url) */
int aw_http_get(aw_http_session *session, const char *url, aw_http_response *response);

/* session.post(url, data=body, headers={"Content-Type": content_type}) */
int aw_http_post(aw_http_session *session, const char *url, const void *body, size_t size,
                 const char *content_type, aw_http_response *response);

/*
 * response.raise_for_status(): AW_OK if status < 400, else raises AW_EHTTP
 * with a message such as "404 Not Found: http://127.0.0.1:8080/x".
 */
int aw_http_raise_for_status(const aw_http_response *response);

/* response.headers[name], case-insensitive: the first match, or NULL. */
const char *aw_http_header(const aw_http_response *response, const char *name);

/* The i-th header of the response (0 <= i < header_count); false if none. */
bool aw_http_header_at(const aw_http_response *response, size_t i, const char **name,
                       const char **value);

/* Frees what the response holds; the struct can be reused. */
void aw_http_response_free(aw_http_response *response);

/* What a session did so far; for tests, benchmarks and lessons on pooling. */
typedef struct aw_http_session_stats {
    unsigned long requests;          /* requests that got a response        */
    unsigned long connections_opened; /* new connections (the rest reused)  */
    unsigned long connections_open;  /* sockets open now, idle ones included */
    unsigned long in_flight;         /* requests running right now          */
} aw_http_session_stats;

void aw_http_session_stats_get(const aw_http_session *session, aw_http_session_stats *stats);

#ifdef __cplusplus
}
#endif

#endif /* AWAITLAB_IO_H */
