/*
 * confine.c -- a child process under limits, its output drained and capped.
 *
 * The parent side is one poll() loop over three pipes (stdout, stderr and
 * the verdict channel on fd 3) with the wall-clock deadline as its timeout.
 * The child side sets its limits between fork() and exec(), where nothing
 * the student wrote has run yet.
 */
#include "confine.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

volatile int ex_interrupted;

ex_limits ex_limits_for_run(void)
{
    return (ex_limits){.wall_s = 20, .cpu_s = 10, .mem_mb = 1024, .sanitized = true,
                       .output_bytes = 1024 * 1024, .file_bytes = 64 << 20,
                       .open_files = 256, .processes = 64};
}

ex_limits ex_limits_for_build(void)
{
    return (ex_limits){.wall_s = 60, .cpu_s = 40, .mem_mb = 2048, .sanitized = false,
                       .output_bytes = 1024 * 1024, .file_bytes = 256 << 20,
                       .open_files = 256, .processes = 64};
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* ----------------------------------------------------------------------- */
/* The child                                                                 */
/* ----------------------------------------------------------------------- */

static void limit(int resource, rlim_t soft, rlim_t hard)
{
    struct rlimit r = {.rlim_cur = soft, .rlim_max = hard};
    setrlimit(resource, &r);
}

static void set_limits(const ex_limits *l, bool sandboxed)
{
    limit(RLIMIT_CPU, l->cpu_s, l->cpu_s + 1); /* SIGXCPU, then SIGKILL */
    limit(RLIMIT_FSIZE, l->file_bytes, l->file_bytes);
    limit(RLIMIT_NOFILE, l->open_files, l->open_files);
    limit(RLIMIT_CORE, 0, 0);
    if (!l->sanitized)
        limit(RLIMIT_AS, (rlim_t)l->mem_mb << 20, (rlim_t)l->mem_mb << 20);
    if (sandboxed)
        limit(RLIMIT_NPROC, l->processes, l->processes);
}

/*
 * bubblewrap's command line: the system read-only, the named directories,
 * nothing else of the file system, and no namespace shared but the user's.
 */
static int sandbox_argv(const ex_sandbox *s, const char *cwd, char *const argv[],
                        const char **out, int room)
{
    static const char *const system_dirs[] = {"/usr", "/bin", "/lib", "/lib64", "/sbin", NULL};
    int n = 0;
    out[n++] = "bwrap";
    for (const char *const *d = system_dirs; *d; d++) {
        out[n++] = "--ro-bind-try";
        out[n++] = *d;
        out[n++] = *d;
    }
    const char *fixed[] = {"--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp",
                           "--unshare-all", "--die-with-parent", "--new-session",
                           "--cap-drop", "ALL", NULL};
    for (const char *const *f = fixed; *f; f++)
        out[n++] = *f;
    for (int i = 0; i < 8 && s->readable[i]; i++) {
        out[n++] = "--ro-bind";
        out[n++] = s->readable[i];
        out[n++] = s->readable[i];
    }
    out[n++] = "--bind";
    out[n++] = s->writable_dir;
    out[n++] = s->writable_dir;
    out[n++] = "--chdir";
    out[n++] = cwd;
    out[n++] = "--";
    for (int i = 0; argv[i] && n < room - 1; i++)
        out[n++] = argv[i];
    out[n] = NULL;
    return n;
}

static void close_from(int first)
{
    for (int fd = first; fd < 1024; fd++)
        close(fd);
}

static void become_unprivileged(unsigned uid)
{
    /* As root, RLIMIT_NPROC does not apply: a fork bomb's limit needs an
     * ordinary user id.  Each grading slot has its own, so one student's
     * processes never count against another's. */
    if (uid == 0 || getuid() != 0)
        return;
    if (setgroups(0, NULL) != 0 || setgid(uid) != 0 || setuid(uid) != 0)
        _exit(126);
}

static void run_child(char *const argv[], const char *cwd, char *const env[],
                      const ex_limits *l, const ex_sandbox *s, int out, int err, int chan)
{
    setpgid(0, 0);
    int null = open("/dev/null", O_RDONLY);
    dup2(null, STDIN_FILENO);
    dup2(out, STDOUT_FILENO);
    dup2(err, STDERR_FILENO);
    dup2(chan, 3);
    close_from(4);
    if (chdir(cwd) != 0) {
        fprintf(stderr, "cannot enter %s: %s\n", cwd, strerror(errno));
        _exit(126);
    }
    bool sandboxed = s && s->enabled;
    if (sandboxed)
        become_unprivileged(s->uid);
    set_limits(l, sandboxed);
    if (sandboxed) {
        const char *wrapped[128];
        sandbox_argv(s, cwd, argv, wrapped, 128);
        execve(access("/usr/bin/bwrap", X_OK) == 0 ? "/usr/bin/bwrap" : "/bin/bwrap",
               (char *const *)wrapped, env);
        fprintf(stderr, "cannot run bwrap: %s\n", strerror(errno));
    } else {
        execve(argv[0], argv, env);
        fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
    }
    _exit(127);
}

/* ----------------------------------------------------------------------- */
/* The parent                                                                */
/* ----------------------------------------------------------------------- */

typedef struct sink {
    int fd;
    char *data;
    size_t kept, keep, total;
} sink;

/* Reads what is there; keeps the first `keep` bytes, counts the rest. */
static void drain(sink *s)
{
    char buffer[16384];
    ssize_t n = read(s->fd, buffer, sizeof buffer);
    if (n <= 0) {
        if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
            close(s->fd);
            s->fd = -1;
        }
        return;
    }
    size_t room = s->keep - s->kept;
    size_t take = (size_t)n < room ? (size_t)n : room;
    memcpy(s->data + s->kept, buffer, take);
    s->kept += take;
    s->total += (size_t)n;
}

