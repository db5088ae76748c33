#!/usr/bin/env python3
"""viewer_frames -- how smoothly, and at what CPU cost, the live viewer
animates a 10,000-task chapter.

usage: python3 bench/viewer_frames.py [BUILD_DIR] [--seconds S] [--tasks N]

Runs `awaitlab view 03 --n N --limit 1000 --delay 1` (a semaphore fan-out
of N tasks, 1,000 at a time, on the real clock) on a pseudo-terminal of
200x50 cells, as a person would in a terminal, and reads everything the
viewer draws.  The viewer writes each frame in one burst, so bursts of output
separated by more than GAP_S of silence are counted as frames.  Its CPU time
comes from getrusage() through os.wait4() (the viewer and the chapter it ran
and reaped) and from /proc/PID/stat for the viewer process alone, over the
measured window, which starts after a second of set-up.
prints: fps=... viewer_cpu_pct=... total_cpu_pct=... frames=... window_s=...
"""
import argparse
import fcntl
import os
import select
import signal
import struct
import sys
import termios
import time

GAP_S = 0.008   # silence that separates two frames (a frame is 40 ms apart)
ROWS, COLS = 50, 200
SETTLE_S = 1.0  # start-up: the chapter starts, the viewer draws its first screens


def own_cpu_s(pid):
    """utime + stime of the process alone, from /proc/PID/stat."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("build", nargs="?", default="build")
    ap.add_argument("--seconds", type=float, default=6.0, help="the measured window")
    ap.add_argument("--tasks", type=int, default=10_000)
    args = ap.parse_args()
    argv = [os.path.join(args.build, "awaitlab"), "view", "03", "--n", str(args.tasks),
            "--limit", "1000", "--delay", "1"]

    pid, master = os.forkpty()
    if pid == 0:
        os.environ["TERM"] = "xterm-256color"
        try:
            os.execv(argv[0], argv)
        finally:
            os._exit(127)
    fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
    os.kill(pid, signal.SIGWINCH)

    start = time.monotonic()
    window_start = start + SETTLE_S
    window_end = window_start + args.seconds
    cpu_at_start = None
    frames, last_byte, in_window_bytes = 0, None, 0
    while True:
        now = time.monotonic()
        if cpu_at_start is None and now >= window_start:
            cpu_at_start = own_cpu_s(pid)
        if now >= window_end:
            break
        ready, _, _ = select.select([master], [], [], 0.002)
        if not ready:
            continue
        try:
            data = os.read(master, 65536)
        except OSError:
            break  # the viewer is gone
        if not data:
            break
        now = time.monotonic()
        if now >= window_start:
            in_window_bytes += len(data)
            if last_byte is None or now - last_byte > GAP_S:
                frames += 1
        last_byte = now
    window = time.monotonic() - window_start
    viewer_cpu = own_cpu_s(pid) - (cpu_at_start or 0.0)

    os.write(master, b"q")
    deadline = time.monotonic() + 10
    status = None
    while time.monotonic() < deadline:
        try:
            os.read(master, 65536)  # keep the terminal drained while it quits
        except OSError:
            pass
        got, wait_status, usage = os.wait4(pid, os.WNOHANG)
        if got == pid:
            status = os.waitstatus_to_exitcode(wait_status)
            break
        time.sleep(0.01)
    if status is None:
        os.kill(pid, signal.SIGKILL)
        _, wait_status, usage = os.wait4(pid, 0)
        print("viewer_frames: the viewer did not quit on q; killed", file=sys.stderr)
        status = 1
    os.close(master)
    total_cpu = usage.ru_utime + usage.ru_stime  # viewer and the chapter it reaped
    elapsed = time.monotonic() - start
    print(f"time_s={window:.3f} fps={frames / window:.1f} frames={frames} "
          f"viewer_cpu_pct={100 * viewer_cpu / window:.1f} "
          f"total_cpu_pct={100 * total_cpu / elapsed:.1f} bytes_per_s={in_window_bytes / window:.0f} "
          f"tasks={args.tasks} window_s={window:.2f} exit={status}")
    return 0 if status == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
