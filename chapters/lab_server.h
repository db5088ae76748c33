/*
 * lab_server.h -- where the HTTP chapters send their requests.
 *
 * Every HTTP chapter talks to the lab server: the one its --base-url names,
 * or one it starts inside itself on a free port of 127.0.0.1, so that a
 * classroom without a network still works.
 */
#ifndef AWAITLAB_LAB_SERVER_H
#define AWAITLAB_LAB_SERVER_H

#include "labserver.h"

/*
 * The server's URL, without a trailing slash: `base_url` checked and trimmed
 * if it is given, else the URL of a server started now and stored in *own
 * (NULL when none was started; labserver_stop(*own) at the end).  Returns
 * NULL after one line on stderr, naming `chapter`, when neither works.
 */
const char *lab_find_server(const char *chapter, const char *base_url, labserver **own);

#endif /* AWAITLAB_LAB_SERVER_H */
