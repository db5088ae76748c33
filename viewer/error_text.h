/*
 * error_text.h -- a failed task's error in words, never as a bare number.
 *
 * A "done" event with "outcome":"error" carries the runtime's status code
 * and, usually, the message the task raised.  A reader wants the words:
 * "TimeoutError: fetch-3 timed out", "item-2: connection refused".  The
 * codes below -100 belong to the program, which names them in its message.
 */
#ifndef TV_ERROR_TEXT_H
#define TV_ERROR_TEXT_H

#include <stddef.h>

#include "trace_model.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The error of `outcome` in words: the name of the runtime's code (the
 * asyncio exception it stands for) and the message, as far as they are
 * known, e.g. "TimeoutError: timed out" or "item-2: connection refused".
 */
void tv_error_text(const tv_outcome *outcome, char *text, size_t size);

#ifdef __cplusplus
}
#endif

#endif /* TV_ERROR_TEXT_H */
