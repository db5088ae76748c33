#!/usr/bin/env python3
"""man-chapters.py PAGE CHAPTER_PROGRAM... -- awaitlab(1) with its CHAPTERS section.

Asks each chapter program to describe itself (`NN_slug --describe`: number,
title, summary and flags with their defaults) and puts one entry a chapter
where PAGE has the line `.\\" CHAPTERS`, so the manual lists every chapter's
own flags exactly as the programs take them.
"""
import json
import subprocess
import sys

MARKER = '.\\" CHAPTERS'


def roff(text):
    text = str(text).replace("\\", "\\e").replace("-", "\\-")
    return "\\&" + text if text.startswith((".", "'")) else text


def chapter_entry(program):
    described = json.loads(subprocess.run([program, "--describe"], check=True,
                                          capture_output=True, text=True).stdout)
    lines = [".SS %s %s" % (described["number"], roff(described["title"])),
             roff(described["summary"]) + "."]
    for param in described["params"]:
        value = "N" if isinstance(param["default"], (int, float)) else "VALUE"
        lines += [".TP", ".BI \\-\\-%s \" %s\"" % (roff(param["name"]), value),
                  "%s (default %s)" % (roff(param["help"]), roff(param["default"]))]
    return lines


def main(argv):
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    page = open(argv[1], encoding="utf-8").read().split("\n")
    if MARKER not in page:
        sys.stderr.write(f"{argv[1]} has no line {MARKER}\n")
        return 1
    section = [".SH CHAPTERS",
               "Each chapter and its own flags, for",
               ".B awaitlab run NN",
               "and",
               ".BR \"awaitlab view NN\" ,",
               "beside the flags every chapter takes (under",
               ".BR \"awaitlab run\" )."]
    for program in sorted(argv[2:]):
        section += chapter_entry(program)
    at = page.index(MARKER)
    sys.stdout.write("\n".join(page[:at] + section + page[at + 1:]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
