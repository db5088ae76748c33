/*
 * A submission that tries the network: a connection to a port the test
 * listens on (AWAITLAB_TEST_PORT), and says whether it got through.
 */
#include "awaitlab.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

int fetch_all(long n, intptr_t *results)
{
    (void)n;
    (void)results;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(AWAITLAB_TEST_PORT)};
    inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&to, sizeof to) == 0)
        printf("connected to the outside\n");
    else
        printf("no network\n");
    if (fd >= 0)
        close(fd);
    return AW_OK;
}