static int make_pipe(int fds[2])
{
    return pipe2(fds, O_CLOEXEC);
}

static void close_pair(int fds[2])
{
    if (fds[0] >= 0)
        close(fds[0]);
    if (fds[1] >= 0)
        close(fds[1]);
}

static double cpu_seconds(const struct rusage *r)
{
    return (double)r->ru_utime.tv_sec + (double)r->ru_utime.tv_usec / 1e6 +
           (double)r->ru_stime.tv_sec + (double)r->ru_stime.tv_usec / 1e6;
}

/* Polls the pipes until the child has ended and they are drained. */
static void supervise(pid_t pid, sink sinks[3], const ex_limits *l, ex_outcome *o)
{
    double start = now_s(), deadline = start + l->wall_s;
    bool reaped = false, killed = false;
    int status = 0;
    struct rusage usage = {0};
    double reaped_at = 0;
    for (;;) {
        if (!reaped && wait4(pid, &status, WNOHANG, &usage) == pid) {
            reaped = true;
            reaped_at = now_s();
            kill(-pid, SIGKILL); /* whatever it left behind in its group */
        }
        bool open = sinks[0].fd >= 0 || sinks[1].fd >= 0 || sinks[2].fd >= 0;
        if (reaped && (!open || now_s() > reaped_at + 1.0))
            break;
        if (!killed && sinks[0].total + sinks[1].total > l->output_bytes) {
            o->output_exceeded = killed = true;
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
        }
        if (!killed && ex_interrupted) {
            o->interrupted = killed = true;
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
        }
        if (!killed && now_s() > deadline) {
            o->wall_exceeded = killed = true;
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
        }
        struct pollfd fds[3];
        for (int i = 0; i < 3; i++)
            fds[i] = (struct pollfd){.fd = sinks[i].fd, .events = POLLIN};
        int wait_ms = open ? 50 : 10;
        if (poll(fds, 3, wait_ms) > 0)
            for (int i = 0; i < 3; i++)
                if (sinks[i].fd >= 0 && fds[i].revents)
                    drain(&sinks[i]);
    }
    for (int i = 0; i < 3; i++)
        if (sinks[i].fd >= 0)
            close(sinks[i].fd);
    o->wall_s = now_s() - start;
    o->cpu_s = cpu_seconds(&usage);
    if (WIFSIGNALED(status))
        o->signal = WTERMSIG(status);
    else
        o->exit_code = WEXITSTATUS(status);
    /* bubblewrap, as the sandbox's init, passes a child killed by signal N on
     * as exit status 128 + N, the way a shell does. */
    if (o->sandboxed && o->exit_code > 128 && o->exit_code < 128 + 32) {
        o->signal = o->exit_code - 128;
        o->exit_code = 0;
    }
}

/* The real user id of process `pid`, from /proc; -1 if it is gone. */
static long process_uid(const char *pid)
{
    char path[300], line[256];
    snprintf(path, sizeof path, "/proc/%s/status", pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    long uid = -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "Uid: %ld", &uid) == 1)
            break;
    fclose(f);
    return uid;
}

/*
 * SIGKILLs every process of `uid`, and reaps those that are ours (orphans
 * come to us: see become_subreaper()); returns how many are left.  A
 * zombie counts: RLIMIT_NPROC counts it until it is reaped.
 */
