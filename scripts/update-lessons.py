#!/usr/bin/env python3
"""update-lessons.py -- regenerate the timelines embedded in the lessons.

A lesson (chapters/NN_slug.md) shows the timeline of a real run between
two markers; the first names the awaitlab command that draws it:

    <!-- timeline: run 01 --clock virtual --n 5 --timeline -->
    ```text
    ...what `awaitlab run 01 --clock virtual --n 5 --timeline` prints...
    ```
    <!-- /timeline -->

Usage:

    python3 scripts/update-lessons.py BUILD_DIR          rewrite every block
    python3 scripts/update-lessons.py BUILD_DIR --check  change nothing; exit 1
                                                         with a unified diff if a
                                                         block is out of date

For each marker it runs BUILD_DIR/awaitlab with the words after
"timeline:", from the repository root, and puts what it prints between the
fences.  So a lesson's timeline cannot drift from the code: `make lessons`
refreshes it and the chapter tests run --check.

A run on the real clock (a marker without `--clock virtual`: the chapters
about real I/O) prints different times on every run, so its block is
compared by shape: the same lines, with every number masked, and the rows of
each chart reduced to their task names -- the sections, the lanes and their
order, the outcomes listed, the sentences.  Such a block is rewritten only
when its shape changed, not each time its timings did.

Exit status: 0 all up to date (or rewritten), 1 out of date (--check),
2 a problem (no awaitlab, a command failed, a malformed marker).
"""

import difflib
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The whole block, from the opening marker to the closing one.
BLOCK = re.compile(
    r"^<!-- timeline: (?P<args>.+?) -->\n"
    r"```text\n(?P<body>.*?)```\n"
    r"<!-- /timeline -->$",
    re.MULTILINE | re.DOTALL)
OPENING = re.compile(r"^<!-- timeline:", re.MULTILINE)


class Problem(Exception):
    pass


def awaitlab_output(awaitlab, args):
    """What `awaitlab ARGS` prints, run from the repository root with no
    AWAITLAB_* variables, so that the environment cannot change it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWAITLAB_")}
    command = [str(awaitlab)] + shlex.split(args)
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise Problem(f"`awaitlab {args}` exited with status {done.returncode}:\n"
                      f"{done.stderr.rstrip()}")
    text = done.stdout
    if text and not text.endswith("\n"):
        text += "\n"
    return text


NUMBER = re.compile(r"\d+(\.\d+)?")
NAME_FIELD = 15  # a chart row: the task's name in 15 columns, then its lane
LANE = re.compile(r"[#=\-.:oxc ]+")


def real_clock(args):
    words = " ".join(shlex.split(args)).replace("--clock=", "--clock ")
    return "--clock virtual" not in words


def shape(text):
    """What stays the same from one real-clock run to the next."""
    lines = []
    for line in text.splitlines():
        if line.startswith("seconds "):
            lines.append("seconds")  # the ruler
        elif (len(line) > NAME_FIELD and line[NAME_FIELD - 1] == " "
              and LANE.fullmatch(line[NAME_FIELD:])):
            lines.append(line[:NAME_FIELD].rstrip())  # a task's row: its name
        else:
            lines.append(" ".join(NUMBER.sub("#", line).split()))
    return lines


def line_number(text, offset):
    return text.count("\n", 0, offset) + 1


def updated(path, awaitlab):
    """The lesson's text with every timeline block regenerated."""
    text = path.read_text()
    blocks = list(BLOCK.finditer(text))
    openings = list(OPENING.finditer(text))
    if len(openings) != len(blocks):
        good = {m.start() for m in blocks}
        bad = next(m for m in openings if m.start() not in good)
        raise Problem(f"{path.relative_to(ROOT)}:{line_number(text, bad.start())}: "
                      "a timeline marker must be followed by a ```text fence, "
                      "the fence's closing ``` and <!-- /timeline -->")
    pieces, last = [], 0
    for m in blocks:
        body = awaitlab_output(awaitlab, m["args"])
        if real_clock(m["args"]) and shape(body) == shape(m["body"]):
            body = m["body"]  # only the timings moved
        pieces.append(text[last:m.start("body")])
        pieces.append(body)
        last = m.end("body")
    pieces.append(text[last:])
    return text, "".join(pieces), len(blocks)


def main(argv):
    args = [a for a in argv[1:] if a != "--check"]
    check = "--check" in argv[1:]
    if len(args) != 1:
        print("usage: update-lessons.py BUILD_DIR [--check]", file=sys.stderr)
        return 2
    awaitlab = Path(args[0]).resolve() / "awaitlab"
    if not os.access(awaitlab, os.X_OK):
        print(f"update-lessons: {awaitlab} not found; build it first (make)", file=sys.stderr)
        return 2

    try:
        lessons = sorted((ROOT / "chapters").glob("[0-9][0-9]_*.md"))
        results = [(path, *updated(path, awaitlab)) for path in lessons]
    except Problem as e:
        print(f"update-lessons: {e}", file=sys.stderr)
        return 2

    stale = 0
    for path, old, new, _ in results:
        if old == new:
            continue
        stale += 1
        name = str(path.relative_to(ROOT))
        if check:
            sys.stdout.writelines(difflib.unified_diff(
                old.splitlines(keepends=True), new.splitlines(keepends=True),
                fromfile=f"{name} (in the lesson)",
                tofile=f"{name} (what awaitlab prints now)"))
        else:
            path.write_text(new)
            print(f"updated {name}")

    if check and stale:
        print(f"\n{stale} lesson(s) out of date: run `make lessons` "
              "(python3 scripts/update-lessons.py BUILD_DIR)", file=sys.stderr)
        return 1
    if check:
        print(f"{sum(r[3] for r in results)} timeline(s) up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
