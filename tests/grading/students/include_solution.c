/* A submission that tries to compile the reference solution in. */
#include "AWAITLAB_TEST_HOME/solutions/01_sequential_vs_gather/gather_fetches.c"
