/*
 * commands.h -- the subcommands of `awaitlab`, one file each.
 *
 * Each takes the arguments after its own name and returns the exit status:
 * 0 on success, 1 when the work failed, 2 for a usage error.
 */
#ifndef AWAITLAB_COMMANDS_H
#define AWAITLAB_COMMANDS_H

enum { EXIT_FAILED = 1, EXIT_USAGE = 2 };

int cmd_list(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_view(int argc, char **argv);

/* The gallery of chapters, on a terminal (gallery.c): `awaitlab` alone. */
int gallery_run(void);
int cmd_serve(int argc, char **argv);

/* The workbook as a static web site (book.c). */
int cmd_book(int argc, char **argv);

/* The exercises (exercise_context.h holds what they share). */
int cmd_init(int argc, char **argv);
int cmd_exercises(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_hint(int argc, char **argv);
int cmd_watch(int argc, char **argv);
int cmd_reset(int argc, char **argv);
int cmd_solution(int argc, char **argv);
int cmd_dev(int argc, char **argv);
int cmd_grade(int argc, char **argv);

#endif /* AWAITLAB_COMMANDS_H */
