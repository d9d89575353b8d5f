"""Which feeds and pages to follow, and how often: URLs on the command line or in a feeds file, which is
either one URL per line (`#` starts a comment) or TOML with a `[[feed]]` table per feed (url, name, every)."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from ..documents import is_url

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 reads TOML with the tomli backport
    import tomli as tomllib

_DURATION = re.compile(r"(\d+(?:\.\d+)?)([smhd])")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
FEED_KEYS = frozenset({"url", "name", "every"})


class FeedListError(ValueError):
    """A feeds file or an interval that cannot be read; the message names the place and the problem."""


@dataclass(frozen=True)
class Followed:
    """A feed or page to poll: its URL, the name it goes by (shown, and the outlet a page lacks) and its
    own polling interval in seconds (None: the command's --every)."""

    url: str
    name: str | None = None
    every: float | None = None


def parse_duration(text: str) -> float:
    """Seconds in an interval written as 90s, 15m, 1h30m or 1d (a bare number is seconds); at least 1 s."""
    cleaned = text.strip().lower().replace(" ", "")
    if re.fullmatch(r"\d+(?:\.\d+)?", cleaned):
        seconds = float(cleaned)
    elif cleaned and _DURATION.sub("", cleaned) == "":
        seconds = sum(float(n) * _UNIT_SECONDS[unit] for n, unit in _DURATION.findall(cleaned))
    else:
        raise FeedListError(f"not an interval: {text!r} (write it as 90s, 15m, 1h30m or 1d)")
    if seconds < 1:
        raise FeedListError(f"interval too short: {text!r} (at least 1 s)")
    return seconds


def read_feed_list(path: Path) -> list[Followed]:
    """The feeds a file lists: TOML when it ends in .toml, else one URL per line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FeedListError(f"cannot read feeds file {path}: {exc}") from None
    return _from_toml(text, path) if path.suffix.lower() == ".toml" else _from_lines(text, path)


def _from_lines(text: str, path: Path) -> list[Followed]:
    feeds = []
    for lineno, line in enumerate(text.splitlines(), 1):
        url = re.split(r"(?:^|\s)#", line, maxsplit=1)[0].strip()  # a '#' inside a URL is its fragment
        if not url:
            continue
        if not is_url(url) or any(c.isspace() for c in url):
            raise FeedListError(f"{path}:{lineno}: not an http(s) URL: {url}")
        feeds.append(Followed(url))
    return feeds


def _from_toml(text: str, path: Path) -> list[Followed]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise FeedListError(f"{path}: not valid TOML: {exc}") from None
    unknown = set(data) - {"feed"}
    if unknown:
        raise FeedListError(f"{path}: unknown top-level key {sorted(unknown)[0]!r} (feeds go in [[feed]] tables)")
    tables = data.get("feed", [])
    if not isinstance(tables, list):
        raise FeedListError(f"{path}: 'feed' must be an array of tables, written [[feed]]")
    feeds = []
    for n, table in enumerate(tables, 1):
        where = f"{path}: feed {n}"
        extra = set(table) - FEED_KEYS
        if extra:
            raise FeedListError(f"{where}: unknown key {sorted(extra)[0]!r} (known: url, name, every)")
        url, name, every = table.get("url"), table.get("name"), table.get("every")
        if not isinstance(url, str) or not is_url(url.strip()):
            raise FeedListError(f"{where}: url must be an http(s) URL, not {url!r}")
        if name is not None and not isinstance(name, str):
            raise FeedListError(f"{where}: name must be a string")
        if every is not None and not isinstance(every, (str, int, float)):
            raise FeedListError(f"{where}: every must be an interval such as \"15m\"")
        try:
            seconds = parse_duration(str(every)) if every is not None else None
        except FeedListError as exc:
            raise FeedListError(f"{where}: {exc}") from None
        feeds.append(Followed(url.strip(), (name or "").strip() or None, seconds))
    return feeds
