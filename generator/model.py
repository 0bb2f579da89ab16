"""The campaign model: plain, immutable values that every later stage reads.

Kept apart from loading (campaign.py) so that schedule, render, cards and pack depend on the shape of a
campaign, not on how YAML is checked: nothing here knows files, YAML or where a value was written (the
loader returns that location map beside the campaign).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_LANGUAGE = "en"
# The brand colour roles: campaigns set them, partners override them, card layouts paint with them.
COLOUR_ROLES = ("primary", "secondary", "background", "text", "accent")
RIGHT_TO_LEFT = frozenset({"ar", "fa", "he", "ur"})  # languages whose paragraphs run right to left


def is_right_to_left(language: str) -> bool:
    return language.split("-")[0].lower() in RIGHT_TO_LEFT


# How a language writes a colon and a comma between two phrases: French puts a no-break space before its colon,
# Chinese uses full-width marks (which carry their own space), Arabic its own comma.
_COLONS = {"fr": "\u00a0: ", "zh": "：", "ja": "："}
_COMMAS = {"ar": "، ", "fa": "، ", "zh": "，", "ja": "、"}


def colon(language: str) -> str:
    """`: ` as `language` writes it between a label and what follows (`Source : `, `来源：`)."""
    return _COLONS.get(language.split("-")[0].lower(), ": ")


def comma(language: str) -> str:
    """`, ` as `language` writes it between two phrases (`UNODC، ...`, `联合国妇女署，...`)."""
    return _COMMAS.get(language.split("-")[0].lower(), ", ")


def text_direction(language: str) -> str:
    """`rtl` or `ltr`: how a paragraph in `language` runs (posts' dir attribute, cards' base direction)."""
    return "rtl" if is_right_to_left(language) else "ltr"


@dataclass(frozen=True)
class Source:
    publisher: str
    title: str
    year: int | None
    url: str
    publishers: dict = field(default_factory=dict)  # language -> the publisher's name in it (ONU Femmes)

    def citation(self, language: str = DEFAULT_LANGUAGE) -> str:
        """`UNODC, Global Report on Trafficking in Persons 2020 (2021)`: short enough for a card's source line.
        The publisher is named in `language` where the file gives its name there; the title stays as published."""
        year = f" ({self.year})" if self.year else ""
        return f"{self.publishers.get(language, self.publisher)}{comma(language)}{self.title}{year}"


@dataclass(frozen=True)
class Fact:
    """A statement with figures, always with its source. `figures` are the numbers as they may appear in a
    post (`"92%"`, `"5"`, `"2020"`), so the facts guard can tell a sourced figure from an unsourced one.
    `subjects` pairs a figure with what it is said of (`("5", "women")`), so a post cannot swap two of them."""

    id: str
    statement: str
    figures: tuple[str, ...]
    source: Source
    subjects: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Referral:
    """Where a reader who needs help can turn, in one language: a few words and a link (a helpline, a service)."""

    text: str
    link: str | None = None

    def line(self) -> str:
        return f"{self.text} {self.link}" if self.link else self.text


@dataclass(frozen=True)
class Message:
    id: str
    text: dict  # language -> text; "en" always present
    short: dict = field(default_factory=dict)  # language -> shorter variant, used when the text does not fit
    facts: tuple[str, ...] = ()
    link: str | None = None  # the default link (English, or the only one)
    call_to_action: dict = field(default_factory=dict)  # language -> text
    platforms: tuple[str, ...] = ()  # empty: every platform the campaign targets
    headline: dict = field(default_factory=dict)  # language -> a few words for the card's headline
    only_during: tuple[str, ...] = ()  # observance ids: a message worded for them is never posted outside them
    links: dict = field(default_factory=dict)  # language -> the page in that language (unwomen.org/fr/...)
    referral: bool = False  # about survivors: posts carry the referral line (help, per language) where it fits
    layout: str | None = None  # the card layout for this message, over the brand's choice by kind
    quote_by: dict = field(default_factory=dict)  # language -> who said the text (a quotation card's attribution)
    image: str | None = None  # a photo or illustration for its card, as written (inside assets/)
    image_path: Path | None = None  # the same, resolved inside the workspace
    image_alt: dict = field(default_factory=dict)  # language -> what the image shows, for the alt text

    def has_language(self, language: str) -> bool:
        return language in self.text

    def text_in(self, language: str) -> str:
        """The text in `language`, else English: the caller decides whether falling back needs a warning."""
        return self.text.get(language) or self.text[DEFAULT_LANGUAGE]

    def short_in(self, language: str) -> str | None:
        if language in self.text:
            return self.short.get(language)
        return self.short.get(DEFAULT_LANGUAGE)

    def call_to_action_in(self, language: str) -> str | None:
        if language in self.text:
            return self.call_to_action.get(language)
        return self.call_to_action.get(DEFAULT_LANGUAGE)

    def link_in(self, language: str) -> str | None:
        """The link for readers of `language`: its own page where the file gives one, else the default."""
        return self.links.get(language) or self.link

    def all_links(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(link for link in (self.link, *self.links.values()) if link))

    def headline_in(self, language: str) -> str | None:
        return self._in(self.headline, language)

    def quote_by_in(self, language: str) -> str | None:
        return self._in(self.quote_by, language)

    def image_alt_in(self, language: str) -> str | None:
        return self._in(self.image_alt, language)

    def _in(self, values: dict, language: str) -> str | None:
        """A per-language value beside the text: in `language` when the text is, else the English one (the
        card then shows the English text, and its parts must match it)."""
        return values.get(language) if language in self.text else values.get(DEFAULT_LANGUAGE)

    def targets(self, platform: str) -> bool:
        return not self.platforms or platform in self.platforms


@dataclass(frozen=True)
class Observance:
    """A named day or period. Exactly one of: an annual `date` (month, day), a `monthly` day, or an annual
    range `start`..`end` (each (month, day)); a range may cross the year end (12-20 to 01-05)."""

    id: str
    name: str
    kind: str  # "date" | "monthly" | "range"
    month: int | None = None
    day: int | None = None
    start: tuple[int, int] | None = None
    end: tuple[int, int] | None = None
    themes: dict = field(default_factory=dict)  # year -> {language: theme}; "en" is the default
    features: tuple[str, ...] = ()  # message ids featured on this observance's days
    months: tuple[int, ...] = ()  # for monthly: restrict to these months (empty: every month)
    names: dict = field(default_factory=dict)  # language -> the observance's name in it
    lead_in: int | None = None  # days before each occurrence the campaign is active (None: the season's)
    follow_up: int | None = None  # days after each occurrence the campaign is active (None: the season's)

    def theme(self, year: int, language: str = DEFAULT_LANGUAGE) -> str | None:
        """The year's theme in `language`, else in English, else None."""
        themes = self.themes.get(year) or {}
        return themes.get(language) or themes.get(DEFAULT_LANGUAGE) or next(iter(themes.values()), None)

    def name_in(self, language: str) -> str:
        return self.names.get(language) or self.name


