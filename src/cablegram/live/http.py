"""Fetching pages and feeds over HTTP: conditional requests, a pause between requests to one host, a time
limit on every request, and retries with growing pauses for failures that may pass (timeouts, 5xx, 429).

Every failure becomes a `FetchError` whose message is the reason a person reads ("HTTP 500 Internal Server
Error", "timed out after 20 s"); nothing is retried forever within one call, and nothing fails silently.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import httpx

from .. import __version__
from ..documents import MAX_FILE_BYTES

RETRYABLE_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})
MAX_RETRY_AFTER = 60.0  # seconds: a longer Retry-After is left to the next round


class FetchError(Exception):
    """A URL could not be fetched; the message says why (status, time-out, refused connection, size)."""


class _Transient(FetchError):
    """A failure worth another attempt; `retry_after` is the server's requested pause, when it gave one."""

    def __init__(self, reason: str, retry_after: float | None = None):
        super().__init__(reason)
        self.retry_after = retry_after


@dataclass(frozen=True)
class FetchSettings:
    """How politely and patiently to fetch: defaults suit public news sites."""

    timeout: float = 20.0  # seconds for one request, connecting and reading the whole body
    retries: int = 2  # further attempts after a failure that may pass
    backoff: float = 1.0  # seconds before the first retry; doubled before each next one
    host_delay: float = 1.0  # seconds at least between two requests to the same host
    max_bytes: int = MAX_FILE_BYTES  # a larger body is refused, as a larger file is


@dataclass(frozen=True)
class Response:
    """A fetched body (empty for 304 Not Modified) with what a conditional request needs next time."""

    url: str  # after redirects
    status: int
    body: bytes
    content_type: str
    etag: str | None
    last_modified: str | None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def check_url(url: str) -> str:
    """The host of an http(s) URL, or a FetchError saying what is wrong with it."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError as exc:  # a malformed IPv6 address or port
        raise FetchError(f"invalid URL {url}: {exc}") from None
    if parts.scheme.lower() not in ("http", "https") or not host:
        raise FetchError(f"not an http(s) URL: {url}")
    if any(c.isspace() or ord(c) < 32 for c in url):
        raise FetchError(f"invalid URL {url!r}: contains spaces or control characters")
    return host.lower()


class Fetcher:
    """One HTTP client shared by every request of a run, pacing requests per host (see the module docstring)."""

    def __init__(self, settings: FetchSettings = FetchSettings(), stop: threading.Event | None = None):
        self.settings = settings
        self.stop = stop or threading.Event()  # set: no further retry is waited for
        self._client = httpx.Client(follow_redirects=True, timeout=settings.timeout,
                                    headers={"User-Agent": f"cablegram/{__version__}"})
        self._last_request: dict[str, float] = {}
        self._lock = threading.Lock()

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Response:
        """GET `url`, conditionally when validators are given (a 304 comes back as a Response), retrying
        transient failures `settings.retries` times with doubling pauses; FetchError when it cannot."""
        host = check_url(url)
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        attempts = self.settings.retries + 1
        for attempt in range(attempts):
            self._pace(host)
            try:
                return self._get_once(url, headers)
            except _Transient as exc:
                failure = exc
                pause = exc.retry_after if exc.retry_after is not None else self.settings.backoff * 2 ** attempt
                if attempt + 1 == attempts or pause > MAX_RETRY_AFTER or self.stop.wait(pause):
                    break
        tries = f" (tried {attempt + 1} times)" if attempt else ""
        raise FetchError(f"{failure}{tries}")

    def _pace(self, host: str) -> None:
        """Wait until `settings.host_delay` has passed since the last request to `host`."""
        with self._lock:
            now = time.monotonic()
            start = max(now, self._last_request.get(host, -1e9) + self.settings.host_delay)
            self._last_request[host] = start
        if start > now:
            time.sleep(start - now)

    def _get_once(self, url: str, headers: dict) -> Response:
        """One request, its body read up to the size limit within the time limit."""
        deadline = time.monotonic() + self.settings.timeout
        try:
            with self._client.stream("GET", url, headers=headers) as r:
                if r.status_code >= 400:
                    reason = f"HTTP {r.status_code} {r.reason_phrase}".rstrip()
                    if r.status_code in RETRYABLE_STATUS:
                        raise _Transient(reason, _retry_after(r.headers.get("retry-after")))
                    raise FetchError(reason)
                body = bytearray()
                if r.status_code != 304:
                    declared = r.headers.get("content-length", "")
                    if declared.isdigit() and int(declared) > self.settings.max_bytes:
                        raise FetchError(self._too_large())
                    for chunk in r.iter_bytes():
                        body += chunk
                        if len(body) > self.settings.max_bytes:
                            raise FetchError(self._too_large())
                        if time.monotonic() > deadline:
                            raise _Transient(f"timed out after {self.settings.timeout:g} s")
                return Response(url=str(r.url), status=r.status_code, body=bytes(body),
                                content_type=r.headers.get("content-type", "").lower(),
                                etag=r.headers.get("etag"), last_modified=r.headers.get("last-modified"))
        except httpx.TimeoutException:
            raise _Transient(f"timed out after {self.settings.timeout:g} s") from None
        except httpx.ConnectError as exc:
            raise _Transient(f"cannot connect: {exc}") from None
        except httpx.TooManyRedirects:
            raise FetchError("too many redirects") from None
        except (httpx.InvalidURL, ValueError) as exc:  # ValueError: a host name IDNA refuses
            raise FetchError(f"invalid URL: {exc}") from None
        except httpx.TransportError as exc:
            raise _Transient(f"{type(exc).__name__}: {exc}") from None

    def _too_large(self) -> str:
        return f"response larger than {self.settings.max_bytes / 2**20:.0f} MiB"

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (a number of seconds or an HTTP date), if there is one."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None
