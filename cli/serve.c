/*
 * serve.c -- `awaitlab serve`: the lab server on its own, until Ctrl-C.
 *
 * Chapters start a lab server inside themselves; this runs one alone, for
 * curl, for a Python twin, or for several chapters to share.
 */
#include "commands.h"
#include "labserver.h"
#include "suggest.h"

#include <arpa/inet.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

typedef struct serve_options {
    const char *host;
    int port;
    bool quiet;
    bool help;
} serve_options;

static void serve_usage(void)
{
    printf("usage: awaitlab serve [--host 127.0.0.1] [--port N] [--quiet]\n\n"
           "Runs the lab server -- slow, flaky and paginated endpoints on purpose --\n"
           "until Ctrl-C.  It prints its URL first, then its routes, then a line on\n"
           "stderr per request as it ends: method, path, status, seconds taken.\n"
           "  --host ADDR   the IPv4 address to listen on (default 127.0.0.1)\n"
           "  --port N      the port (default 0: any free one)\n"
           "  --quiet       no line per request\n");
}

static bool is_flag(const char *arg, const char *flag)
{
    size_t n = strlen(flag);
    return strncmp(arg, flag, n) == 0 && (arg[n] == '\0' || arg[n] == '=');
}

/* Takes a flag's value from "--flag=value" or the next argument. */
static const char *flag_value(int argc, char **argv, int *i, const char *flag)
{
    const char *eq = strchr(argv[*i], '=');
    if (eq)
        return eq + 1;
    if (*i + 1 >= argc) {
        fprintf(stderr, "awaitlab serve: %s needs a value\n", flag);
        return NULL;
    }
    return argv[++*i];
}

static bool parse_port(const char *text, int *port)
{
    long value = 0;
    if (!*text || strlen(text) > 5)
        return false;
    for (const char *p = text; *p; p++) {
        if (*p < '0' || *p > '9')
            return false;
        value = value * 10 + (*p - '0');
    }
    if (value > 65535)
        return false;
    *port = (int)value;
    return true;
}

static bool valid_host(const char *host)
{
    struct in_addr addr;
    return strcmp(host, "localhost") == 0 || inet_pton(AF_INET, host, &addr) == 1;
}

static void unknown_flag(const char *arg)
{
    static const char *const flags[] = {"--host", "--port", "--quiet", "--help", NULL};
    char name[64];
    snprintf(name, sizeof name, "%.*s", (int)strcspn(arg, "="), arg);
    const char *guess = suggest_closest(name, flags);
    if (guess)
        fprintf(stderr, "awaitlab serve: unknown flag '%s' (did you mean '%s'?)\n", name, guess);
    else
        fprintf(stderr, "awaitlab serve: unknown argument '%s' (try --help)\n", arg);
}

/* Fills `o`; returns 0, or EXIT_USAGE after one line on stderr. */
static int parse(int argc, char **argv, serve_options *o)
{
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i], *v;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            o->help = true;
        } else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
            o->quiet = true;
        } else if (is_flag(a, "--host")) {
            if (!(v = flag_value(argc, argv, &i, "--host")))
                return EXIT_USAGE;
            if (!valid_host(v)) {
                fprintf(stderr, "awaitlab serve: --host %s: must be an IPv4 address "
                                "such as 127.0.0.1\n", v);
                return EXIT_USAGE;
            }
            o->host = v;
        } else if (is_flag(a, "--port")) {
            if (!(v = flag_value(argc, argv, &i, "--port")))
                return EXIT_USAGE;
            if (!parse_port(v, &o->port)) {
                fprintf(stderr, "awaitlab serve: --port %s: must be a whole number "
                                "from 0 to 65535\n", v);
                return EXIT_USAGE;
            }
        } else {
            unknown_flag(a);
            return EXIT_USAGE;
        }
    }
    return 0;
}

/*
 * A server is for holding many connections at once, one descriptor each,
 * and the usual soft limit of 1024 would cap it below a thousand clients.
 */
static void raise_open_files_limit(void)
{
    struct rlimit limit;
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
}

/*
 * "GET /delay/1 200 1.002 s": one request, as it ends.  One fprintf per
 * line, so lines from server threads never interleave (stdio locks).
 */
static void log_request(void *context, const char *method, const char *path,
                        unsigned status, double seconds)
{
    (void)context;
    if (status == 0)
        fprintf(stderr, "%s %s (ended before an answer) %.3f s\n", method, path,
                seconds);
    else
        fprintf(stderr, "%s %s %u %.3f s\n", method, path, status, seconds);
}

static void print_routes(const char *url)
{
    printf("awaitlab lab server: %s\n\n", url);
    const labserver_route_doc *doc;
    for (int r = 0; (doc = labserver_route_describe((labserver_route)r)); r++)
        if (r != LABSERVER_NOT_FOUND)
            printf("  %-30s %s\n", doc->usage, doc->summary);
    printf("\nCtrl-C stops it.\n");
    fflush(stdout);
}

int cmd_serve(int argc, char **argv)
{
    serve_options o = {.host = "127.0.0.1", .port = 0};
    int status = parse(argc, argv, &o);
    if (status)
        return status;
    if (o.help) {
        serve_usage();
        return 0;
    }
    raise_open_files_limit();

    /*
     * Block the stop signals before any server thread exists, so that all
     * of them inherit the mask and the signals come only to sigwait below:
     * stopping then happens here, on an ordinary thread, not in a handler.
     */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);

    char err[160];
    labserver *server = labserver_start_logged(o.host, o.port, o.quiet ? NULL : log_request,
                                               NULL, err, sizeof err);
    if (!server) {
        fprintf(stderr, "awaitlab serve: cannot start the lab server: %s\n", err);
        return EXIT_FAILED;
    }
    print_routes(labserver_url(server));

    int sig;
    sigwait(&stop, &sig);
    fprintf(stderr, "awaitlab serve: %s, stopping\n", sig == SIGINT ? "interrupted" : "terminated");
    labserver_stop(server);
    return 0;
}
