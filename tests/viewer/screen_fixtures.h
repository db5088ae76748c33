/*
 * screen_fixtures.h -- traces for the screen tests that trace_fixtures.h
 * does not have: resources, many tasks, a crash, bad lines.
 */
#ifndef SCREEN_FIXTURES_H
#define SCREEN_FIXTURES_H

#include <stdio.h>
#include <stdlib.h>

#include "trace_fixtures.h"

/*
 * Four workers share a semaphore "pool" of 2 permits and put results in a
 * queue "results" (maxsize 3) that a consumer drains, under a lock "log",
 * after an event "go".  Real time, so steps take time.
 */
static const char RESOURCE_TRACE[] =
    "{'ev':'start','version':1,'clock':'real'}\n"
    "{'t':0.000,'ev':'spawn','task':1,'name':'main','parent':0}\n"
    "{'t':0.000,'ev':'run','task':1}\n"
    "{'t':0.000,'ev':'mark','text':'section pool'}\n"
    "{'t':0.001,'ev':'resource','kind':'semaphore','name':'pool','level':0,'capacity':2,'waiters':0,'owner':0}\n"
    "{'t':0.001,'ev':'resource','kind':'queue','name':'results','level':0,'capacity':3,'waiters':0,'owner':0}\n"
    "{'t':0.001,'ev':'resource','kind':'lock','name':'log','level':0,'capacity':1,'waiters':0,'owner':0}\n"
    "{'t':0.001,'ev':'resource','kind':'event','name':'go','level':0,'capacity':0,'waiters':0,'owner':0}\n"
    "{'t':0.002,'ev':'spawn','task':2,'name':'worker-0','parent':1}\n"
    "{'t':0.002,'ev':'spawn','task':3,'name':'worker-1','parent':1}\n"
    "{'t':0.002,'ev':'spawn','task':4,'name':'worker-2','parent':1}\n"
    "{'t':0.002,'ev':'spawn','task':5,'name':'worker-3','parent':1}\n"
    "{'t':0.002,'ev':'spawn','task':6,'name':'consumer','parent':1}\n"
    "{'t':0.003,'ev':'wait','task':1,'on':'gather','target':0}\n"
    "{'t':0.003,'ev':'run','task':2}\n"
    "{'t':0.004,'ev':'resource','kind':'semaphore','name':'pool','level':1,'capacity':2,'waiters':0,'owner':0}\n"
    "{'t':0.004,'ev':'wait','task':2,'on':'sleep','until':0.5}\n"
    "{'t':0.004,'ev':'run','task':3}\n"
    "{'t':0.005,'ev':'resource','kind':'semaphore','name':'pool','level':2,'capacity':2,'waiters':0,'owner':0}\n"
    "{'t':0.005,'ev':'wait','task':3,'on':'sleep','until':0.5}\n"
    "{'t':0.005,'ev':'run','task':4}\n"
    "{'t':0.006,'ev':'resource','kind':'semaphore','name':'pool','level':2,'capacity':2,'waiters':1,'owner':0}\n"
    "{'t':0.006,'ev':'wait','task':4,'on':'semaphore','target':0,'name':'pool'}\n"
    "{'t':0.006,'ev':'run','task':5}\n"
    "{'t':0.007,'ev':'resource','kind':'semaphore','name':'pool','level':2,'capacity':2,'waiters':2,'owner':0}\n"
    "{'t':0.007,'ev':'wait','task':5,'on':'semaphore','target':0,'name':'pool'}\n"
    "{'t':0.007,'ev':'run','task':6}\n"
    "{'t':0.008,'ev':'resource','kind':'event','name':'go','level':0,'capacity':0,'waiters':1,'owner':0}\n"
    "{'t':0.008,'ev':'wait','task':6,'on':'event','target':0,'name':'go'}\n"
    "{'t':0.300,'ev':'slow','task':1,'held':0.151}\n"
    "{'t':0.500,'ev':'wake','task':2,'status':0}\n"
    "{'t':0.500,'ev':'run','task':2}\n"
    "{'t':0.501,'ev':'resource','kind':'lock','name':'log','level':1,'capacity':1,'waiters':0,'owner':2}\n"
    "{'t':0.502,'ev':'resource','kind':'queue','name':'results','level':1,'capacity':3,'waiters':0,'owner':0}\n"
    "{'t':0.503,'ev':'resource','kind':'semaphore','name':'pool','level':2,'capacity':2,'waiters':1,'owner':0}\n"
    "{'t':0.503,'ev':'wake','task':4,'status':0}\n"
    "{'t':0.503,'ev':'done','task':2,'outcome':'ok','value':0}\n"
    "{'t':0.504,'ev':'run','task':4}\n"
    "{'t':0.504,'ev':'wait','task':4,'on':'thread','target':0,'name':'checksum'}\n"
    "{'t':0.600,'ev':'wake','task':3,'status':0}\n"
    "{'t':0.600,'ev':'run','task':3}\n"
    "{'t':0.600,'ev':'wait','task':3,'on':'lock','target':0,'name':'log'}\n"
    "{'t':0.700,'ev':'end'}\n";

