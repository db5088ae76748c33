#!/usr/bin/env python3
"""browser_check.py CHROMIUM SITE_DIR -- every page of the book, in a real browser.

Starts headless Chromium with the DevTools protocol on a pipe (fds 3 and 4,
NUL-terminated JSON: no network port, no extra library), opens every .html
page of SITE_DIR from file:// at a phone's size, and reports, one line each:
  - console errors, uncaught exceptions and failed loads;
  - links and image or style sources that name no existing file (or an
    anchor that is not on its page), and any asset from outside the site;
  - a page wider than the phone's screen (it would scroll sideways).
Prints "PAGE: problem" lines and "checked N pages, M problems"; exits 1 if
there was any problem.
"""
import glob
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.parse

PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True}
# Everything on the page that points somewhere, as [kind, url] pairs.
COLLECT = """JSON.stringify({
  refs: [...document.querySelectorAll('a[href]')].map(e => ['link', e.getAttribute('href')])
    .concat([...document.querySelectorAll('[src]')].map(e => ['asset', e.getAttribute('src')]))
    .concat([...document.querySelectorAll('link[href]')].map(e => ['asset', e.getAttribute('href')])),
  ids: [...document.querySelectorAll('[id]')].map(e => e.id),
  brokenImages: [...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src),
  styled: getComputedStyle(document.body).maxWidth !== 'none',
  scrollWidth: document.documentElement.scrollWidth,
  innerWidth: window.innerWidth,
  title: document.title,
})"""


class Browser:
    def __init__(self, chromium, profile):
        to_browser_r, self.to_browser = os.pipe()
        self.from_browser, from_browser_w = os.pipe()
        os.set_inheritable(to_browser_r, True)
        os.set_inheritable(from_browser_w, True)

        def wire_fds():  # the child's fd 3 reads commands, fd 4 writes answers
            commands, answers = os.dup(to_browser_r), os.dup(from_browser_w)  # above 4
            os.dup2(commands, 3)
            os.dup2(answers, 4)

        self.process = subprocess.Popen(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
             "--no-first-run", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--user-data-dir=" + profile, "--remote-debugging-pipe",
             "about:blank"],
            preexec_fn=wire_fds, close_fds=False,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_browser_r)
        os.close(from_browser_w)
        self.buffer = b""
        self.next_id = 0
        self.events = []
        self.session = None

    def read_message(self, deadline):
        while b"\0" not in self.buffer:
            if time.monotonic() > deadline:
                raise TimeoutError("the browser stopped answering")
            chunk = os.read(self.from_browser, 65536)
            if not chunk:
                raise EOFError("the browser closed its pipe")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method, params=None, session=True, timeout=30):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            answer = self.read_message(deadline)
            if answer.get("id") == self.next_id:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer.get("result", {})
            self.events.append(answer)

    def wait_for(self, method, timeout=30):
        deadline = time.monotonic() + timeout
        for i, event in enumerate(self.events):
            if event.get("method") == method:
                return self.events.pop(i)
        while True:
            event = self.read_message(deadline)
            if event.get("method") == method:
                return event
            self.events.append(event)

    def open_page(self):
        targets = self.call("Target.getTargets", session=False)["targetInfos"]
        page = next(t for t in targets if t["type"] == "page")
        self.session = self.call("Target.attachToTarget",
                                 {"targetId": page["targetId"], "flatten": True},
                                 session=False)["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(domain + ".enable")
        self.call("Emulation.setDeviceMetricsOverride", PHONE)

    def close(self):
        try:
            self.call("Browser.close", session=False, timeout=5)
        except Exception:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def problems_in_events(events):
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            yield "exception: " + details.get("exception", {}).get("description",
                                                                   details.get("text", "?"))
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "warning"):
            yield "console %s: %s" % (params["type"], params.get("args", [{}])[0].get("value"))
        elif method == "Log.entryAdded" and params["entry"]["level"] in ("error", "warning"):
            yield "console %s: %s" % (params["entry"]["level"], params["entry"]["text"])
        elif method == "Network.loadingFailed":
            yield "failed load: " + params.get("errorText", "?")


def ids_of(path, cache):
    """The ids of a page of the site (for links into another page's anchor)."""
    if path not in cache:
        import html.parser

        class Ids(html.parser.HTMLParser):
            found = set()

            def handle_starttag(self, tag, attrs):
                self.found.update(v for k, v in attrs if k == "id")
        parser = Ids()
        parser.found = set()
        parser.feed(open(path, encoding="utf-8").read())
        cache[path] = parser.found
    return cache[path]


def problems_in_refs(page, found, site, id_cache):
    here = os.path.dirname(page)
    for kind, ref in found["refs"]:
        parts = urllib.parse.urlsplit(ref)
        if parts.scheme in ("http", "https") or ref.startswith("//"):
            if kind == "asset":
                yield "asset from outside the site: " + ref
            continue
        if parts.scheme:
            yield "link of an unexpected kind: " + ref
            continue
        target = os.path.normpath(os.path.join(here, urllib.parse.unquote(parts.path))) \
            if parts.path else page
        if not os.path.realpath(target).startswith(os.path.realpath(site)):
            yield "link out of the site: " + ref
        elif not os.path.isfile(target):
            yield "broken %s: %s" % (kind, ref)
        elif parts.fragment:
            ids = set(found["ids"]) if target == page else (
                ids_of(target, id_cache) if target.endswith(".html") else set())
            if parts.fragment not in ids:
                yield "no anchor #%s in %s" % (parts.fragment, os.path.basename(target))
    for image in found["brokenImages"]:
        yield "image not shown: " + image
    if not found["styled"]:
        yield "style.css was not applied"
    if found["scrollWidth"] > found["innerWidth"]:
        yield "wider than a phone: %d px on a %d px screen" % (found["scrollWidth"],
                                                               found["innerWidth"])


def main(argv):
    if len(argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    chromium, site = argv[1], os.path.abspath(argv[2])
    pages = sorted(glob.glob(os.path.join(site, "*.html")))
    if not pages:
        print(f"no pages in {site}")
        return 1
    problems = 0
    id_cache = {}
    with tempfile.TemporaryDirectory() as profile:
        browser = Browser(chromium, profile)
        try:
            browser.open_page()
            for page in pages:
                browser.events.clear()
                browser.call("Page.navigate", {"url": "file://" + page})
                browser.wait_for("Page.loadEventFired")
                found = json.loads(browser.call("Runtime.evaluate", {
                    "expression": COLLECT, "returnByValue": True})["result"]["value"])
                browser.call("Runtime.evaluate", {"expression": "1"})  # drain late events
                name = os.path.basename(page)
                for problem in list(problems_in_events(browser.events)) + \
                        list(problems_in_refs(page, found, site, id_cache)):
                    print(f"{name}: {problem}")
                    problems += 1
                print(f"{name}: {len(found['refs'])} links and sources, "
                      f"{found['scrollWidth']} px wide -- {found['title']}")
        finally:
            browser.close()
    print(f"checked {len(pages)} pages, {problems} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
