/*
 * ping_pong -- the cost of a real switch between two tasks.
 *
 * Two tasks yield to each other n times each, the C twin of
 *
 *     async def player():
 *         for _ in range(n):
 *             await asyncio.sleep(0)
 *
 *     await asyncio.gather(player(), player())
 *
 * With another task always ready, every yield goes through the scheduler
 * and two context switches (yield_loop, with one task alone, measures the
 * shortcut the runtime takes when nobody else could run).
 *
 * usage: ping_pong [count]      (default 1000000)
 * prints: time_s=... n=... ns_per_switch=... clock=real
 */
#include "awaitlab.h"
#include "bench.h"

static long rounds_per_player;

static int player(void *arg, intptr_t *result)
{
    (void)arg;
    for (long i = 0; i < rounds_per_player; i++) {
        int rc = aw_yield();
        if (rc != AW_OK)
            return rc;
    }
    *result = rounds_per_player;
    return AW_OK;
}

static int play(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *players[2] = {aw_spawn(player, NULL, "ping"), aw_spawn(player, NULL, "pong")};
    if (!players[0] || !players[1])
        return aw_raise(AW_ENOMEM, "cannot spawn the players");
    return aw_gather(players, 2, 0);
}

int main(int argc, char **argv)
{
    rounds_per_player = bench_size_arg(argc, argv, 1000000);
    bench_rounds rounds;

    int rc = bench_run_rounds(play, NULL, NULL, &rounds);
    double elapsed = bench_best(&rounds);

    if (rc != AW_OK) {
        fprintf(stderr, "ping_pong: %s\n", aw_strerror(rc));
        return 1;
    }
    printf("time_s=%.6f first_s=%.6f n=%ld ns_per_switch=%.1f clock=real\n", elapsed,
           rounds.seconds[0], rounds_per_player,
           elapsed * 1e9 / (2.0 * (double)rounds_per_player));
    return 0;
}
