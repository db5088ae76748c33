/*
 * trace_source.c -- running the watched program and reading its pipes.
 */
#include "trace_source.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

/* ----------------------------------------------------------------------- */
/* Starting                                                                 */
/* ----------------------------------------------------------------------- */

/*
 * In the child, between fork and exec: give it its own process group, a
 * clean signal state, /dev/null for input, the output pipe for stdout and
 * stderr, and the trace pipe on TV_TRACE_FD.  Only async-signal-safe calls
 * would be strictly needed here; the viewer has one thread, so setenv() is
 * safe too.
 */
static void become_child(char *const argv[], int trace_w, int output_w)
{
    setpgid(0, 0);
#ifdef __linux__
    prctl(PR_SET_PDEATHSIG, SIGTERM); /* if the viewer dies, so does the program */
#endif
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    signal(SIGPIPE, SIG_DFL);

    /* Move the trace pipe out of the way of 0, 1, 2 and 3 first. */
    int trace = fcntl(trace_w, F_DUPFD_CLOEXEC, 10);
    int null = open("/dev/null", O_RDONLY);
    if (trace < 0 || null < 0 || dup2(null, 0) < 0 || dup2(output_w, 1) < 0 ||
        dup2(output_w, 2) < 0 || dup2(trace, TV_TRACE_FD) < 0)
        _exit(127);
    char where[32];
    snprintf(where, sizeof where, "fd:%d", TV_TRACE_FD);
    setenv("AWAITLAB_TRACE", where, 1);
    execvp(argv[0], argv);
    dprintf(2, "awaitlab: cannot run %s: %s\n", argv[0], strerror(errno));
    _exit(127);
}

static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

int tv_source_start(tv_source *source, char *const argv[])
{
    *source = (tv_source){.trace_fd = -1, .output_fd = -1};
    int trace[2] = {-1, -1}, output[2] = {-1, -1};
    if (pipe2(trace, O_CLOEXEC) != 0 || pipe2(output, O_CLOEXEC) != 0)
        goto err;
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        goto err;
    if (pid == 0)
        become_child(argv, trace[1], output[1]);
    setpgid(pid, pid); /* also here, so there is no moment it is not so */
    close(trace[1]);
    close(output[1]);
    fcntl(trace[0], F_SETFL, O_NONBLOCK);
#ifdef F_SETPIPE_SZ
    /* Room for a burst of events between two frames: the viewer reads the
     * pipe once a frame, and a full pipe would stall the program. */
    fcntl(trace[0], F_SETPIPE_SZ, 1 << 20);
#endif
    fcntl(output[0], F_SETFL, O_NONBLOCK);
    source->pid = pid;
    source->trace_fd = trace[0];
    source->output_fd = output[0];
    return 0;

err:;
    int saved = errno;
    for (int i = 0; i < 2; i++) {
        close_fd(&trace[i]);
        close_fd(&output[i]);
    }
    errno = saved;
    return -1;
}

/* ----------------------------------------------------------------------- */
/* Reading                                                                  */
/* ----------------------------------------------------------------------- */

/* Keeps a finished line of output, dropping the oldest when full. */
static void keep_line(tv_source *source, const char *text, size_t length)
{
    char *line = strndup(text, length);
    if (line == NULL)
        return;
    if (source->n_lines == TV_OUTPUT_LINES) {
        free(source->lines[0]);
        memmove(source->lines, source->lines + 1,
                (TV_OUTPUT_LINES - 1) * sizeof source->lines[0]);
        source->n_lines--;
    }
    source->lines[source->n_lines++] = line;
}

static void add_output(tv_source *source, const char *bytes, size_t length)
{
    for (size_t i = 0; i < length; i++) {
        bool full = source->partial_length == sizeof source->partial;
        if (bytes[i] == '\n' || full) {
            keep_line(source, source->partial, source->partial_length);
            source->partial_length = 0;
            if (bytes[i] == '\n')
                continue;
        }
        source->partial[source->partial_length++] = bytes[i];
    }
}

static bool pump_output(tv_source *source)
{
    bool changed = false;
    char chunk[4096];
    while (source->output_fd >= 0) {
        ssize_t got = read(source->output_fd, chunk, sizeof chunk);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0 && errno == EAGAIN)
            break;
        changed = true;
        if (got <= 0) { /* end of output, or an error: either way, done */
            if (source->partial_length > 0)
                keep_line(source, source->partial, source->partial_length);
            source->partial_length = 0;
            close_fd(&source->output_fd);
            break;
        }
        add_output(source, chunk, (size_t)got);
    }
    return changed;
}

static bool pump_trace(tv_source *source, tv_feed *feed, size_t budget)
{
    if (source->trace_fd < 0)
        return false;
    ssize_t got = tv_feed_read(feed, source->trace_fd, budget);
    if (got < 0 && errno == EAGAIN)
        return false;
    if (got <= 0) /* the end of the trace, or it cannot be read any more */
        close_fd(&source->trace_fd);
    return true;
}

static bool reap(tv_source *source)
{
    if (source->pid <= 0 || source->exited)
        return false;
    if (waitpid(source->pid, &source->wait_status, WNOHANG) != source->pid)
        return false;
    source->exited = true;
    return true;
}

bool tv_source_pump(tv_source *source, tv_feed *feed, size_t budget)
{
    bool changed = pump_trace(source, feed, budget);
    changed |= pump_output(source);
    changed |= reap(source);
    return changed;
}

bool tv_source_finished(const tv_source *source)
{
    return source->exited && source->trace_fd < 0;
}

/* The last line of output that says something. */
static const char *last_words(const tv_source *source)
{
    for (size_t i = source->n_lines; i-- > 0;)
        if (source->lines[i][strspn(source->lines[i], " \t\r")] != '\0')
            return source->lines[i];
    return NULL;
}

void tv_source_describe(const tv_source *source, char *text, size_t size, bool *failed)
{
    *failed = false;
    if (!source->exited) {
        snprintf(text, size, "running");
        return;
    }
    int status = source->wait_status;
    if (WIFSIGNALED(status)) {
        *failed = true;
        snprintf(text, size, "crashed: %s", strsignal(WTERMSIG(status)));
        return;
    }
    int code = WEXITSTATUS(status);
    const char *why = code != 0 ? last_words(source) : NULL;
    *failed = code != 0;
    snprintf(text, size, "exited %d%s%s", code, why ? ": " : "", why ? why : "");
}

/* ----------------------------------------------------------------------- */
/* Stopping                                                                 */
/* ----------------------------------------------------------------------- */

/* Waits up to `ms` milliseconds for the child to exit; true if it did. */
static bool wait_a_little(tv_source *source, int ms)
{
    for (int waited = 0; waited < ms; waited += 10) {
        if (waitpid(source->pid, &source->wait_status, WNOHANG) == source->pid)
            return true;
        nanosleep(&(struct timespec){.tv_nsec = 10 * 1000 * 1000}, NULL);
    }
    return false;
}

void tv_source_stop(tv_source *source)
{
    if (source->pid > 0 && !source->exited) {
        kill(-source->pid, SIGTERM);
        if (!wait_a_little(source, 500)) {
            kill(-source->pid, SIGKILL);
            while (waitpid(source->pid, &source->wait_status, 0) < 0 && errno == EINTR)
                ;
        }
        source->exited = true;
    }
    close_fd(&source->trace_fd);
    close_fd(&source->output_fd);
    for (size_t i = 0; i < source->n_lines; i++)
        free(source->lines[i]);
    source->n_lines = 0;
    source->pid = 0;
}
