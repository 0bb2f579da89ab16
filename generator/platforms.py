"""The platforms a post pack targets, as data: each one's text limit, how it counts, its hashtag caps,
link rules, alt-text limit and card formats.

The values live in data/platforms.yaml, each with a comment naming its source; this module turns them
into `Platform` objects and holds the counting functions. docs/platforms.md ("Counting rules") says
which platform code or documentation each counter follows.

    >>> from generator import platforms
    >>> p = platforms.get("x")
    >>> p.limit, p.count("Orange the World 🧡 https://www.unwomen.org/en")
    (280, 43)
"""

from __future__ import annotations

import bisect

import difflib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Callable

import regex
import yaml

from generator import twittertext
from generator.errors import UsageError

_GRAPHEME = regex.compile(r"\X")
# mastodon app/models/account.rb MENTION_RE (with USERNAME_RE): `@user@domain`, counted as `@user`.
_MASTODON_MENTION = regex.compile(
    r"(?<![=/\w])@(([a-z0-9_]+(?:[a-z0-9_.-]+[a-z0-9_]+)?)(?:@[\w]+(?:[.-]+[\w]+)*)?)", regex.IGNORECASE
)
MASTODON_URL_LENGTH = 23  # mastodon StatusLengthValidator::URL_PLACEHOLDER_CHARS


def graphemes(text: str) -> int:
    """User-perceived characters (Unicode extended grapheme clusters, UAX #29)."""
    return len(_GRAPHEME.findall(text))


def utf8_bytes(text: str) -> int:
    """Bytes once UTF-8 encoded; a lone surrogate counts the 3 bytes it would take if it were allowed."""
    return len(text.encode("utf-8", "surrogatepass"))


def utf16_units(text: str) -> int:
    """JavaScript's `text.length`: characters outside the BMP take two units."""
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


def mastodon_entities(text: str) -> list[tuple[int, int, int]]:
    """(start, end, counted length) of the spans Mastodon does not count character by character:
    URLs with a scheme count 23, `@user@domain` counts as `@user` (StatusLengthValidator#countable_text,
    which takes twitter-text's URLs without schemeless ones, then mentions that do not overlap them)."""
    urls = sorted((url.start, url.end) for url in twittertext.extract_urls(text, without_protocol=False))
    url_starts = [start for start, _ in urls]
    spans = [(start, end, MASTODON_URL_LENGTH) for start, end in urls]
    for match in _MASTODON_MENTION.finditer(text):
        start, end = match.start(), match.end()
        # URLs do not overlap each other, so only the last one starting before this mention can overlap it
        before = bisect.bisect_left(url_starts, end)
        if not (before and urls[before - 1][1] > start):
            spans.append((start, end, 1 + len(match.group(2))))
    return sorted(spans)


def count_mastodon(text: str) -> int:
    """Grapheme clusters after each URL is replaced by 23 characters and `@user@domain` by `@user`."""
    total, pos = 0, 0
    for start, end, length in mastodon_entities(text):
        total += graphemes(text[pos:start]) + length
        pos = end
    return total + graphemes(text[pos:])


def count_threads(text: str) -> int:
    """Characters (code points), except that an emoji counts its UTF-8 bytes (Threads API docs)."""
    total, pos = 0, 0
    for start, end in twittertext.extract_emoji(text):
        total += (start - pos) + utf8_bytes(text[start:end])
        pos = end
    return total + len(text) - pos


COUNTERS: dict[str, Callable[[str], int]] = {
    "twitter-text-v3": twittertext.weighted_length,
    "graphemes": graphemes,
    "mastodon": count_mastodon,
    "threads": count_threads,
    "utf16": utf16_units,
}


@dataclass(frozen=True)
class Platform:
    """One platform's rules. `count(text)` is the number the platform compares with `limit`."""

    name: str
    limit: int
    counter: str
    hashtag_rule: str
    max_hashtags: int | None
    recommended_hashtags: int | None
    max_links: int | None
    links_clickable: bool
    supports_threads: bool
    alt_text_limit: int
    card_formats: dict  # format name -> (width, height); the first is the default
    max_bytes: int | None = None

    def count(self, text: str) -> int:
        return COUNTERS[self.counter](text)

    def count_bytes(self, text: str) -> int:
        return utf8_bytes(text)

    def count_alt_text(self, text: str) -> int:
        """Alt text is compared with `alt_text_limit` in user-perceived characters."""
        return graphemes(text)

    def links(self, text: str) -> list[str]:
        """The links in `text` as the platform would see them (twitter-text's URL rules, with or
        without a scheme): what `max_links` and the not-clickable warning count."""
        return [url.url for url in twittertext.extract_urls(text)]

    @property
    def default_card_format(self) -> str:
        return next(iter(self.card_formats))


@lru_cache(maxsize=1)
def _data() -> dict:
    return yaml.safe_load(resources.files("generator").joinpath("data/platforms.yaml").read_text("utf-8"))


@lru_cache(maxsize=1)
def _table() -> dict[str, Platform]:
    data = _data()
    sizes = card_sizes()
    table = {}
    for name, rules in data["platforms"].items():
        rules = dict(rules)
        formats = {fmt: sizes[fmt] for fmt in rules.pop("card_formats")}
        table[name] = Platform(name=name, card_formats=formats, **rules)
    return table


def names() -> list[str]:
    """The known platform names, sorted."""
    return sorted(_table())


def get(name: str) -> Platform:
    """The platform called `name`; an unknown name raises UsageError listing the known ones."""
    table = _table()
    if name in table:
        return table[name]
    close = difflib.get_close_matches(str(name).lower(), table, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    raise UsageError(f"unknown platform {name!r}{hint} (known: {', '.join(names())})")


def card_sizes() -> dict[str, tuple[int, int]]:
    """Every card format name -> (width, height) in pixels."""
    return {name: tuple(size) for name, size in _data()["card_sizes"].items()}
