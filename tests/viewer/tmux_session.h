/*
 * tmux_session.h -- driving a program in a real terminal, through tmux.
 *
 * The end-to-end tests of the live viewer need a terminal, and CI has none
 * on its standard input.  tmux makes one: `new-session -d` runs a command
 * in a pseudo-terminal of a given size, `send-keys` types into it, and
 * `capture-pane -p` prints what is on its screen.  Each test session runs
 * on its own tmux server (-L with a name of its own and -f /dev/null for no
 * configuration), so the tests neither see nor disturb anyone's tmux.
 */
#ifndef TMUX_SESSION_H
#define TMUX_SESSION_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../chapters/command.h"

typedef struct tmux_session {
    char server[64]; /* the -L name of its own server */
} tmux_session;

static inline bool tmux_available(void)
{
    return system("command -v tmux >/dev/null 2>&1") == 0;
}

/* Runs `tmux -L server ARGS`; returns its output (the caller frees it). */
static inline char *tmux(const tmux_session *s, const char *args)
{
    int status;
    char *command = format_string("tmux -L %s -f /dev/null %s 2>&1", s->server, args);
    char *out = command ? command_output(command, &status) : NULL;
    free(command);
    return out;
}

static inline void tmux_do(const tmux_session *s, const char *args)
{
    free(tmux(s, args));
}

/*
 * Starts `command` (run by sh; it must not hold single quotes) in a
 * width x height terminal.  A sleep after it keeps the pane open once the
 * command has ended, so that what was left on the screen can be read;
 * tmux_stop() ends it all.
 */
static inline bool tmux_start(tmux_session *s, const char *name, int width, int height,
                              const char *command)
{
    snprintf(s->server, sizeof s->server, "awaitlab-test-%s-%d", name, (int)getpid());
    char *quoted = format_string("'%s; sleep 600'", command);
    char *args = format_string("new-session -d -x %d -y %d %s", width, height, quoted);
    char *out = tmux(s, args);
    bool ok = out != NULL && out[0] == '\0';
    if (!ok)
        fprintf(stderr, "tmux new-session failed: %s\n", out ? out : "(no output)");
    free(out);
    free(args);
    free(quoted);
    return ok;
}

static inline char *tmux_screen(const tmux_session *s)
{
    return tmux(s, "capture-pane -p");
}

/* A tmux format, e.g. "#{alternate_on}", for the session's pane. */
static inline char *tmux_query(const tmux_session *s, const char *format)
{
    char *args = format_string("display-message -p '%s'", format);
    char *out = tmux(s, args);
    free(args);
    if (out)
        out[strcspn(out, "\n")] = '\0';
    return out;
}

static inline void tmux_keys(const tmux_session *s, const char *keys)
{
    char *args = format_string("send-keys %s", keys);
    tmux_do(s, args);
    free(args);
}

static inline double seconds_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Polls the screen until every one of the NULL-terminated `texts` is on it,
 * for up to `timeout` seconds.  Returns the last screen seen (the caller
 * frees it) and sets *found.
 */
static inline char *tmux_wait_for(const tmux_session *s, double timeout, bool *found,
                                  const char *const *texts)
{
    double deadline = seconds_now() + timeout;
    char *screen = NULL;
    for (;;) {
        free(screen);
        screen = tmux_screen(s);
        *found = screen != NULL;
        for (const char *const *t = texts; *found && *t; t++)
            *found = strstr(screen, *t) != NULL;
        if (*found || seconds_now() > deadline)
            return screen;
        usleep(50 * 1000);
    }
}

static inline void tmux_stop(const tmux_session *s)
{
    tmux_do(s, "kill-server");
}

/*
 * For cmocka tests (include cmocka.h first): waits like tmux_wait_for, and
 * when the texts never all show, prints the last screen, ends the session
 * and fails the test, saying it never saw `what`.
 */
static inline void tmux_expect(const tmux_session *s, double timeout, const char *what,
                               const char *const *texts)
{
    bool found;
    char *screen = tmux_wait_for(s, timeout, &found, texts);
    if (!found) {
        fprintf(stderr, "--- the screen, waiting for %s:\n%s---\n", what,
                screen ? screen : "(none)");
        free(screen);
        tmux_stop(s);
        fail_msg("never saw %s", what);
    }
    free(screen);
}

#endif /* TMUX_SESSION_H */
