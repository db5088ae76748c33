/*
 * lab_server.c -- the HTTP chapters' lab server: given, or started here.
 */
#include "lab_server.h"

#include <stdio.h>
#include <string.h>

const char *lab_find_server(const char *chapter, const char *base_url, labserver **own)
{
    static char given[256];
    *own = NULL;
    if (base_url) {
        if (strncmp(base_url, "http://", 7) != 0 || strlen(base_url) >= sizeof given) {
            fprintf(stderr, "awaitlab: chapter %s: --base-url %s: not a URL such as "
                            "http://127.0.0.1:8080 (`awaitlab serve` runs a lab server)\n",
                    chapter, base_url);
            return NULL;
        }
        snprintf(given, sizeof given, "%s", base_url);
        char *path = strchr(given + 7, '/');
        if (path)
            *path = '\0'; /* "http://host:port/" -> "http://host:port" */
        return given;
    }
    char why[160];
    *own = labserver_start("127.0.0.1", 0, why, sizeof why);
    if (!*own) {
        fprintf(stderr, "awaitlab: chapter %s: cannot start the lab server: %s\n", chapter, why);
        return NULL;
    }
    return labserver_url(*own);
}
