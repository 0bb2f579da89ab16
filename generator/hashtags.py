"""Hashtags as each platform links them, and the checks on them.

`extract(text, platform)` returns the tags the platform itself would link, without the `#`, in order.
Each platform's rule follows its own code (see docs/platforms.md, "Counting rules"):

- x (and linkedin, instagram, facebook, which publish no rule and link `#word` the same way):
  twitter-text Extractor.extractHashtagsWithIndices: `#` or full-width `＃`, letters, marks, digits,
  `_` and a few joiners, at least one letter, not glued to a word character or `&`, not followed by
  another `#` or `://`, not inside a URL.
- mastodon: app/models/concerns/tag/naming.rb HASHTAG_RE (`#` or full-width `＃`, at the start or after
  whitespace; `·`, `・` and ZWNJ may join words) and Extractor's removal of tags inside URLs.
- bluesky: @atproto/api RichText.detectFacets TAG_REGEX: `#` or `＃` after whitespace or at the start,
  everything up to the next space, at least one character that is neither a digit nor punctuation,
  trailing punctuation trimmed, at most 64 characters (UTF-16 code units, as the check is written).
- threads: X's pattern, but one topic tag per post: the first tag of 1-50 characters links.

The checks (`check_hashtags`) return Problems with stable codes: hashtag.unlinkable, hashtag.duplicate,
hashtag.too-many, hashtag.too-many-recommended, hashtag.banned, hashtag.required-missing, hashtag.case.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from generator import platforms as platform_rules
from generator import twittertext
from generator.errors import Problem, error, warning

# twitter-text regexp/hashtagAlpha, hashtagAlphaNumeric (hashtagSpecialChars), hashtagBoundary, validHashtag
_X_ALPHA = r"\p{L}\p{M}"
_X_ALNUM = r"\p{L}\p{M}\p{Nd}_\u200c\u200d\ua67e\u05be\u05f3\u05f4\uff5e\u301c\u309b\u309c\u30a0\u30fb\u3003\u0f0b\u0f0c\u00b7"
_X_HASHTAG = regex.compile(
    rf"(?:^|\ufe0e|\ufe0f|$|(?![{_X_ALNUM}&])[\s\S])([#＃])(?!\ufe0f|\u20e3)([{_X_ALNUM}]*[{_X_ALPHA}][{_X_ALNUM}]*)",
    regex.IGNORECASE,
)
_X_END_HASHTAG = regex.compile(r"[#＃]|://")  # endHashtagMatch: a tag followed by these is no tag

# mastodon app/models/concerns/tag/naming.rb (Tag::Naming, Mastodon 4.3 on): HASHTAG_SEPARATORS,
# HASHTAG_FIRST_SEQUENCE, HASHTAG_LAST_SEQUENCE, HASHTAG_RE.
# Ruby's [[:word:]] is letters, marks, decimal digits and connector punctuation; [[:alpha:]] letters and marks.
_M_WORD = r"[\p{L}\p{M}\p{Nd}\p{Pc}]"
_M_SEP = r"_\u00b7\u30fb\u200c"
_M_FIRST = rf"{_M_WORD}[\p{{L}}\p{{M}}\p{{Nd}}\p{{Pc}}{_M_SEP}]*[\p{{L}}\p{{M}}{_M_SEP}][\p{{L}}\p{{M}}\p{{Nd}}\p{{Pc}}{_M_SEP}]*{_M_WORD}"
_M_LAST = rf"{_M_WORD}*[\p{{L}}\p{{M}}]{_M_WORD}*"
_MASTODON_HASHTAG = regex.compile(rf"(?<=^|\s)[#＃]({_M_FIRST}|{_M_LAST})")
_MASTODON_SCHEME_SUFFIX = regex.compile(r"(.+)(https?)$", regex.IGNORECASE)

# @atproto/api src/rich-text/util.ts TAG_REGEX and TRAILING_PUNCTUATION_REGEX (JavaScript's \d is ASCII only).
_BSKY_NOT_IN_TAG = r"\s\u00ad\u2060\u200a\u200b\u200c\u200d\u20e2"
_BLUESKY_HASHTAG = regex.compile(
    rf"(^|\s)[#＃]((?!\ufe0f)[^{_BSKY_NOT_IN_TAG}]*[^0-9\p{{P}}{_BSKY_NOT_IN_TAG}]+[^{_BSKY_NOT_IN_TAG}]*)?"
)
_BSKY_TRAILING_PUNCTUATION = regex.compile(r"\p{P}+$")
BLUESKY_MAX_TAG_LENGTH = 64  # detectFacets skips longer tags (lexicon: maxGraphemes 64)
THREADS_MAX_TAG_LENGTH = 50  # Threads API: a topic tag has 1-50 characters

# What a person meant as a hashtag: `#` then letters, digits, `_` and word-joining hyphens, not glued to a
# word before it. Used only to tell them when the platform links less than they wrote.
_WRITTEN_HASHTAG = regex.compile(r"(?<![\p{L}\p{M}\p{Nd}_&/=])[#＃](?![\ufe0f\u20e3])([\p{L}\p{M}\p{Nd}_\u00b7\u200c\u200d]+(?:[\-\u2010\u2011][\p{L}\p{M}\p{Nd}_]+)*)")


@dataclass(frozen=True)
class Tag:
    """A linked hashtag: `tag` without its `#`; text[start:end] is `#tag` (or `＃tag`)."""

    tag: str
    start: int
    end: int


def _without_overlaps(tags: list[Tag], spans: list[tuple[int, int]]) -> list[Tag]:
    """twitter-text removeOverlappingEntities: sort by start (tags before URLs at the same index),
    keep each entity that starts after the previous kept one ends; return the tags kept."""
    entities = sorted([(tag.start, 0, tag.end, tag) for tag in tags] + [(s, 1, e, None) for s, e in spans],
                      key=lambda item: (item[0], item[1]))
    kept, previous_end = [], -1
    for start, _, end, tag in entities:
        if start < previous_end:
            continue
        previous_end = end
        if tag is not None:
            kept.append(tag)
    return kept


def _find_x(text: str) -> list[Tag]:
    if "#" not in text and "＃" not in text:
        return []
    tags = []
    for match in _X_HASHTAG.finditer(text):
        if _X_END_HASHTAG.match(text, match.end()):
            continue
        tags.append(Tag(match.group(2), match.start(1), match.end()))
    if tags:
        tags = _without_overlaps(tags, [(url.start, url.end) for url in twittertext.extract_urls(text)])
    return tags


def _find_mastodon(text: str) -> list[Tag]:
    if "#" not in text and "＃" not in text:
        return []
    tags = []
    for match in _MASTODON_HASHTAG.finditer(text):
        name, end = match.group(1), match.end()
        if text.startswith("://", end):  # `#taghttps://…`: the scheme is not part of the tag
            split = _MASTODON_SCHEME_SUFFIX.match(name)
            if split:
                name, end = split.group(1), end - len(split.group(2))
        tags.append(Tag(name, match.start(), end))
    if tags:
        urls = twittertext.extract_urls(text, without_protocol=False)
        tags = _without_overlaps(tags, [(url.start, url.end) for url in urls])
    return tags


def _find_bluesky(text: str) -> list[Tag]:
    if "#" not in text and "＃" not in text:
        return []
    tags = []
    for match in _BLUESKY_HASHTAG.finditer(text):
        tag = match.group(2)
        if not tag:
            continue
        tag = _BSKY_TRAILING_PUNCTUATION.sub("", tag.strip())
        if not tag or platform_rules.utf16_units(tag) > BLUESKY_MAX_TAG_LENGTH:
            continue
        start = match.start() + len(match.group(1))
        tags.append(Tag(tag, start, start + 1 + len(tag)))
    return tags


def _find_threads(text: str) -> list[Tag]:
    return [tag for tag in _find_x(text) if len(tag.tag) <= THREADS_MAX_TAG_LENGTH]


_FINDERS = {"x": _find_x, "mastodon": _find_mastodon, "bluesky": _find_bluesky, "threads": _find_threads}


def _platform(platform) -> platform_rules.Platform:
    return platform if isinstance(platform, platform_rules.Platform) else platform_rules.get(platform)


def find(text: str, platform="x") -> list[Tag]:
    """Every tag the platform's pattern recognises, with positions, before any per-post cap."""
    return _FINDERS[_platform(platform).hashtag_rule](text)