@dataclass(frozen=True)
class Season:
    """When a campaign posts: all year, or only around its observances, from `lead_in` days before each
    occurrence to `follow_up` days after it (both 0: on the observance days alone)."""

    all_year: bool = True
    lead_in: int = 0
    follow_up: int = 0


@dataclass(frozen=True)
class Hashtags:
    required: tuple[str, ...] = ()
    suggested: tuple[str, ...] = ()
    banned: tuple[str, ...] = ()
    by_language: dict = field(default_factory=dict)  # language -> Hashtags for it (groups it does not give: ours)

    def for_language(self, language: str) -> "Hashtags":
        """The tags posts in `language` use: its own groups where the file gives them, else the campaign's."""
        own = self.by_language.get(language)
        if own is None:
            return self
        return Hashtags(own.required or self.required, own.suggested or self.suggested,
                        tuple(dict.fromkeys((*self.banned, *own.banned))))

    def every_language(self) -> "Hashtags":
        """Every tag of every language: what a partner may not add (banned) or need not add (required)."""
        groups = [self, *self.by_language.values()]
        return Hashtags(*(tuple(dict.fromkeys(tag for g in groups for tag in getattr(g, name)))
                          for name in ("required", "suggested", "banned")))

    def canonical(self) -> dict:
        """Lower-case tag -> its canonical CamelCase spelling, for the case check."""
        return {tag.lower(): tag for tag in (*self.required, *self.suggested)}


