/*
 * ticker.h -- a task that takes four steps in a row, saying "tick N" (or
 * "NAME tick N") at each, to show how many turns of the loop pass between
 * two other events.  The Python side is shared/ticker.py.
 */
#ifndef AWAITLAB_TICKER_H
#define AWAITLAB_TICKER_H

#include "scenario.h"

/* Four ticks, one turn of the loop apart; `name` may be NULL. */
static inline void tick_four_turns(const char *name)
{
    for (int i = 0; i < 4; i++) {
        if (name)
            say("%s tick %d", name, i);
        else
            say("tick %d", i);
        aw_yield();
    }
}

/* A task body that only ticks; `arg` is the name, or NULL. */
static inline int ticker(void *arg, intptr_t *result)
{
    (void)result;
    tick_four_turns(arg);
    return AW_OK;
}

#endif /* AWAITLAB_TICKER_H */
