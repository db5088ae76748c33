/*
 * error_text.c -- a failed task's error in words.
 *
 * The viewer knows nothing of the runtime but its trace, so the runtime's
 * codes are named here once more, from runtime/awaitlab.h and
 * runtime/awaitlab_io.h.
 */
#include "error_text.h"

#include <stdio.h>

typedef struct code_name {
    int code;
    const char *name;  /* the asyncio exception it stands for */
    const char *words; /* what it says when the task gave no message */
} code_name;

static const code_name codes[] = {
    {-1, "CancelledError", "cancelled"},
    {-2, "TimeoutError", "timed out"},
    {-3, "ValueError", "invalid argument"},
    {-4, "MemoryError", "out of memory"},
    {-5, "RuntimeError", "called at the wrong time"},
    {-6, "RuntimeError", "deadlock: every task is waiting"},
    {-7, "QueueFull", "queue full"},
    {-8, "QueueEmpty", "queue empty"},
    {-9, "QueueShutDown", "queue shut down"},
    {-10, "ExceptionGroup", "tasks of the group failed"},
    {-40, "OSError", "input/output error"},
    {-41, "ConnectionError", "could not connect"},
    {-42, "ConnectionResetError", "connection closed mid-response"},
    {-43, "HTTPError", "HTTP error status"},
    {-44, "ValueError", "too large"},
};

void tv_error_text(const tv_outcome *outcome, char *text, size_t size)
{
    const code_name *known = NULL;
    for (size_t i = 0; i < sizeof codes / sizeof *codes; i++)
        if (codes[i].code == outcome->code)
            known = &codes[i];
    const char *message = outcome->message && *outcome->message ? outcome->message : NULL;
    if (known != NULL)
        snprintf(text, size, "%s: %s", known->name, message ? message : known->words);
    else if (message != NULL)
        snprintf(text, size, "%s", message);
    else
        snprintf(text, size, "failed (the program's error %d, with no message)", outcome->code);
}
