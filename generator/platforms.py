"""The platforms a post pack targets, as data: each one's text limit, how it counts, its hashtag caps,
link rules, alt-text limit, card formats, display name and handle shape; and the card formats themselves.

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
MASTODON_MAX_DOMAIN_LENGTH = 253  # mastodon app/lib/extractor.rb MAX_DOMAIN_LENGTH: longer is no mention


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
    URLs with a scheme count 23, `@user@domain` counts as `@user` unless its domain is over 253 characters
    (StatusLengthValidator#countable_text,
    which takes twitter-text's URLs without schemeless ones, then mentions that do not overlap them)."""
    urls = sorted((url.start, url.end) for url in twittertext.extract_urls(text, without_protocol=False))
    url_starts = [start for start, _ in urls]
    spans = [(start, end, MASTODON_URL_LENGTH) for start, end in urls]
    for match in _MASTODON_MENTION.finditer(text):
        if len(match.group(1).partition("@")[2]) > MASTODON_MAX_DOMAIN_LENGTH:
            continue  # Extractor skips it, so the validator counts every character of it
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
class CardFormat:
    """An image card's size and its safe area (the margin kept clear of text and logos), in pixels."""

    name: str
    width: int
    height: int
    safe: tuple[int, int, int, int]  # clear margin at top, right, bottom, left

    @property
    def safe_box(self) -> tuple[int, int, int, int]:
        top, right, bottom, left = self.safe
        return left, top, self.width - left - right, self.height - top - bottom


@dataclass(frozen=True)
class Handle:
    """The shape of an account handle on a platform: what matches, and how a message describes it."""

    pattern: regex.Pattern
    shape: str

    def matches(self, handle: str) -> bool:
        return bool(self.pattern.fullmatch(handle))  # `$` would let "@name\n" through


@dataclass(frozen=True)
class Platform:
    """One platform's rules. `count(text)` is the number the platform compares with `limit`."""

    name: str
    display_name: str
    limit: int
    counter: str
    hashtag_rule: str
    max_hashtags: int | None
    recommended_hashtags: int | None
    max_links: int | None
    links_clickable: bool
    supports_threads: bool
    alt_text_limit: int
    card_formats: tuple[str, ...]  # card format names (see card_formats()); the first is the default
    max_bytes: int | None = None
    handle: Handle | None = None  # None: the platform names pages in free text

    def count(self, text: str) -> int:
        return COUNTERS[self.counter](text)

    def count_bytes(self, text: str) -> int:
        return utf8_bytes(text)

    def count_alt_text(self, text: str) -> int:
        """Alt text is compared with `alt_text_limit` in user-perceived characters."""
        return graphemes(text)

    @property
    def default_card_format(self) -> str:
        return self.card_formats[0]


@lru_cache(maxsize=1)
def _data() -> dict:
    return yaml.safe_load(resources.files("generator").joinpath("data/platforms.yaml").read_text("utf-8"))


@lru_cache(maxsize=1)
def _table() -> dict[str, Platform]:
    table = {}
    for name, rules in _data()["platforms"].items():
        rules = dict(rules)
        handle = rules.pop("handle", None)
        table[name] = Platform(name=name, card_formats=tuple(rules.pop("card_formats")),
                               handle=Handle(regex.compile(handle["pattern"]), handle["shape"]) if handle else None,
                               **rules)
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


@lru_cache(maxsize=1)
def card_formats() -> dict[str, CardFormat]:
    """Every card format by name, in the table's order."""
    return {name: CardFormat(name, *entry["size"], tuple(entry["safe"]))
            for name, entry in _data()["card_formats"].items()}
