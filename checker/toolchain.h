/*
 * toolchain.h -- the compiler and flags exercises are built with.
 */
#ifndef AWAITLAB_TOOLCHAIN_H
#define AWAITLAB_TOOLCHAIN_H

const char *ex_toolchain_cc(void);          /* $AWAITLAB_CC, else the build's */
const char *ex_toolchain_sanitizers(void);  /* "-fsanitize=address,undefined ..." */
const char *ex_toolchain_libs(void);        /* "-luv -ljansson -lm -lpthread"  */

/* Splits `buffer` in place at spaces into `words` (at most `room`);
 * returns the count. */
int ex_split_words(char *buffer, char **words, int room);

#endif /* AWAITLAB_TOOLCHAIN_H */
