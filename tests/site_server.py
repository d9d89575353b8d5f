"""A real HTTP server on 127.0.0.1 for the live-coverage tests: serves tests/live_site (with `{base}` replaced by
its own address) and whatever a test puts up, with ETag and Last-Modified validators, and can make a path slow or
fail. Every request is logged, so a test can tell what was fetched and what was answered 304.

Run as a script (`python tests/site_server.py --port 8765`) it serves the fixture site until stopped, for trying
`cablegram watch` by hand (the README's "Follow live news" does).
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SITE = Path(__file__).parent / "live_site"
TYPES = {".html": "text/html; charset=utf-8", ".xml": "application/rss+xml; charset=utf-8"}


@dataclass
class Resource:
    """What a path answers: a body and its type, or an error status; `delay` seconds before answering."""

    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    delay: float = 0.0
    validators: bool = True  # send ETag and Last-Modified, and answer 304 to a matching conditional request
    fail_first: int = 0  # answer 503 to this many requests before serving the body
    modified: float = 0.0  # the Last-Modified time

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:16] + '"'


class SiteServer:
    """The server and its resources; `put` changes what a path answers while the server runs."""

    def __init__(self, port: int = 0):
        self.resources: dict[str, Resource] = {}
        self.log: list[tuple[str, int]] = []  # (path, status answered), in order
        self.arrived: list[str] = []  # paths requested, logged as each request arrives
        self._lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        for path in SITE.iterdir():
            if path.suffix in TYPES and path.name != "new-item.xml":
                self.put("/" + path.name, self.file(path.name), TYPES[path.suffix])

    def file(self, name: str) -> str:
        """A file of the fixture site with the server's address filled in."""
        return (SITE / name).read_text(encoding="utf-8").replace("{base}", self.base)

    def put(self, path: str, body: str | bytes = b"", content_type: str = "text/html; charset=utf-8",
            status: int = 200, delay: float = 0.0, validators: bool = True, fail_first: int = 0) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        with self._lock:
            self.resources[path] = Resource(data, content_type, status, delay, validators, fail_first, time.time())

    def put_feed(self, path: str, title: str, items: list[tuple[str, str, str]]) -> None:
        """An RSS feed at `path` listing (title, page path, RFC 822 date) items."""
        entries = "".join(f"<item><title>{t}</title><link>{self.base}{p}</link><guid>{self.base}{p}</guid>"
                          f"<pubDate>{d}</pubDate></item>" for t, p, d in items)
        self.put(path, f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>{entries}'
                       "</channel></rss>", TYPES[".xml"])

    def add_feed_item(self, feed: str = "/feed.xml", item: str = "new-item.xml") -> None:
        """Put a further item at the top of a feed's item list (a new ETag and Last-Modified)."""
        body = self.resources[feed].body.decode("utf-8")
        at = body.index("<item>")
        self.put(feed, body[:at] + self.file(item) + body[at:], self.resources[feed].content_type)

    def requests(self, path: str) -> list[int]:
        """The statuses answered to requests for `path`, in order."""
        with self._lock:
            return [status for p, status in self.log if p == path]

    def clear_log(self) -> None:
        with self._lock:
            self.log.clear()
            self.arrived.clear()

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                with server._lock:
                    server.arrived.append(self.path)
                    res = server.resources.get(self.path)
                    failing = res is not None and res.fail_first > 0
                    if failing:
                        res.fail_first -= 1
                if res is None:
                    return self._answer(404, b"not found", "text/plain")
                if res.delay:
                    time.sleep(res.delay)
                if failing or res.status != 200:
                    return self._answer(503 if failing else res.status, b"server error", "text/plain")
                modified = formatdate(res.modified, usegmt=True)
                headers = {"ETag": res.etag, "Last-Modified": modified} if res.validators else {}
                asked_etag, asked_since = self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since")
                if res.validators and (asked_etag == res.etag or (asked_etag is None and asked_since == modified)):
                    return self._answer(304, b"", None, headers)
                self._answer(200, res.body, res.content_type, headers)

            def _answer(self, status: int, body: bytes, content_type: str | None, headers: dict | None = None):
                with server._lock:
                    server.log.append((self.path, status))
                try:
                    self.send_response(status)
                    if content_type:
                        self.send_header("Content-Type", content_type)
                    for name, value in (headers or {}).items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (a time-out test)
                    pass

            def log_message(self, *args):
                pass

        return Handler

    def start(self) -> SiteServer:
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Serve the live-coverage test site on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--new-item-after", type=float, metavar="SECONDS",
                        help="add new-item.xml to feed.xml this long after starting, as a site that publishes")
    args = parser.parse_args()
    site = SiteServer(args.port)
    if args.new_item_after is not None:
        threading.Timer(args.new_item_after, site.add_feed_item).start()
    print(f"serving tests/live_site at {site.base}/ (feed: {site.base}/feed.xml)", flush=True)
    try:
        site.httpd.serve_forever()
    except KeyboardInterrupt:
        site.httpd.server_close()