static int kill_user_processes(unsigned uid)
{
    DIR *proc = opendir("/proc");
    if (!proc)
        return 0;
    int left = 0;
    struct dirent *entry;
    while ((entry = readdir(proc))) {
        if (entry->d_name[0] < '1' || entry->d_name[0] > '9' ||
            process_uid(entry->d_name) != (long)uid)
            continue;
        pid_t pid = (pid_t)atol(entry->d_name);
        kill(pid, SIGKILL);
        if (waitpid(pid, NULL, WNOHANG) != pid)
            left++;
    }
    closedir(proc);
    return left;
}

/*
 * bubblewrap's inner process (the sandbox's init) outlives an outer one we
 * SIGKILL, and is handed to the nearest "subreaper" -- by default PID 1,
 * which in a container may be slow to reap, or never.  Its zombie would
 * count against the slot's user.  Becoming the subreaper ourselves, the
 * orphans come to us and kill_user_processes() reaps them.
 */
static void become_subreaper(void)
{
    static int done;
    if (!done) {
        prctl(PR_SET_CHILD_SUBREAPER, 1);
        done = 1;
    }
}

/*
 * A sandboxed run's user id is its slot's, and RLIMIT_NPROC counts every
 * process of that user, system-wide.  A fork bomb's thousands of processes
 * take a while to die after their sandbox does; were the slot's next run
 * started meanwhile, its own bubblewrap could not even fork ("Resource
 * temporarily unavailable").  So the slot's user is emptied around each
 * run: killed, reaped, and waited for (up to 10 s).
 */
static void empty_sandbox_user(unsigned uid)
{
    for (int round = 0; round < 200 && kill_user_processes(uid) > 0; round++)
        usleep(50 * 1000);
}

int ex_confined_run(char *const argv[], const char *cwd, char *const env[],
                    const ex_limits *l, const ex_sandbox *s, ex_outcome *o)
{
    memset(o, 0, sizeof *o);
    int out[2] = {-1, -1}, err[2] = {-1, -1}, chan[2] = {-1, -1};
    if (make_pipe(out) || make_pipe(err) || make_pipe(chan))
        goto fail;
    sink sinks[3] = {{.fd = out[0], .keep = EX_KEEP_BYTES},
                     {.fd = err[0], .keep = EX_KEEP_BYTES},
                     {.fd = chan[0], .keep = EX_CHANNEL_BYTES}};
    for (int i = 0; i < 3; i++)
        if (!(sinks[i].data = malloc(sinks[i].keep + 1)))
            goto fail_sinks;
    /* A user id of its own (grading as root): empty it before and after. */
    bool own_user = s && s->enabled && s->uid != 0 && geteuid() == 0;
    if (own_user) {
        become_subreaper();
        empty_sandbox_user(s->uid);
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        goto fail_sinks;
    if (pid == 0)
        run_child(argv, cwd, env, l, s, out[1], err[1], chan[1]);
    setpgid(pid, pid); /* as the child does: no race on who is first */
    close(out[1]);
    close(err[1]);
    close(chan[1]);
    o->sandboxed = s && s->enabled;
    supervise(pid, sinks, l, o);
    if (own_user)
        empty_sandbox_user(s->uid);
    for (int i = 0; i < 3; i++)
        sinks[i].data[sinks[i].kept] = '\0';
    o->out = sinks[0].data;
    o->err = sinks[1].data;
    o->channel = sinks[2].data;
    o->out_total = sinks[0].total;
    o->err_total = sinks[1].total;
    return 0;
fail_sinks:
    for (int i = 0; i < 3; i++)
        free(sinks[i].data);
fail: {
    int saved = errno;
    close_pair(out);
    close_pair(err);
    close_pair(chan);
    errno = saved;
    return -1;
}
}

void ex_outcome_free(ex_outcome *o)
{
    free(o->out);
    free(o->err);
    free(o->channel);
    memset(o, 0, sizeof *o);
}

bool ex_sandbox_available(char *why, size_t size)
{
    static int known = -1;
    static char reason[200];
    if (known < 0) {
        char *const argv[] = {"/bin/true", NULL};
        char *const env[] = {"PATH=/usr/bin:/bin", NULL};
        ex_limits l = ex_limits_for_build();
        l.wall_s = 10;
        ex_sandbox s = {.enabled = true, .writable_dir = "/tmp"};
        ex_outcome o;
        known = ex_confined_run(argv, "/", env, &l, &s, &o) == 0 && o.signal == 0 &&
                o.exit_code == 0;
        if (!known)
            snprintf(reason, sizeof reason, "%s",
                     o.err && *o.err ? o.err : "bubblewrap (bwrap) is not installed");
        reason[strcspn(reason, "\n")] = '\0';
        ex_outcome_free(&o);
    }
    if (!known && why)
        snprintf(why, size, "%s", reason);
    return known;
}
