/*
 * keys.c -- the live viewer's keys.
 */
#include "keys.h"

#define NO TV_KEY_NONE

static const tv_binding bindings[] = {
    {{' ', NO, NO}, TV_CMD_PAUSE, "space", "space", "pause",
     "pause, or go on (from the end: play again)"},
    {{'+', '=', NO}, TV_CMD_FASTER, "+/-", "+/-", "speed",
     "faster / slower: 0.1x to 10x (replays and virtual time)"},
    {{'-', '_', NO}, TV_CMD_SLOWER, NULL, NULL, NULL, NULL},
    {{TV_KEY_LEFT, NO, NO}, TV_CMD_BACK, "\xe2\x86\x90/\xe2\x86\x92", "left/right",
     "scrub", "move the playhead back / forward (pauses a live run)"},
    {{TV_KEY_RIGHT, NO, NO}, TV_CMD_FORWARD, NULL, NULL, NULL, NULL},
    {{'z', NO, NO}, TV_CMD_ZOOM, "z", "z", "zoom",
     "zoom in around the playhead, up to 16x, then out again"},
    {{TV_KEY_UP, 'k', NO}, TV_CMD_UP, "\xe2\x86\x91/\xe2\x86\x93", "up/down", "lane",
     "select a lane (PgUp/PgDn, Home/End jump)"},
    {{TV_KEY_DOWN, 'j', NO}, TV_CMD_DOWN, NULL, NULL, NULL, NULL},
    {{TV_KEY_PAGE_UP, NO, NO}, TV_CMD_PAGE_UP, NULL, NULL, NULL, NULL},
    {{TV_KEY_PAGE_DOWN, NO, NO}, TV_CMD_PAGE_DOWN, NULL, NULL, NULL, NULL},
    {{TV_KEY_HOME, NO, NO}, TV_CMD_FIRST, NULL, NULL, NULL, NULL},
    {{TV_KEY_END, NO, NO}, TV_CMD_LAST, NULL, NULL, NULL, NULL},
    {{TV_KEY_ENTER, '\n', '\r'}, TV_CMD_DETAILS, "\xe2\x8f\x8e", "enter", "details",
     "a lane's details: parent, states and times, outcome"},
    {{TV_KEY_ESCAPE, NO, NO}, TV_CMD_CLOSE, "esc", "esc", NULL, "close details or help"},
    {{'[', NO, NO}, TV_CMD_KNOB_DOWN, "[ ]", "[ ]", "knob",
     "the chapter's main knob down / up, and run again"},
    {{']', NO, NO}, TV_CMD_KNOB_UP, NULL, NULL, NULL, NULL},
    {{'{', NO, NO}, TV_CMD_N_DOWN, "{ }", "{ }", "n", "n down / up, and run again"},
    {{'}', NO, NO}, TV_CMD_N_UP, NULL, NULL, NULL, NULL},
    {{'r', NO, NO}, TV_CMD_RERUN, "r", "r", "rerun", "run again (a replay starts over)"},
    {{'n', NO, NO}, TV_CMD_NEXT, "n/p", "n/p", "chapter", "next / previous chapter"},
    {{'p', NO, NO}, TV_CMD_PREVIOUS, NULL, NULL, NULL, NULL},
    {{'a', NO, NO}, TV_CMD_GROUPS, "a", "a", NULL,
     "group lanes that do not fit / a lane for every task"},
    {{'o', NO, NO}, TV_CMD_OUTPUT, "o", "o", NULL,
     "the log panel: trace events / the program's own output"},
    {{'s', NO, NO}, TV_CMD_SECTION, "s", "s", "section",
     "jump to the next section's lanes"},
    {{'t', NO, NO}, TV_CMD_TABLE, "t", "t", "tasks",
     "task table: time running / sleeping / waiting, waits on"},
    {{'c', NO, NO}, TV_CMD_SORT, "c", "c", NULL, "sort the task table by its next column"},
    {{'l', NO, NO}, TV_CMD_LESSON, "l/L", "l/L", "lesson",
     "the chapter's lesson / its C source, to read (q comes back)"},
    {{'L', NO, NO}, TV_CMD_SOURCE, NULL, NULL, NULL, NULL},
    {{'?', 'h', NO}, TV_CMD_HELP, "?", "?", "help", "this help"},
    {{'q', 'Q', NO}, TV_CMD_QUIT, "q", "q", "quit", "quit"},
};

tv_command tv_command_for_key(int key)
{
    for (size_t i = 0; i < sizeof bindings / sizeof bindings[0]; i++)
        for (int k = 0; k < 3; k++)
            if (bindings[i].keys[k] == key && key != NO)
                return bindings[i].command;
    return TV_CMD_NONE;
}

const tv_binding *tv_bindings(size_t *count)
{
    *count = sizeof bindings / sizeof bindings[0];
    return bindings;
}
