/*
 * test_run_interrupt.c -- `awaitlab run NN --timeline`, stopped half way,
 * leaves no temporary trace behind.
 *
 * For --timeline the command has the chapter write its trace to a file in
 * $TMPDIR and draws it afterwards.  Here the command runs with TMPDIR set to
 * a fresh directory, in a process group of its own (as a shell's foreground
 * job is); once the chapter has printed its first line -- so the trace file
 * exists and the chapter is running -- the test interrupts it and wants the
 * exit status a shell shows for the signal (130 for Ctrl-C) and an empty
 * directory.
 *
 * Usage, from the repository root:  build/tests/chapters/test_run_interrupt build
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *build_dir = "build";

/* The run: long enough (50 jobs of 3 s, 5 at a time) never to end by itself first. */
static const char *const run_args[] = {"run", "03", "--clock", "real", "--timeline",
                                       "--n", "50", "--delay", "3", NULL};

/* A hang guard only: how long to wait for a line or for the end of output. */
enum { PATIENCE_MS = 60000 };

typedef struct running {
    pid_t pid;    /* also its process group's id */
    int out;      /* the read end of its standard output */
} running;

/* Starts `awaitlab run ...` with TMPDIR=tmpdir in a new process group. */
static running start(const char *tmpdir)
{
    int pipe_fds[2];
    assert_int_equal(pipe(pipe_fds), 0);
    char program[4096];
    snprintf(program, sizeof program, "%s/awaitlab", build_dir);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        setpgid(0, 0);
        setenv("TMPDIR", tmpdir, 1);
        dup2(pipe_fds[1], STDOUT_FILENO);
        int null = open("/dev/null", O_WRONLY);
        dup2(null, STDERR_FILENO);
        close(pipe_fds[0]);
        char *argv[16] = {program};
        for (int i = 0; run_args[i]; i++)
            argv[i + 1] = (char *)run_args[i];
        execv(program, argv);
        _exit(127);
    }
    setpgid(pid, pid); /* both sides, so it holds whichever runs first */
    close(pipe_fds[1]);
    return (running){.pid = pid, .out = pipe_fds[0]};
}

/*
 * Reads from fd until a newline (want_eof false) or end of file (true);
 * false if PATIENCE_MS passes first.
 */
static bool read_until(int fd, bool want_eof)
{
    char c;
    for (;;) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, PATIENCE_MS) <= 0)
            return false;
        ssize_t got = read(fd, &c, 1);
        if (got <= 0)
            return want_eof && got == 0;
        if (c == '\n' && !want_eof)
            return true;
    }
}

static int entries_in(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int count = 0;
    for (struct dirent *e; (e = readdir(d));)
        count += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return count;
}

/* Sends `sig` to the group (Ctrl-C) or to the command alone; checks what is left. */
static void interrupt(int sig, bool whole_group)
{
    char tmpdir[] = "/tmp/awaitlab-test-interrupt-XXXXXX";
    assert_non_null(mkdtemp(tmpdir));
    running r = start(tmpdir);

    if (!read_until(r.out, false))
        fail_msg("the chapter printed nothing within %d s", PATIENCE_MS / 1000);
    /* The run is under way: its trace file exists, so the test is real. */
    assert_int_equal(entries_in(tmpdir), 1);

    assert_int_equal(kill(whole_group ? -r.pid : r.pid, sig), 0);
    int status;
    assert_int_equal(waitpid(r.pid, &status, 0), r.pid);
    if (!WIFEXITED(status))
        fail_msg("awaitlab died of signal %d instead of exiting", WTERMSIG(status));
    assert_int_equal(WEXITSTATUS(status), 128 + sig);
    /* End of output: the chapter program, which held the pipe too, is gone. */
    if (!read_until(r.out, true))
        fail_msg("the chapter program outlived the command");
    close(r.out);

    int left = entries_in(tmpdir);
    char command[200];
    snprintf(command, sizeof command, "rm -rf '%s'", tmpdir);
    if (system(command) != 0)
        fprintf(stderr, "test_run_interrupt: cannot remove %s\n", tmpdir);
    assert_int_equal(left, 0);
}

/* Ctrl-C in a terminal: SIGINT to the whole foreground process group. */
static void test_ctrl_c_removes_the_trace(void **state)
{
    (void)state;
    interrupt(SIGINT, true);
}

/* `kill PID`: SIGTERM to the command alone, which must stop its chapter too. */
static void test_sigterm_removes_the_trace(void **state)
{
    (void)state;
    interrupt(SIGTERM, false);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        build_dir = argv[1];
    unsetenv("AWAITLAB_TRACE");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ctrl_c_removes_the_trace),
        cmocka_unit_test(test_sigterm_removes_the_trace),
    };
    return cmocka_run_group_tests_name("run_interrupt", tests, NULL, NULL);
}
