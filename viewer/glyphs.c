/*
 * glyphs.c -- the UTF-8 and ASCII glyph sets.
 *
 * The ASCII lanes use the text timeline's characters (# run, = sleep,
 * - await, : other wait, . ready) plus '~' for threads and I/O, so a reader
 * of `awaitlab run --timeline` recognises them at once.
 */
#include "glyphs.h"

static const tv_glyphs utf8_glyphs = {
    .activity = {[TV_ACT_RUNNING] = 0x2588,  /* █ */
                 [TV_ACT_AWAIT] = 0x2500,    /* ─ */
                 [TV_ACT_SLEEP] = 0x2591,    /* ░ */
                 [TV_ACT_RESOURCE] = 0x2592, /* ▒ */
                 [TV_ACT_IO] = 0x2248,       /* ≈ */
                 [TV_ACT_READY] = 0x00B7},   /* · */
    .ok = 0x2713,        /* ✓ */
    .error = 0x2717,     /* ✗ */
    .cancelled = 0x2298, /* ⊘ */
    .slow = '!',
    .playhead = 0x25BC,  /* ▼ */
    .tick = 0x2577,      /* ╷ */
    .horizontal = 0x2500, .vertical = 0x2502,                   /* ─ │ */
    .top_left = 0x250C, .top_right = 0x2510,                    /* ┌ ┐ */
    .bottom_left = 0x2514, .bottom_right = 0x2518,              /* └ ┘ */
    .branch = 0x251C, .last_branch = 0x2514,                    /* ├ └ */
    .gauge_full = 0x2588, .gauge_empty = 0x2591,                /* █ ░ */
    .more_above = 0x25B2, .more_below = 0x25BC,                 /* ▲ ▼ */
    .ellipsis = 0x2026,                                         /* … */
    .live = "\xe2\x97\x8f live",   /* ● live */
    .paused = "\xe2\x80\x96 paused", /* ‖ paused */
    .times = "\xc3\x97",           /* × */
};

static const tv_glyphs ascii_glyphs = {
    .activity = {[TV_ACT_RUNNING] = '#', [TV_ACT_AWAIT] = '-',
                 [TV_ACT_SLEEP] = '=', [TV_ACT_RESOURCE] = ':',
                 [TV_ACT_IO] = '~', [TV_ACT_READY] = '.'},
    .ok = 'o', .error = 'x', .cancelled = 'c',
    .slow = '!',
    .playhead = 'v',
    .tick = '\'',
    .horizontal = '-', .vertical = '|',
    .top_left = '+', .top_right = '+', .bottom_left = '+', .bottom_right = '+',
    .branch = '|', .last_branch = '`',
    .gauge_full = '#', .gauge_empty = '.',
    .more_above = '^', .more_below = 'v',
    .ellipsis = '~',
    .live = "* live",
    .paused = "|| paused",
    .times = "x",
};

const tv_glyphs *tv_glyphs_get(bool utf8)
{
    return utf8 ? &utf8_glyphs : &ascii_glyphs;
}