/*
 * main spawns `n` fetches at t = 0; fetch i sleeps (i % 10 + 1) * 0.1 s and
 * the ones with i % 97 == 3 fail.  Virtual time.  The caller frees it.
 */
static inline char *many_tasks_trace(int n)
{
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    fprintf(out, "{'ev':'start','version':1,'clock':'virtual'}\n"
                 "{'t':0,'ev':'spawn','task':1,'name':'main','parent':0}\n"
                 "{'t':0,'ev':'run','task':1}\n");
    for (int i = 0; i < n; i++)
        fprintf(out, "{'t':0,'ev':'spawn','task':%d,'name':'fetch-%d','parent':1}\n", i + 2, i);
    fprintf(out, "{'t':0,'ev':'wait','task':1,'on':'gather','target':0}\n");
    for (int i = 0; i < n; i++)
        fprintf(out, "{'t':0,'ev':'run','task':%d}\n"
                     "{'t':0,'ev':'wait','task':%d,'on':'sleep','until':1}\n", i + 2, i + 2);
    for (int step = 1; step <= 10; step++) {
        for (int i = step - 1; i < n; i += 10) {
            double t = step * 0.1;
            fprintf(out, "{'t':%.1f,'ev':'wake','task':%d,'status':0}\n"
                         "{'t':%.1f,'ev':'run','task':%d}\n", t, i + 2, t, i + 2);
            if (i % 97 == 3)
                fprintf(out, "{'t':%.1f,'ev':'done','task':%d,'outcome':'error','code':-100,"
                             "'error':'item-%d: refused'}\n", t, i + 2, i);
            else
                fprintf(out, "{'t':%.1f,'ev':'done','task':%d,'outcome':'ok','value':%d}\n",
                        t, i + 2, i);
        }
    }
    fprintf(out, "{'t':1.0,'ev':'wake','task':1,'status':0}\n"
                 "{'t':1.0,'ev':'run','task':1}\n"
                 "{'t':1.0,'ev':'done','task':1,'outcome':'ok','value':0}\n"
                 "{'t':1.0,'ev':'end'}\n");
    fclose(out);
    return text;
}

/* A program that crashed at 0.3 s, with two bad lines in its trace. */
static const char CRASH_TRACE[] =
    "{'ev':'start','version':1,'clock':'real'}\n"
    "{'t':0.000,'ev':'spawn','task':1,'name':'main','parent':0}\n"
    "{'t':0.000,'ev':'run','task':1}\n"
    "{'t':0.010,'ev':'spawn','task':2,'name':'worker','parent':1}\n"
    "this line is not JSON\n"
    "{'t':0.020,'ev':'wait','task':1,'on':'task','target':2}\n"
    "{'t':0.020,'ev':'run','task':2}\n"
    "{'t':0.100,'ev':'wait','task':2,'on':'sleep','until':0.4}\n"
    "{'t':0.200,'ev':'run','task':7}\n"
    "{'t':0.3000";

#endif /* SCREEN_FIXTURES_H */
