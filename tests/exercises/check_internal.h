/*
 * check_internal.h -- what the parts of the check program tell each other.
 */
#ifndef AWAITLAB_CHECK_INTERNAL_H
#define AWAITLAB_CHECK_INTERNAL_H

#include "check.h"

/* Marks the calling thread as the one that runs the loop (blocking_calls.c). */
void check__on_loop_thread(void);

#endif /* AWAITLAB_CHECK_INTERNAL_H */
