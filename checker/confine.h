/*
 * confine.h -- running code we did not write, under limits.
 *
 * Every build and every run of a student's exercise goes through
 * ex_confined_run(): a child process in its own process group, with
 * resource limits (CPU seconds, file size, open files, processes, memory),
 * a wall-clock limit that kills the whole group, and a cap on what it may
 * print.  Its output comes back through pipes the parent drains as it
 * goes, so a program that prints a gigabyte costs a few kilobytes of memory
 * and is stopped at the cap.
 *
 * With a sandbox (grading), the child runs inside bubblewrap: a read-only
 * view of the system, only the directories named visible, a private /tmp,
 * no network, its own PID namespace, killed with its parent.
 *
 * Memory: AddressSanitizer reserves terabytes of address space for its
 * shadow, so RLIMIT_AS (and RLIMIT_DATA) would stop every sanitized program
 * at its first instruction.  A sanitized run is bounded instead by the
 * sanitizer's own limits, set through ASAN_OPTIONS: malloc_limit_mb (a
 * malloc that would pass it fails as out of memory) and hard_rss_limit_mb
 * (the process is stopped once its resident memory passes it).  Programs
 * without a sanitizer -- the compiler -- get RLIMIT_AS.
 */
#ifndef AWAITLAB_CONFINE_H
#define AWAITLAB_CONFINE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct ex_limits {
    double wall_s;          /* real seconds before the group is killed     */
    unsigned cpu_s;         /* RLIMIT_CPU                                  */
    unsigned long mem_mb;   /* see above: RLIMIT_AS or the sanitizer's own  */
    bool sanitized;         /* the program is built with AddressSanitizer  */
    size_t output_bytes;    /* stdout + stderr before the run is stopped    */
    size_t file_bytes;      /* RLIMIT_FSIZE: the largest file it may write */
    unsigned open_files;    /* RLIMIT_NOFILE                               */
    unsigned processes;     /* RLIMIT_NPROC (only inside the sandbox, where */
                            /* the PID namespace makes it mean something)  */
} ex_limits;

/* Set from a signal handler (Ctrl-C): running children are killed at once,
 * and their outcome says so (outcome.interrupted). */
extern volatile int ex_interrupted;

/* Limits for a check run and for a compiler run: the defaults. */
ex_limits ex_limits_for_run(void);
ex_limits ex_limits_for_build(void);

/* What a sandboxed child may see.  Paths are absolute. */
typedef struct ex_sandbox {
    bool enabled;
    const char *writable_dir;     /* the scratch dir, bound read-write     */
    const char *readable[8];      /* more directories, read-only; NULL-ended */
    unsigned uid;                 /* run as this user id when started as    */
                                  /* root (0: as the caller)                */
} ex_sandbox;

/* Whether bubblewrap is installed and works here (tried once). */
bool ex_sandbox_available(char *why, size_t size);

typedef struct ex_outcome {
    int exit_code;          /* when it exited                                */
    int signal;             /* when a signal ended it (0 otherwise)          */
    bool wall_exceeded;     /* we killed it for the wall-clock limit         */
    bool output_exceeded;   /* we killed it for printing too much            */
    bool interrupted;       /* we killed it because ex_interrupted was set   */
    bool sandboxed;         /* it ran inside bubblewrap                      */
    double wall_s, cpu_s;   /* what it used                                  */
    char *out, *err;        /* the first EX_KEEP_BYTES of each, NUL-ended    */
    size_t out_total, err_total; /* how much it printed in all               */
    char *channel;          /* everything written to fd 3 (verdicts), capped */
} ex_outcome;

enum { EX_KEEP_BYTES = 64 * 1024, EX_CHANNEL_BYTES = 1024 * 1024 };

/*
 * Runs argv (argv[0] a path) in `cwd` with exactly the environment `env`
 * (NULL-ended "K=V" strings), under `limits`, inside `sandbox` when it is
 * enabled.  Fd 3 of the child is a pipe whose contents end up in
 * outcome->channel.  Returns 0 once the child has ended and every pipe is
 * drained, or -1 (errno set) if it could not be started.
 */
int ex_confined_run(char *const argv[], const char *cwd, char *const env[],
                    const ex_limits *limits, const ex_sandbox *sandbox, ex_outcome *outcome);
void ex_outcome_free(ex_outcome *outcome);

#endif /* AWAITLAB_CONFINE_H */