def linked(text: str, platform="x") -> list[Tag]:
    """The tags `platform` links in `text`, with positions, in order (threads links only the first)."""
    rules = _platform(platform)
    tags = find(text, rules)
    return tags[:1] if rules.hashtag_rule == "threads" else tags


def extract(text: str, platform="x") -> list[str]:
    """The tags `platform` links in `text`, without `#`, in order (threads links only the first)."""
    return [tag.tag for tag in linked(text, platform)]


def check_hashtags(text: str, platform, campaign=None, where: str = "", require: bool = True,
                   language: str | None = None) -> list[Problem]:
    """Problems with the hashtags of one post on one platform. With a campaign: banned tags, missing
    required tags (unless `require` is false, e.g. for a message before its template adds them) and
    spellings that differ from the campaign's CamelCase only by case."""
    rules = _platform(platform)
    name = rules.name
    tags = find(text, rules)
    problems = _check_unlinkable(text, rules, tags, where)
    seen: dict[str, list[str]] = {}
    for tag in tags:
        seen.setdefault(tag.tag.casefold(), []).append(tag.tag)
    for spellings in seen.values():
        if len(spellings) > 1:
            problems.append(warning("hashtag.duplicate",
                                    f"{name}: #{spellings[0]} appears {len(spellings)} times", where))
    if rules.max_hashtags is not None and len(tags) > rules.max_hashtags:
        extra = " (only the first links)" if rules.hashtag_rule == "threads" else ""
        problems.append(error("hashtag.too-many",
                              f"{name}: {len(tags)} hashtags, at most {rules.max_hashtags} allowed{extra}", where))
    elif rules.recommended_hashtags is not None and len(tags) > rules.recommended_hashtags:
        problems.append(warning("hashtag.too-many-recommended",
                                f"{name}: {len(tags)} hashtags, {rules.recommended_hashtags} at most recommended",
                                where))
    if campaign is not None:
        own = campaign.hashtags.for_language(language) if language else campaign.hashtags
        problems.extend(_check_campaign_tags(tags, rules, own, where, require))
    return problems


