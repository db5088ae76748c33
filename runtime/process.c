/*
 * process.c -- aw_process_run(): a child process, its pipes, and its end
 * (asyncio.create_subprocess_exec + Process.communicate).
 *
 * libuv does the hard parts: uv_spawn() forks and execs with the pipes in
 * place, and its SIGCHLD handler reaps the child and calls child_exited().
 * What this file adds is bookkeeping, all of it in one heap struct, `child`:
 *
 *   - every libuv handle it uses (the process, up to three pipes, the kill
 *     timer) is counted in open_handles while it is open;
 *   - a pipe is closed when its stream ends (EOF on stdout/stderr, stdin
 *     fully written), the process handle when the child has exited;
 *   - when the last close callback has run, libuv holds no pointer into the
 *     struct any more: only then is the waiting task woken.
 *
 * So the task is parked for the child's whole life, including after a
 * cancellation: cancelling sends SIGTERM, arms a timer for SIGKILL, closes
 * the pipes, and keeps waiting until the child is reaped.  When
 * aw_process_run() returns, the child is gone, no zombie is left, and every
 * descriptor the call opened is closed -- whatever happened.
 *
 * The child counts as real work from start to finish, so the loop keeps
 * polling libuv for it, and the virtual clock does not move meanwhile (a
 * timeout around a child therefore needs the real clock).
 */
#include "internal.h"

#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

enum {
    DEFAULT_OUTPUT_CAP = 1 << 20, /* 1 MiB per captured stream     */
    READ_CHUNK = 64 * 1024        /* one read() from a pipe at most */
};

/* stdout or stderr, when captured. */
typedef struct child_stream {
    uv_pipe_t pipe;
    struct child *child;
    char *data;        /* what we kept, plus room for a '\0' */
    size_t size, capacity;
    bool truncated;    /* more arrived than output_cap      */
} child_stream;

typedef struct child {
    uv_process_t process;
    uv_pipe_t stdin_pipe;
    uv_write_t stdin_write;
    child_stream out, err;
    uv_timer_t kill_timer;
    aw_task *task;            /* parked until open_handles is 0     */
    int open_handles;
    bool exited;
    bool killing;             /* cancelled: the child must go         */
    bool signalled;           /* ...and it was alive, so we sent SIGTERM */
    int64_t exit_status;
    int term_signal;
    size_t output_cap;
    uint64_t grace_ms;
    char chunk[READ_CHUNK];   /* each read lands here first; see on_alloc */
} child;

/* ----------------------------------------------------------------------- */
/* Handles: open, close, and the end of it all                               */
/* ----------------------------------------------------------------------- */

static child *child_of(uv_handle_t *handle) { return handle->data; }

/* The last handle closed: nothing of libuv's points into `c` any more. */
static void on_closed(uv_handle_t *handle)
{
    child *c = child_of(handle);
    if (--c->open_handles == 0) {
        aw__the_loop->real_work--;
        aw__wake(c->task, c->killing ? AW_ECANCELLED : AW_OK);
    }
}

static void close_handle(void *handle)
{
    if (!uv_is_closing(handle))
        uv_close(handle, on_closed);
}

/* Every handle is given the child as its data and counted while open. */
static void opened(child *c, void *handle)
{
    ((uv_handle_t *)handle)->data = c;
    c->open_handles++;
}

/* ----------------------------------------------------------------------- */
/* Reading stdout and stderr                                                 */
/* ----------------------------------------------------------------------- */

/*
 * libuv asks for a buffer before each read and hands it back in on_read()
 * right away, so one scratch chunk serves both streams.  Copying out of it
 * lets on_read() keep what fits under the cap and drop the rest, while the
 * child keeps writing without ever blocking on a full pipe.
 */
static void on_alloc(uv_handle_t *handle, size_t suggested, uv_buf_t *buf)
{
    (void)suggested;
    child *c = child_of(handle);
    *buf = uv_buf_init(c->chunk, sizeof c->chunk);
}

static bool keep(child_stream *s, const char *bytes, size_t n, size_t cap)
{
    if (s->size + n > cap) {
        s->truncated = true;
        n = cap - s->size;
    }
    if (s->size + n + 1 > s->capacity) {
        size_t capacity = s->capacity ? s->capacity : 4096;
        while (capacity < s->size + n + 1)
            capacity *= 2;
        char *data = realloc(s->data, capacity);
        if (!data)
            return false;
        s->data = data;
        s->capacity = capacity;
    }
    memcpy(s->data + s->size, bytes, n);
    s->size += n;
    s->data[s->size] = '\0';
    return true;
}

static void on_read(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf)
{
    child_stream *s = aw__container_of((uv_pipe_t *)stream, child_stream, pipe);
    if (nread > 0 && !keep(s, buf->base, (size_t)nread, s->child->output_cap))
        s->truncated = true; /* out of memory: the output we have is all we get */
    if (nread < 0)           /* UV_EOF, or the pipe broke: this stream is over */
        close_handle(stream);
}

