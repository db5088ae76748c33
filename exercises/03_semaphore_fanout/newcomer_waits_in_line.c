/*
 * Exercise newcomer_waits_in_line -- chapter 03, predict the output.
 *
 * Four jobs share a Semaphore(2): job-a takes 0.25 s, job-b 0.1 s, job-c
 * 0.2 s, job-d 0.1 s.  At 0.1 s, the very moment job-b gives its permit
 * back, a fifth job, job-e, arrives and asks for one too.  Who gets job-b's
 * permit, the newcomer or a job that has been waiting since 0.0 s?  And
 * when does each job get a permit and give it back?  Write the eleven
 * lines the program prints in newcomer_waits_in_line.txt, one per line,
 * exactly as printed; then run the program to see.
 *
 * Lesson:   chapters/03_semaphore_fanout.md#the-answer
 * Check it: awaitlab check newcomer_waits_in_line
 */
#include "awaitlab.h"

#include <stdio.h>
#include <string.h>

static aw_semaphore permits;

typedef struct job {
    const char *name;
    double seconds;
} job;

/*
 * async def run(job):
 *     if job.name == "job-e":
 *         print(f"{now():.3f} {job.name} arrives")
 *     async with permits:
 *         print(f"{now():.3f} {job.name} gets a permit")
 *         await asyncio.sleep(job.seconds)
 *         print(f"{now():.3f} {job.name} gives it back")
 */
static int run(void *arg, intptr_t *result)
{
    (void)result;
    const job *j = arg;
    if (strcmp(j->name, "job-e") == 0)
        printf("%.3f %s arrives\n", aw_now(), j->name);
    int status = aw_sem_acquire(&permits);
    if (status != AW_OK)
        return status;
    printf("%.3f %s gets a permit\n", aw_now(), j->name);
    status = aw_sleep(j->seconds);
    printf("%.3f %s gives it back\n", aw_now(), j->name);
    aw_sem_release(&permits);
    return status;
}

/*
 * permits = asyncio.Semaphore(2)
 * tasks = [asyncio.create_task(run(j)) for j in jobs[:4]]
 * await asyncio.sleep(0.1)
 * tasks.append(asyncio.create_task(run(jobs[4])))
 * await asyncio.gather(*tasks)
 */
static int main_task(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    static const job jobs[] = {
        {"job-a", 0.25}, {"job-b", 0.1}, {"job-c", 0.2}, {"job-d", 0.1}, {"job-e", 0.1},
    };
    aw_sem_init(&permits, 2, "permits");
    aw_task *tasks[5];
    for (int i = 0; i < 4; i++)
        tasks[i] = aw_spawn(run, (void *)&jobs[i], "%s", jobs[i].name);
    int status = aw_sleep(0.1);
    if (status != AW_OK)
        return status;
    tasks[4] = aw_spawn(run, (void *)&jobs[4], "%s", jobs[4].name);
    return aw_gather(tasks, 5, 0);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    return aw_run(main_task, NULL, &(aw_config){.clock = AW_CLOCK_VIRTUAL}, NULL) == AW_OK ? 0 : 1;
}
