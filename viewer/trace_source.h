/*
 * trace_source.h -- a program run for its trace, read through a pipe.
 *
 * The live viewer runs the program it watches as a child process, with
 * AWAITLAB_TRACE=fd:3 in its environment: the runtime then writes the trace
 * to descriptor 3, which is the write end of a pipe whose read end the
 * viewer polls.  The program's standard output and error go to a second
 * pipe -- its summary must not scribble over the screen -- and are kept,
 * line by line, for the viewer to show on request and to tell why a
 * program failed.  Its standard input is /dev/null: the keyboard belongs to
 * the viewer.
 *
 * The child gets a process group of its own, so Ctrl-C at the terminal
 * reaches the viewer only, and the viewer decides what happens to the
 * child (it is stopped, never left behind).
 */
#ifndef TV_TRACE_SOURCE_H
#define TV_TRACE_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "trace_feed.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TV_TRACE_FD 3          /* where the child writes its trace      */
#define TV_OUTPUT_LINES 200    /* lines of the program's output kept    */

typedef struct tv_source {
    pid_t pid;              /* the child, or 0 once reaped                */
    int trace_fd;           /* read end of the trace pipe, or -1          */
    int output_fd;          /* read end of the output pipe, or -1         */
    bool exited;            /* the child has been reaped                  */
    int wait_status;        /* as waitpid() gave it, once exited          */
    char *lines[TV_OUTPUT_LINES]; /* the output, oldest first             */
    size_t n_lines;
    char partial[512];      /* an output line still being written         */
    size_t partial_length;
} tv_source;

/*
 * Starts argv[0] (searched in PATH) with argv, its trace on a pipe.
 * Returns 0, or -1 with errno set if the pipes or the process could not be
 * made.  A program that cannot be executed still "starts": its child says
 * why on the output pipe and exits with status 127.
 */
int tv_source_start(tv_source *source, char *const argv[]);

/*
 * Reads what has arrived: trace bytes into `feed` (up to `budget`), output
 * into the kept lines; reaps the child once it has exited.  Never blocks.
 * Returns true if anything changed.
 */
bool tv_source_pump(tv_source *source, tv_feed *feed, size_t budget);

/* Whether the program is gone and both pipes are drained. */
bool tv_source_finished(const tv_source *source);

/*
 * What became of the program, for the header: "running", "exited 0",
 * "exited 2: <its last line of output>", "crashed: Segmentation fault".
 * *failed is set when it did not exit with 0.
 */
void tv_source_describe(const tv_source *source, char *text, size_t size, bool *failed);

/*
 * Stops the program if it still runs (SIGTERM to its process group, then
 * SIGKILL if it has not gone within half a second), reaps it, closes the
 * pipes and frees the kept output.  The struct can be started again.
 */
void tv_source_stop(tv_source *source);

#ifdef __cplusplus
}
#endif

#endif /* TV_TRACE_SOURCE_H */
