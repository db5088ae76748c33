/*
 * keys.h -- what each key does in the live viewer, in one table.
 *
 * The watch loop turns a key into a command with tv_command_for_key(), and
 * the footer and the help screen are printed from the same table, so what
 * the screen says a key does is what it does.
 */
#ifndef TV_KEYS_H
#define TV_KEYS_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Keys beyond the characters (which are their own code). */
enum {
    TV_KEY_NONE = -1,
    TV_KEY_UP = 0x110000, /* past the last Unicode code point */
    TV_KEY_DOWN,
    TV_KEY_LEFT,
    TV_KEY_RIGHT,
    TV_KEY_PAGE_UP,
    TV_KEY_PAGE_DOWN,
    TV_KEY_HOME,
    TV_KEY_END,
    TV_KEY_ENTER,
    TV_KEY_ESCAPE,
    TV_KEY_RESIZE
};

typedef enum tv_command {
    TV_CMD_NONE = 0,
    TV_CMD_PAUSE,     /* pause, or go on                                  */
    TV_CMD_FASTER,
    TV_CMD_SLOWER,
    TV_CMD_BACK,      /* scrub the playhead back                          */
    TV_CMD_FORWARD,
    TV_CMD_ZOOM,      /* halve the span shown, around the playhead; cycles */
    TV_CMD_UP,        /* select the lane above                            */
    TV_CMD_DOWN,
    TV_CMD_PAGE_UP,
    TV_CMD_PAGE_DOWN,
    TV_CMD_FIRST,
    TV_CMD_LAST,
    TV_CMD_DETAILS,   /* the selected lane's details, open or closed      */
    TV_CMD_CLOSE,     /* close what is open                               */
    TV_CMD_RERUN,
    TV_CMD_KNOB_DOWN, /* the chapter's main knob, and rerun               */
    TV_CMD_KNOB_UP,
    TV_CMD_N_DOWN,    /* the chapter's n, and rerun                       */
    TV_CMD_N_UP,
    TV_CMD_NEXT,      /* the next chapter                                 */
    TV_CMD_PREVIOUS,
    TV_CMD_GROUPS,    /* group lanes that do not fit, or one per task     */
    TV_CMD_OUTPUT,    /* the log panel: trace events or program output    */
    TV_CMD_SECTION,   /* select the first lane of the next section        */
    TV_CMD_TABLE,     /* the task table instead of the lanes, or back     */
    TV_CMD_SORT,      /* sort the task table by its next column           */
    TV_CMD_LESSON,    /* the chapter's lesson, in a pager                 */
    TV_CMD_SOURCE,    /* the chapter's C source, in a pager               */
    TV_CMD_HELP,
    TV_CMD_QUIT
} tv_command;

typedef struct tv_binding {
    int keys[3];          /* up to three keys; unused ones are TV_KEY_NONE */
    tv_command command;
    const char *utf8_keys;  /* how the footer and help name the keys       */
    const char *ascii_keys;
    const char *short_what; /* for the footer, or NULL to leave it out     */
    const char *what;       /* for the help screen                         */
} tv_binding;

/* The command of a key, or TV_CMD_NONE. */
tv_command tv_command_for_key(int key);

/* The table, in the order the help screen lists it. */
const tv_binding *tv_bindings(size_t *count);

#ifdef __cplusplus
}
#endif

#endif /* TV_KEYS_H */
