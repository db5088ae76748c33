/*
 * fuzz_labserver.c -- the lab server's request handling: any bytes sent to
 * a running server, which parses the request (libmicrohttpd), matches the
 * route and reads the path and query numbers (ours).  It must answer with
 * an HTTP status or hang up -- never crash -- and keep serving.
 *
 * Each input is one connection: the bytes, then the client's half-close,
 * then up to 100 ms for the answer (a /delay of minutes is left waiting;
 * the server answers it 503 when it stops at exit).
 */
#include "fuzz.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "labserver.h"

static labserver *server;

static void stop_server(void)
{
    labserver_stop(server);
}

static labserver *running_server(void)
{
    if (!server) {
        char err[160];
        server = labserver_start(NULL, 0, err, sizeof err);
        if (!server) {
            fprintf(stderr, "fuzz_labserver: %s\n", err);
            abort();
        }
        atexit(stop_server);
    }
    return server;
}

static int connect_to(const labserver *s)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET,
                               .sin_port = htons((uint16_t)labserver_port(s)),
                               .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        perror("fuzz_labserver: the server stopped taking connections");
        __builtin_trap();
    }
    return fd;
}

/* Sends what it can (the server may hang up first), and says it is done. */
static void send_all(int fd, const uint8_t *data, size_t size)
{
    while (size > 0) {
        ssize_t n = send(fd, data, size, MSG_NOSIGNAL);
        if (n <= 0)
            break;
        data += n;
        size -= (size_t)n;
    }
    shutdown(fd, SHUT_WR);
}

/* The start of the answer, until the server hangs up or 100 ms pass. */
static size_t read_answer(int fd, char *buf, size_t cap)
{
    size_t len = 0;
    struct pollfd p = {.fd = fd, .events = POLLIN};
    while (len + 1 < cap && poll(&p, 1, 100) == 1) {
        ssize_t n = recv(fd, buf + len, cap - 1 - len, 0);
        if (n <= 0)
            break;
        len += (size_t)n;
    }
    buf[len] = '\0';
    return len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int fd = connect_to(running_server());
    send_all(fd, data, size);
    char answer[256];
    size_t len = read_answer(fd, answer, sizeof answer);
    close(fd);
    /* Whatever it says is an HTTP status line. */
    if (len >= 12 && strncmp(answer, "HTTP/1.", 7) != 0)
        __builtin_trap();
    return 0;
}
