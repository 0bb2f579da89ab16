"""The checks on one post for one platform: its length as the platform counts it, its links and its
hashtags. Problems are data with stable codes (see errors.Problem); nothing here prints or raises for
content, and any string at all (lone surrogates, control characters, megabytes) gets a result.

Codes: length.over, length.bytes-over, length.empty, text.invalid-character, link.too-many,
link.not-clickable, and the hashtag.* codes of generator.hashtags.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from generator import hashtags, platforms, twittertext
from generator.guards.links import check_links
from generator.guards.text import FORMULA_START
from generator.errors import InputFileError, Location, Problem, error, warning


@dataclass(frozen=True)
class PostReport:
    """What `campaign-gen check` shows for one platform: the count, the limit, the tags, the problems."""

    platform: str
    count: int
    limit: int
    tags: tuple[str, ...]
    problems: tuple[Problem, ...] = field(default_factory=tuple)

    @property
    def remaining(self) -> int:
        return self.limit - self.count

    def as_dict(self) -> dict:
        return {"platform": self.platform, "count": self.count, "limit": self.limit, "remaining": self.remaining,
                "tags": list(self.tags), "problems": [problem.as_dict() for problem in self.problems]}


def _lone_surrogates(text: str) -> list[int]:
    return [index for index, char in enumerate(text) if "\ud800" <= char <= "\udfff"]


def check_length(text: str, platform, where: str = "") -> list[Problem]:
    """Length, byte, link and character problems of `text` on `platform` (a name or a Platform)."""
    rules = platform if isinstance(platform, platforms.Platform) else platforms.get(platform)
    name, problems = rules.name, []
    count = rules.count(text)
    if not text.strip():
        problems.append(error("length.empty", f"{name}: the post is empty", where))
    if count > rules.limit:
        problems.append(error("length.over", f"{name}: {count}/{rules.limit} ({count - rules.limit} over)", where))
    if rules.max_bytes is not None:
        size = rules.count_bytes(text)
        if size > rules.max_bytes:
            problems.append(error("length.bytes-over",
                                  f"{name}: {size}/{rules.max_bytes} UTF-8 bytes ({size - rules.max_bytes} over)",
                                  where))
    if text.startswith(FORMULA_START):
        problems.append(error("text.formula-start", f"{name}: the post starts with {text[0]!r}, which a spreadsheet "
                              "opening the scheduler files runs as a formula; start it with a word", where))
    surrogates = _lone_surrogates(text)
    if surrogates:
        problems.append(error("text.invalid-character", f"{name}: {len(surrogates)} lone surrogate(s), first at "
                              f"character {surrogates[0] + 1}: not valid Unicode text, no platform accepts it", where))
    if rules.counter == "twitter-text-v3":
        invalid = twittertext.invalid_characters(text)
        if invalid:
            char = text[invalid[0]]
            problems.append(error("text.invalid-character", f"{name}: U+{ord(char):04X} at character "
                                  f"{invalid[0] + 1} makes X refuse the post", where))
    if rules.max_links is not None or not rules.links_clickable:
        links = [url.url for url in twittertext.extract_urls(text)]  # as the platforms link them
        if rules.max_links is not None and len(links) > rules.max_links:
            problems.append(error("link.too-many", f"{name}: {len(links)} links, at most {rules.max_links} allowed",
                                  where))
        if links and not rules.links_clickable:
            problems.append(warning("link.not-clickable", f"{name}: links in the text are not clickable "
                                    f"({links[0]}); point to the link in the bio instead", where))
    return problems


def check_post(text: str, platform, campaign=None, where: str = "", require_hashtags: bool = True,
               language: str | None = None) -> list[Problem]:
    """Every problem of one post on one platform: length, links, then hashtags (the campaign's rules when
    given, those of `language` when the campaign has tags of its own for it)."""
    rules = platform if isinstance(platform, platforms.Platform) else platforms.get(platform)
    return check_length(text, rules, where) + hashtags.check_hashtags(text, rules, campaign, where,
                                                                      require=require_hashtags, language=language)


def report_post(text: str, platform, campaign=None) -> PostReport:
    """check_post and the link guard (https only, well-formed), plus the numbers a person wants to see."""
    rules = platform if isinstance(platform, platforms.Platform) else platforms.get(platform)
    problems = [*check_post(text, rules, campaign), *check_links(text)]
    return PostReport(rules.name, rules.count(text), rules.limit, tuple(hashtags.extract(text, rules)),
                      tuple(problems))


def check_campaign_messages(campaign, source=None) -> list[Problem]:
    """Every shipped message text (and short variant) of a campaign, in every language, against every
    platform it targets. Required hashtags are not demanded: templates add them when posts are rendered.
    `where` is the message's place in the campaign file when its SourceMap is given, else
    `campaign/message/variant/lang`."""
    problems = []
    for index, message in enumerate(campaign.messages):
        for variant in ("text", "short"):
            for language, text in sorted(getattr(message, variant).items()):
                if not isinstance(text, str):
                    continue
                where = (source.where(("messages", index, variant, language)) if source is not None
                         else f"{campaign.id}/{message.id}/{variant}/{language}")
                for name in campaign.platforms:
                    if message.targets(name):
                        problems.extend(check_post(text, name, campaign, where, require_hashtags=False,
                                                   language=language))
    return problems


def read_stdin_text(data: bytes) -> str:
    """Text given on standard input: UTF-8, without the one line ending `echo` adds."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputFileError(f"not valid UTF-8 (byte {err.start + 1})", Location("<stdin>")) from err
    for ending in ("\r\n", "\n"):
        if text.endswith(ending):
            return text[: -len(ending)]
    return text
