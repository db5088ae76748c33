/*
 * trace_fixtures.h -- small hand-written traces for the viewer's tests.
 *
 * JSON is full of double quotes, which C strings would have to escape on
 * every key.  So the traces here are written with single quotes, and
 * load_trace() turns them into double quotes before loading: the text in
 * the test reads like the trace file it stands for.
 */
#ifndef TRACE_FIXTURES_H
#define TRACE_FIXTURES_H

#include <stdlib.h>
#include <string.h>

#include "trace_model.h"

/* Loads a trace written with single quotes (see above). */
static inline tv_model *load_trace(const char *single_quoted)
{
    char *text = strdup(single_quoted);
    if (text == NULL)
        return NULL;
    for (char *c = text; *c; c++)
        if (*c == '\'')
            *c = '"';
    tv_model *model = tv_model_load_string(text);
    free(text);
    return model;
}

/*
 * Section "gather": main gathers three fetches, each sleeping 0.5 s; fetch-2
 * fails.  After the section main sleeps 0.1 s more and returns.
 */
static const char GATHER_TRACE[] =
    "{'ev':'start','version':1,'clock':'virtual'}\n"
    "{'t':0.000000,'ev':'spawn','task':1,'name':'main','parent':0}\n"
    "{'t':0.000000,'ev':'run','task':1}\n"
    "{'t':0.000000,'ev':'mark','text':'section gather'}\n"
    "{'t':0.000000,'ev':'spawn','task':2,'name':'fetch-0','parent':1}\n"
    "{'t':0.000000,'ev':'spawn','task':3,'name':'fetch-1','parent':1}\n"
    "{'t':0.000000,'ev':'spawn','task':4,'name':'fetch-2','parent':1}\n"
    "{'t':0.000000,'ev':'wait','task':1,'on':'gather','target':0}\n"
    "{'t':0.000000,'ev':'run','task':2}\n"
    "{'t':0.000000,'ev':'wait','task':2,'on':'sleep','until':0.500000}\n"
    "{'t':0.000000,'ev':'run','task':3}\n"
    "{'t':0.000000,'ev':'wait','task':3,'on':'sleep','until':0.500000}\n"
    "{'t':0.000000,'ev':'run','task':4}\n"
    "{'t':0.000000,'ev':'wait','task':4,'on':'sleep','until':0.500000}\n"
    "{'t':0.500000,'ev':'wake','task':2,'status':0}\n"
    "{'t':0.500000,'ev':'wake','task':3,'status':0}\n"
    "{'t':0.500000,'ev':'wake','task':4,'status':0}\n"
    "{'t':0.500000,'ev':'run','task':2}\n"
    "{'t':0.500000,'ev':'done','task':2,'outcome':'ok','value':0}\n"
    "{'t':0.500000,'ev':'run','task':3}\n"
    "{'t':0.500000,'ev':'done','task':3,'outcome':'ok','value':1}\n"
    "{'t':0.500000,'ev':'run','task':4}\n"
    "{'t':0.500000,'ev':'done','task':4,'outcome':'error','code':-100,"
    "'error':'item-2: connection refused','origin':'fetch-2'}\n"
    "{'t':0.500000,'ev':'wake','task':1,'status':0}\n"
    "{'t':0.500000,'ev':'run','task':1}\n"
    "{'t':0.500000,'ev':'mark','text':'section-end gather'}\n"
    "{'t':0.500000,'ev':'wait','task':1,'on':'sleep','until':0.600000}\n"
    "{'t':0.600000,'ev':'wake','task':1,'status':0}\n"
    "{'t':0.600000,'ev':'run','task':1}\n"
    "{'t':0.600000,'ev':'done','task':1,'outcome':'ok','value':0}\n"
    "{'t':0.600000,'ev':'end'}\n";

#endif /* TRACE_FIXTURES_H */
