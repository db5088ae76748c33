/*
 * Exercise cpu_loop_turns -- chapter 10, predict the output.
 *
 * Three tasks share the loop: `polite` and `greedy` do the same three chunks
 * of computation, but only `polite` calls aw_yield() (await
 * asyncio.sleep(0)) after each chunk; `greeter` says hello, yields once and
 * says it again.  In what order do the ten lines come out?  Write them in
 * cpu_loop_turns.txt, one per line, exactly as printed; then run the
 * program to see.
 *
 * Lesson:   chapters/10_offloading.md#the-answer
 * Check it: awaitlab check cpu_loop_turns
 */
#include "awaitlab.h"

#include <stdio.h>

/* A moment of computation, with no await anywhere in it. */
static volatile unsigned long sink;

static void crunch(void)
{
    for (unsigned long k = 0; k < 100000; k++)
        sink += k;
}

/*
 * async def polite():
 *     for chunk in range(3):
 *         crunch()
 *         print(f"polite chunk {chunk}")
 *         await asyncio.sleep(0)
 */
static int polite(void *arg, intptr_t *result)
{
    (void)arg;
    for (int chunk = 0; chunk < 3; chunk++) {
        crunch();
        printf("polite chunk %d\n", chunk);
        int status = aw_yield();
        if (status != AW_OK)
            return status;
    }
    *result = 0;
    return AW_OK;
}

/*
 * async def greedy():
 *     for chunk in range(3):
 *         crunch()
 *         print(f"greedy chunk {chunk}")
 */
static int greedy(void *arg, intptr_t *result)
{
    (void)arg;
    for (int chunk = 0; chunk < 3; chunk++) {
        crunch();
        printf("greedy chunk %d\n", chunk);
    }
    *result = 0;
    return AW_OK;
}

/*
 * async def greeter():
 *     print("greeter: hello")
 *     await asyncio.sleep(0)
 *     print("greeter: still here")
 */
static int greeter(void *arg, intptr_t *result)
{
    (void)arg;
    printf("greeter: hello\n");
    int status = aw_yield();
    if (status != AW_OK)
        return status;
    printf("greeter: still here\n");
    *result = 0;
    return AW_OK;
}

static int main_task(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *tasks[3] = {aw_spawn(polite, NULL, "polite"), aw_spawn(greedy, NULL, "greedy"),
                         aw_spawn(greeter, NULL, "greeter")};
    printf("main: started three tasks\n");
    int status = aw_gather(tasks, 3, 0);
    printf("main: all done\n");
    return status;
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    return aw_run(main_task, NULL, &(aw_config){.clock = AW_CLOCK_VIRTUAL}, NULL) == AW_OK ? 0 : 1;
}