/* ----------------------------------------------------------------------- */
/* Writing stdin                                                             */
/* ----------------------------------------------------------------------- */

/*
 * The input is written in one uv_write(); closing the pipe afterwards is the
 * child's end of file.  A child that exits without reading it all makes the
 * write fail with EPIPE, which asyncio's communicate() ignores too.
 */
static void on_written(uv_write_t *req, int status)
{
    (void)status;
    child *c = req->data;
    close_handle(&c->stdin_pipe);
}

/*
 * Writing to a pipe whose reader is gone raises SIGPIPE, which kills the
 * writer by default.  Python ignores SIGPIPE from startup so that such a
 * write fails with EPIPE instead; we do the same the first time we feed a
 * child, unless the program chose a disposition of its own.  (libuv resets
 * signal dispositions in the child, so the child is not affected.)
 */
static void ignore_sigpipe_once(void)
{
    static bool done;
    struct sigaction current;
    if (done)
        return;
    done = true;
    if (sigaction(SIGPIPE, NULL, &current) == 0 && current.sa_handler == SIG_DFL)
        signal(SIGPIPE, SIG_IGN);
}

/* ----------------------------------------------------------------------- */
/* The child's end                                                           */
/* ----------------------------------------------------------------------- */

static void on_exit_cb(uv_process_t *process, int64_t exit_status, int term_signal)
{
    child *c = child_of((uv_handle_t *)process);
    c->exited = true;
    c->exit_status = exit_status;
    c->term_signal = term_signal;
    close_handle(process);
    if (c->signalled) /* the SIGKILL timer was armed, and is not needed now */
        close_handle(&c->kill_timer);
}

static void on_grace_over(uv_timer_t *timer)
{
    child *c = child_of((uv_handle_t *)timer);
    if (!c->exited)
        uv_process_kill(&c->process, SIGKILL);
}

/*
 * Ends the child early: SIGTERM now (a chance to clean up), SIGKILL after
 * the grace period if it is still there.  Its output is no longer wanted, so
 * the pipes close at once; a child that writes to them gets SIGPIPE, which
 * only hastens its end.
 */
static void child_kill(child *c)
{
    if (c->killing)
        return;
    c->killing = true;
    if (c->stdin_pipe.data)
        close_handle(&c->stdin_pipe);
    if (c->out.child)
        close_handle(&c->out.pipe);
    if (c->err.child)
        close_handle(&c->err.pipe);
    if (c->exited)
        return;
    c->signalled = true;
    uv_process_kill(&c->process, SIGTERM);
    uv_timer_init(&aw__the_loop->uv, &c->kill_timer);
    opened(c, &c->kill_timer);
    uv_timer_start(&c->kill_timer, on_grace_over, c->grace_ms, 0);
}

/* Cancelling the task kills the child; the task keeps waiting for its end. */
static void process_on_cancel(aw_task *task)
{
    child_kill(task->wait->data);
}

/* ----------------------------------------------------------------------- */
/* Starting it                                                               */
/* ----------------------------------------------------------------------- */

/* One of the child's stdout/stderr, as libuv wants it described. */
static void plan_output(child *c, child_stream *s, aw_stdio mode, int fd,
                        uv_stdio_container_t *slot)
{
    switch (mode) {
    case AW_STDIO_INHERIT:
        slot->flags = UV_INHERIT_FD;
        slot->data.fd = fd;
        break;
    case AW_STDIO_DEVNULL:
        slot->flags = UV_IGNORE; /* libuv opens /dev/null for fds 0-2 */
        break;
    default:
        uv_pipe_init(&aw__the_loop->uv, &s->pipe, 0);
        opened(c, &s->pipe);
        s->child = c;
        slot->flags = UV_CREATE_PIPE | UV_WRITABLE_PIPE;
        slot->data.stream = (uv_stream_t *)&s->pipe;
    }
}

static void plan_input(child *c, const aw_process_options *options, uv_stdio_container_t *slot)
{
    if (!options->input) {
        slot->flags = UV_IGNORE;
        return;
    }
    uv_pipe_init(&aw__the_loop->uv, &c->stdin_pipe, 0);
    opened(c, &c->stdin_pipe);
    slot->flags = UV_CREATE_PIPE | UV_READABLE_PIPE;
    slot->data.stream = (uv_stream_t *)&c->stdin_pipe;
}

