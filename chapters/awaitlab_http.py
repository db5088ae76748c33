"""awaitlab_http -- what the Python twins of the HTTP chapters (11, 12) share.

Real programs use aiohttp or httpx for HTTP.  Neither comes with Python, and
the twins must run wherever python3 does, offline too, so here is just
enough of an HTTP/1.1 client on asyncio's own streams, in aiohttp's shape:

    async with Session() as session:
        response = await session.get(url)
        response.raise_for_status()
        data = response.json()

It is honest asyncio -- one event loop, sockets read with await, a pool of
keep-alive connections like aiohttp's ClientSession -- but it knows only
GET, and only bodies with a Content-Length, which is all the lab server
sends.  It is no model for a real client: no TLS, no redirects, no chunked
bodies, no proxies.

And the lab server itself: lab_server() gives the URL of the one the user
named, or starts `awaitlab serve --port 0` for the length of the run.
"""

import asyncio
import contextlib
import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import awaitlab_clock


class HTTPError(Exception):
    """A status of 400 or more, once raise_for_status() makes it an error
    (aiohttp.ClientResponseError)."""


class ServerDisconnected(Exception):
    """The server closed the connection before the response was complete."""


class Response:
    def __init__(self, url, status, reason, headers, body):
        self.url = url
        self.status = status
        self.reason = reason
        self.headers = headers  # lower-case names
        self.body = body

    def json(self):
        return json.loads(self.body)

    def raise_for_status(self):
        """The same words as aw_http_raise_for_status() in C."""
        if self.status >= 400:
            raise HTTPError(f"{self.status} {self.reason}: {self.url}")


class Session:
    """aiohttp.ClientSession in miniature: keep-alive connections are kept
    per host and port and reused; at most `limit` requests use one at once
    (TCPConnector(limit=100)); a request that takes longer than `timeout`
    seconds fails with TimeoutError (ClientTimeout(total=timeout))."""

    def __init__(self, limit=100, timeout=None):
        self._idle = {}  # (host, port) -> [(reader, writer), ...]
        self._slots = asyncio.Semaphore(limit)
        self._timeout = timeout
        self.connections_opened = 0

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        await self.close()

    async def get(self, url):
        async with asyncio.timeout(self._timeout):
            return await self._get_in_a_slot(url)

    async def _get_in_a_slot(self, url):
        parts = urlsplit(url)
        if parts.scheme != "http" or not parts.hostname:
            raise ValueError(f"bad URL: only http://host:port/... here ({url})")
        key = (parts.hostname, parts.port or 80)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        # The request is real work: on the virtual clock, time stands still
        # until it is over, as it does for the C runtime's libcurl transfers.
        async with self._slots:
            with awaitlab_clock.real_work():
                return await self._get_on_a_connection(key, parts.netloc, target, url)

    async def _get_on_a_connection(self, key, netloc, target, url):
        # A pooled connection may have been closed by the server while it was
        # idle; then the request is sent once more, on a new one.
        while True:
            reused = bool(self._idle.get(key))
            connection = await self._connection(key)
            try:
                response = await self._exchange(connection, netloc, target, url)
            except ServerDisconnected:
                connection[1].close()
                if reused:
                    continue
                raise
            except BaseException:  # an error, a timeout, a cancellation
                connection[1].close()  # half a response: never reuse it
                raise
            if response.headers.get("connection", "").lower() == "close":
                connection[1].close()
            else:
                self._idle.setdefault(key, []).append(connection)
            return response

    async def close(self):
        """Closes the idle connections, and waits until they are closed."""
        writers = [w for pool in self._idle.values() for _, w in pool]
        self._idle.clear()
        for writer in writers:
            writer.close()
        for writer in writers:
            with contextlib.suppress(OSError):
                await writer.wait_closed()

    async def _connection(self, key):
        pool = self._idle.get(key)
        if pool:
            return pool.pop()
        self.connections_opened += 1
        return await asyncio.open_connection(*key)

    @staticmethod
    async def _exchange(connection, host, target, url):
        reader, writer = connection
        writer.write(f"GET {target} HTTP/1.1\r\nHost: {host}\r\n"
                     f"User-Agent: awaitlab-twin\r\n\r\n".encode())
        await writer.drain()
        status_line = await reader.readline()
        if not status_line:
            raise ServerDisconnected(f"{url}: the server closed the connection")
        _, status, reason = status_line.decode("latin-1").rstrip("\r\n").split(" ", 2)
        headers = {}
        while (line := await reader.readline()) not in (b"\r\n", b"\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        try:
            body = await reader.readexactly(int(headers.get("content-length", "0")))
        except asyncio.IncompleteReadError:
            raise ServerDisconnected(f"{url}: the response was cut short") from None
        return Response(url, int(status), reason, headers, body)


# --------------------------------------------------------------------------
# The lab server

def _awaitlab_program():
    built = Path(__file__).resolve().parent.parent / "build" / "awaitlab"
    if built.exists():
        return str(built)
    found = shutil.which("awaitlab")
    if found:
        return found
    raise RuntimeError("no awaitlab program to start the lab server with: build it "
                       "(make), or pass --base-url URL of a running one")


@contextlib.contextmanager
def lab_server(base_url=None):
    """Yields base_url if one was given; otherwise starts `awaitlab serve
    --port 0` (a free port of 127.0.0.1), yields the URL it prints first,
    and stops it on the way out."""
    if base_url:
        parts = urlsplit(base_url)
        yield f"{parts.scheme}://{parts.netloc}"  # "http://host:port", no path
        return
    program = _awaitlab_program()
    server = subprocess.Popen([program, "serve", "--port", "0"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        first = server.stdout.readline()  # "awaitlab lab server: http://127.0.0.1:PORT"
        prefix = "awaitlab lab server: "
        if not first.startswith(prefix):
            why = server.stderr.read().strip() or first.strip() or "it said nothing"
            raise RuntimeError(f"`{program} serve` did not start: {why}")
        yield first[len(prefix):].strip()
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        server.stdout.close()
        server.stderr.close()


def flaky_fails(seed, index, p):
    """labserver_flaky_fails() of labserver.h: whether request number `index`
    to /flaky?seed=<seed> since the last reset answers 500."""
    mask = (1 << 64) - 1
    z = (seed + index + 0x9E3779B97F4A7C15) & mask
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
    z ^= z >> 31
    return (z >> 11) * 2.0**-53 < p
