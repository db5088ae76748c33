"""http_fanout_curl -- the curl command line's side of bench/http_fanout.c.

The same n GETs of BASE_URL/bytes/1024, 100 in flight, done by one curl
process: a config file with one `url` and one `output = "/dev/null"` per
request, and

    curl --parallel --parallel-max 100 --config FILE

curl's parallel mode drives all the transfers from one thread with
libcurl's multi interface, as awaitlab does, and reuses connections.  Every
response's status is written out and checked (all 200), and so is the
size of every body (all 1024 bytes); `connections` adds up curl's count of
new connections per transfer.  time_s is the wall time of the curl
process, start-up included (a few milliseconds); writing the config file
is not counted.

usage: python3 http_fanout_curl.py [count] BASE_URL     (default 10000)
prints: time_s=... n=... in_flight=100 requests_per_s=... connections=...
        curl=VERSION clock=real
"""
import os
import subprocess
import sys
import tempfile
import time

IN_FLIGHT = 100
BODY = 1024


def main():
    if len(sys.argv) != 3 or not sys.argv[2].startswith("http://"):
        sys.exit("usage: http_fanout_curl.py count BASE_URL   (a lab server: awaitlab serve)")
    n, base_url = int(sys.argv[1]), sys.argv[2].rstrip("/")
    url = f"{base_url}/bytes/{BODY}"
    version = subprocess.run(["curl", "--version"], capture_output=True,
                             text=True).stdout.split()[1]
    with tempfile.NamedTemporaryFile("w", suffix=".curlrc", delete=False) as config:
        config.write(f'url = "{url}"\noutput = "/dev/null"\n' * n)
    # One curl process a round, as many rounds as the other programs run:
    # curl starts cold every time, so its first and best differ only by noise.
    seconds = []
    try:
        for _ in range(int(os.environ.get("BENCH_ROUNDS", "5"))):
            t0 = time.perf_counter()
            done = subprocess.run(
                ["curl", "--parallel", "--parallel-max", str(IN_FLIGHT), "--silent",
                 "--show-error", "--config", config.name,
                 "--write-out", "%{http_code} %{size_download} %{num_connects}\\n"],
                capture_output=True, text=True)
            seconds.append(time.perf_counter() - t0)
            if done.returncode != 0:
                break
    finally:
        os.unlink(config.name)
    elapsed = min(seconds)
    answers = [line.split() for line in done.stdout.splitlines()]
    good = sum(a[:2] == ["200", str(BODY)] for a in answers)
    connections = sum(int(a[2]) for a in answers if len(a) == 3)
    if done.returncode != 0 or good != n:
        sys.exit(f"http_fanout_curl: curl exited with {done.returncode}, {good} of {n} "
                 f"answers were 200 with {BODY} bytes: {done.stderr.strip()[-300:]}")
    print(f"time_s={elapsed:.6f} first_s={seconds[0]:.6f} n={n} in_flight={IN_FLIGHT} "
          f"requests_per_s={n / elapsed:.0f} connections={connections} curl={version} "
          f"clock=real")


if __name__ == "__main__":
    main()