@dataclass(frozen=True)
class Brand:
    colours: dict  # role (COLOUR_ROLES) -> "#RRGGBB"
    logo: str  # as written, relative to assets/
    logo_path: Path  # resolved, inside the workspace
    font: str = "Noto Sans"
    # The card layout for each kind of message: "default", "fact" (it quotes a fact), "quote" (it has
    # `quote_by`), "photo" (it has an image).
    layouts: dict = field(default_factory=lambda: {"default": "statement"})
    formats: dict = field(default_factory=dict)  # platform -> the card formats its posts get, the first attached

    def layout_for(self, message) -> str:
        """The layout a pack draws `message`'s cards with: its own, else that of its first kind the brand
        names (a photo, a quotation, a fact, in that order: the most particular first), else the default."""
        if message.layout:
            return message.layout
        kinds = (("photo", message.image), ("quote", message.quote_by), ("fact", message.facts))
        for kind, present in kinds:
            if present and kind in self.layouts:
                return self.layouts[kind]
        return self.layouts.get("default", "statement")

    def formats_for(self, platform: str, default: str) -> tuple[str, ...]:
        """The card formats of `platform`'s posts: the brand's choice, else the platform's `default` alone."""
        return self.formats.get(platform) or (default,)


@dataclass(frozen=True)
class Audience:
    """The readers of one language: their time zone, and posting times that differ from the campaign's."""

    timezone: str
    times: dict = field(default_factory=dict)  # platform -> "HH:MM"; key "default" for the rest


@dataclass(frozen=True)
class Schedule:
    posts_per_week: int = 5  # per account (platform and language), observance days included
    times: dict = field(default_factory=dict)  # platform -> "HH:MM" local time; key "default" for the rest
    days: tuple[int, ...] = (0, 1, 2, 3, 4)  # weekdays posted on when no observance falls: 0 = Monday
    audiences: dict = field(default_factory=dict)  # language -> Audience

    def time_for(self, platform: str, language: str | None = None) -> str:
        """The local posting time: the language's audience's own time for the platform when it sets one."""
        audience = self.audiences.get(language)
        for times in ((audience.times,) if audience else ()) + (self.times,):
            if times.get(platform) or times.get("default"):
                return times.get(platform) or times["default"]
        return "10:00"


@dataclass(frozen=True)
class Campaign:
    id: str
    name: str
    organisers: tuple[str, ...]
    summary: str
    url: str
    timezone: str
    languages: tuple[str, ...]
    platforms: tuple[str, ...]
    observances: tuple[Observance, ...]
    hashtags: Hashtags
    facts: dict  # id -> Fact
    messages: tuple[Message, ...]
    brand: Brand
    schedule: Schedule
    season: Season = Season()
    utm: dict = field(default_factory=dict)  # UTM parameter -> value; "{platform}" is replaced per platform
    terminology: tuple = ()  # extra glossary entries (dicts), added to the shipped glossary
    referral: dict = field(default_factory=dict)  # language -> Referral

    def message(self, message_id: str) -> Message:
        for message in self.messages:
            if message.id == message_id:
                return message
        raise KeyError(message_id)

    def timezone_for(self, language: str) -> str:
        """The time zone posts in `language` are timed in: its audience's, else the campaign's."""
        audience = self.schedule.audiences.get(language)
        return audience.timezone if audience else self.timezone

    def observance(self, observance_id: str) -> Observance:
        for observance in self.observances:
            if observance.id == observance_id:
                return observance
        raise KeyError(observance_id)