def check_banned(text: str, banned, where: str = "") -> list[Problem]:
    """`hashtag.banned` for each banned tag in `text`, whatever the platform (tags found as X links them)."""
    folded = {tag.casefold() for tag in banned}
    return [error("hashtag.banned", f"#{tag.tag} is banned in this campaign", where)
            for tag in find(text, "x") if tag.tag.casefold() in folded]


def _check_unlinkable(text: str, rules, tags: list[Tag], where: str) -> list[Problem]:
    """A `#word` as written that the platform does not link, or links only in part."""
    by_start = {tag.start: tag for tag in tags}
    urls = [(url.start, url.end) for url in twittertext.extract_urls(text)] if tags or "#" in text or "＃" in text else []
    problems = []
    for written in _WRITTEN_HASHTAG.finditer(text):
        start, word = written.start(), written.group(1)
        if any(s <= start < e for s, e in urls):
            continue
        linked = by_start.get(start)
        shown = text[start] + word
        if linked is None:
            reason = " (a tag needs a letter)" if word.isdigit() else ""
            problems.append(error("hashtag.unlinkable", f"{rules.name}: {shown} will not link{reason}", where))
        elif len(linked.tag) < len(word) and word.startswith(linked.tag):
            problems.append(error("hashtag.unlinkable",
                                  f"{rules.name}: links only {text[start]}{linked.tag}, not {shown}", where))
    return problems


def _check_campaign_tags(tags: list[Tag], rules, hashtags, where: str, require: bool) -> list[Problem]:
    problems = []
    banned = {tag.casefold() for tag in hashtags.banned}
    canonical = {key.casefold(): spelling for key, spelling in hashtags.canonical().items()}
    linked = tags[:1] if rules.hashtag_rule == "threads" else tags
    present = {tag.tag.casefold() for tag in linked}
    reported_case = set()
    for tag in tags:
        folded = tag.tag.casefold()
        if folded in banned:
            problems.append(error("hashtag.banned", f"{rules.name}: #{tag.tag} is banned in this campaign", where))
        elif folded in canonical and tag.tag != canonical[folded] and tag.tag not in reported_case:
            reported_case.add(tag.tag)
            problems.append(warning("hashtag.case", f"{rules.name}: write #{canonical[folded]}, not #{tag.tag} "
                                    "(capitals let screen readers say the words)", where))
    if require and hashtags.required:
        missing = [tag for tag in hashtags.required if tag.casefold() not in present]
        room = len(hashtags.required) if rules.max_hashtags is None else min(rules.max_hashtags, len(hashtags.required))
        have = len(hashtags.required) - len(missing)
        if have < room:
            listed = " ".join(f"#{tag}" for tag in missing)
            if room < len(hashtags.required):
                message = f"{rules.name}: needs {room} of the required hashtags, has {have} (missing {listed})"
            else:
                message = f"{rules.name}: required hashtag missing: {listed}"
            problems.append(error("hashtag.required-missing", message, where))
    return problems