/* The child runs: start reading its output and feeding its input. */
static void start_streams(child *c, const aw_process_options *options)
{
    if (c->out.child)
        uv_read_start((uv_stream_t *)&c->out.pipe, on_alloc, on_read);
    if (c->err.child)
        uv_read_start((uv_stream_t *)&c->err.pipe, on_alloc, on_read);
    if (!options->input)
        return;
    if (options->input_size == 0) {
        close_handle(&c->stdin_pipe);
        return;
    }
    ignore_sigpipe_once();
    uv_buf_t buf = uv_buf_init((char *)options->input, (unsigned)options->input_size);
    c->stdin_write.data = c;
    if (uv_write(&c->stdin_write, (uv_stream_t *)&c->stdin_pipe, &buf, 1, on_written) != 0)
        close_handle(&c->stdin_pipe);
}

static int spawn(child *c, const aw_process_options *options)
{
    uv_stdio_container_t stdio[3] = {{0}};
    plan_input(c, options, &stdio[0]);
    plan_output(c, &c->out, options->stdout_mode, 1, &stdio[1]);
    plan_output(c, &c->err, options->stderr_mode, 2, &stdio[2]);
    uv_process_options_t how = {
        .exit_cb = on_exit_cb,
        .file = options->argv[0],
        .args = (char **)options->argv,
        .env = (char **)options->env,
        .cwd = options->cwd,
        .stdio_count = 3,
        .stdio = stdio,
    };
    int rc = uv_spawn(&aw__the_loop->uv, &c->process, &how);
    opened(c, &c->process); /* to be closed even if the spawn failed */
    if (rc != 0) {
        close_handle(&c->process);
        if (c->stdin_pipe.data)
            close_handle(&c->stdin_pipe);
        if (c->out.child)
            close_handle(&c->out.pipe);
        if (c->err.child)
            close_handle(&c->err.pipe);
    }
    return rc;
}

/* ----------------------------------------------------------------------- */
/* aw_process_run                                                            */
/* ----------------------------------------------------------------------- */

static void take_stream(child_stream *s, char **data, size_t *size, bool *truncated)
{
    if (!s->child)
        return;
    if (!s->data)
        s->data = calloc(1, 1); /* captured, and empty: "" rather than NULL */
    *data = s->data;
    *size = s->data ? s->size : 0;
    *truncated = s->truncated;
    s->data = NULL;
}

static void fill_result(child *c, aw_process_result *result)
{
    result->pid = c->process.pid;
    if (c->exited)
        result->returncode = c->term_signal ? -c->term_signal : (int)c->exit_status;
    result->killed = c->signalled;
    take_stream(&c->out, &result->out, &result->out_size, &result->out_truncated);
    take_stream(&c->err, &result->err, &result->err_size, &result->err_truncated);
}

static child *child_new(const aw_process_options *options)
{
    child *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->task = aw__current();
    c->output_cap = options->output_cap ? options->output_cap : DEFAULT_OUTPUT_CAP;
    double grace = options->kill_grace_s > 0 ? options->kill_grace_s : 1.0;
    c->grace_ms = (uint64_t)(grace * 1000 + 0.5);
    return c;
}

int aw_process_run(const aw_process_options *options, aw_process_result *result)
{
    aw_task *self = aw__current();
    if (!self)
        return AW_ESTATE;
    if (!options || !result || !options->argv || !options->argv[0])
        return aw_raise(AW_EINVAL, "aw_process_run: no program to run");
    if (options->input_size > UINT_MAX) /* one uv_write() takes at most this */
        return aw_raise(AW_EINVAL, "aw_process_run: input of %zu bytes is too large",
                        options->input_size);
    memset(result, 0, sizeof *result);
    if (aw__cancel_pending(self))
        return AW_ECANCELLED;
    child *c = child_new(options);
    if (!c)
        return aw_raise(AW_ENOMEM, "aw_process_run: out of memory");

    aw__the_loop->real_work++; /* from the first handle opened to the last closed */
    int rc = spawn(c, options);
    if (rc == 0)
        start_streams(c, options);

    /*
     * keeps_waiting: even a cancelled task parks here, because the child must
     * be killed and reaped before the call can return.
     */
    if (rc == 0 && aw__cancel_pending(self))
        child_kill(c);
    aw__wait wait = {.on = "process", .name = options->argv[0], .keeps_waiting = true,
                     .on_cancel = process_on_cancel, .data = c};
    int status = aw__suspend(&wait); /* until every handle is closed */
    if (status == AW_OK && aw__cancel_pending(self))
        status = AW_ECANCELLED; /* cancelled after the child's end: still reported */
    fill_result(c, result);
    free(c->out.data);
    free(c->err.data);
    free(c);
    if (rc != 0)
        return aw_raise(AW_EIO, "cannot run '%s': %s", options->argv[0], uv_strerror(rc));
    return status;
}

void aw_process_result_free(aw_process_result *result)
{
    if (!result)
        return;
    free(result->out);
    free(result->err);
    result->out = result->err = NULL;
    result->out_size = result->err_size = 0;
}
