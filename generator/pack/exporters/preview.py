"""index.html: the preview page people review before uploading, self-contained and offline.

The page inlines its CSS and script (generator/data/preview.*), loads nothing from the network (a
Content-Security-Policy says so to the browser too) and links the cards and its fonts relatively (cards/...,
fonts/...), so the folder can be opened from disk, a zip or a CI artifact. The fonts are the bundled ones the
cards are drawn with, so Arabic and Chinese posts read on a machine without such fonts of its own. Post text is untrusted: the template escapes
everything (autoescape); hashtags and links are highlighted by splitting the text into segments first,
never by inserting markup into it.
"""

from __future__ import annotations

import calendar
import functools
from datetime import timedelta
from importlib import resources
from pathlib import Path

import jinja2
from markupsafe import Markup

from generator import hashtags, platforms, twittertext
from generator.cards.fonts import FAMILIES, FONT_DIR
from generator.pack.exporters.files import write_text
from generator.workspace import Kept

FILE = "index.html"
POST_TEMPLATE = "preview-post.html"  # one post's markup, inside preview.html
FONTS_FOLDER = "fonts"
# The font files the page's @font-face rules name (generator/data/preview.css), by the cards' families.
PAGE_FONTS = tuple(FAMILIES[family][role] for family in ("sans", "arabic", "chinese") for role in ("regular", "bold"))


def _data(name: str) -> str:
    return resources.files("generator").joinpath("data", name).read_text(encoding="utf-8")


@functools.lru_cache(maxsize=4096)  # `serve` rebuilds after every save: unchanged posts are not read again
def segments(text: str, platform: str) -> tuple[tuple[str, str], ...]:
    """(kind, text) pieces of `text`: kind is "text", "link" (a link with its scheme) or "tag" (a hashtag as
    `platform` links it); the spans are the platform rules' own (twittertext, hashtags), never a guess."""
    spans = sorted([(url.start, url.end, "link") for url in twittertext.extract_urls(text, without_protocol=False)]
                   + [(tag.start, tag.end, "tag") for tag in hashtags.linked(text, platform)])
    pieces, position = [], 0
    for start, end, kind in spans:
        if start < position:
            continue  # a tag inside a link (https://example.org/#top) is part of the link
        if start > position:
            pieces.append(("text", text[position:start]))
        pieces.append((kind, text[start:end]))
        position = end
    if position < len(text):
        pieces.append(("text", text[position:]))
    return tuple(pieces)


def _post_view(pack_post, strict: bool) -> dict:
    post, slot = pack_post.post, pack_post.slot
    return {
        "anchor": pack_post.anchor,
        "where": pack_post.where,
        "platform": post.platform,
        "platform_name": platforms.get(post.platform).display_name,
        "language": post.language,
        "direction": post.direction,
        "local_time": slot.local_time,
        "time": slot.when.strftime("%H:%M"),
        "offset": slot.when.strftime("%z")[:3] + ":" + slot.when.strftime("%z")[3:],
        "campaign": post.campaign,
        "message": post.message,
        "observance": slot.observance.name if slot.observance else None,
        "parts": [segments(part, post.platform) for part in post.parts],
        "count": post.count,
        "limit": post.limit,
        "over": post.count > post.limit,
        "card": pack_post.card_files[0] if pack_post.card_files else None,
        # Its size, so the page keeps its layout while cards load lazily (only those scrolled to are decoded:
        # a week holds hundreds) and a restored scroll position lands where it was.
        "card_size": _size_of(pack_post.card_formats[0]) if pack_post.card_formats else (0, 0),
        # the other formats of the post's card (an Instagram story), to be uploaded by hand
        "more_cards": [{"file": file, "format": card_format}
                       for file, card_format in zip(pack_post.card_files[1:], pack_post.card_formats[1:])],
        "alt_text": pack_post.alt_text,
        "fitting": post.fitting,
        "language_fallback": post.language_fallback,
        "problems": pack_post.problems,
        "status": pack_post.status(strict),
    }


def calendar_view(pack) -> list[dict]:
    """The editorial plan at a glance: a month grid (Monday first) for each month the pack's period touches,
    each day with the campaigns and messages that go out on it and on how many accounts (the plan covers the
    whole months; the pack's own days are marked)."""
    by_day = pack.plan
    campaigns = sorted({campaign for entries in by_day.values() for campaign, _ in entries})
    months, first = [], pack.period.start.replace(day=1)
    while first <= pack.period.end:
        weeks = []
        for week in calendar.Calendar().monthdatescalendar(first.year, first.month):
            weeks.append([{
                "date": day, "in_month": day.month == first.month,
                "in_pack": pack.period.start <= day <= pack.period.end,
                "entries": [{"campaign": campaign, "message": message, "accounts": accounts,
                             "colour": campaigns.index(campaign) % CALENDAR_COLOURS}
                            for (campaign, message), accounts in sorted(by_day.get(day, {}).items())
                            ] if day.month == first.month else [],
            } for day in week])
        months.append({"title": f"{calendar.month_name[first.month]} {first.year}", "weeks": weeks})
        first = (first + timedelta(days=32)).replace(day=1)
    return months


CALENDAR_COLOURS = 6  # campaign colours in the calendar (preview.css: .c0 to .c5)


def view(pack) -> dict:
    strict = pack.options.strict
    source = _data(POST_TEMPLATE)
    days: dict = {}
    for pack_post in pack.posts:
        day = days.setdefault(pack_post.slot.day, {"date": pack_post.slot.day, "observances": [], "posts": []})
        item = _post_view(pack_post, strict)
        if item["observance"] and item["observance"] not in day["observances"]:
            day["observances"].append(item["observance"])
        item["html"] = _post_html(source, item)
        day["posts"].append(item)
    errors, warnings = pack.counts()
    # Each distinct problem once, with the posts it concerns: a card's problem is shared by several platforms.
    flagged: dict = {}
    for day in days.values():
        for item in day["posts"]:
            for problem in item["problems"]:
                flagged.setdefault(problem, []).append(item)
    return {
        "pack": pack,
        "period": pack.period,
        "days": [days[key] for key in sorted(days)],
        "flagged": sorted(flagged.items(), key=lambda entry: not entry[0].is_error),
        "file_problems": pack.file_problems,
        "pack_problems": pack.pack_problems,
        "calendar": calendar_view(pack),
        "weekdays": [calendar.day_abbr[n] for n in range(7)],
        "errors": errors,
        "warnings": warnings,
        "platforms": sorted({p.post.platform for p in pack.posts}),
        "platform_names": {name: platforms.get(name).display_name for name in platforms.names()},
        "languages": sorted({p.post.language for p in pack.posts}),
        "campaigns": sorted({p.post.campaign for p in pack.posts}),
    }


@functools.lru_cache(maxsize=4)  # compiling the page's template took a tenth of a `serve` rebuild (profiled)
def _template(source: str) -> jinja2.Template:
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
                             lstrip_blocks=True, keep_trailing_newline=True)
    return env.from_string(source)


# Each post's markup is kept under the repr of its view (everything it shows): `serve` builds the page again after
# every save, and rendering its hundreds of posts was most of the page's time (profiled); an edit changes a few.
KEPT_POSTS = 4096
_kept_posts = Kept(KEPT_POSTS)  # (template, repr of the post's view) -> its markup


def _post_html(source: str, item: dict) -> Markup:
    return _kept_posts.get((source, repr(item)), lambda: Markup(_template(source).render(item=item)))


def render(pack) -> str:
    # Our own stylesheet and script, read from the package: trusted, so inlined as they are.
    return _template(_data("preview.html")).render(view(pack), css=Markup(_data("preview.css")),
                                                   script=Markup(_data("preview.js")))


def write(pack, folder: Path) -> None:
    write_text(folder / FILE, render(pack))
    fonts = folder / FONTS_FOLDER
    fonts.mkdir(exist_ok=True)
    for name in PAGE_FONTS:
        (fonts / name).write_bytes((FONT_DIR / name).read_bytes())


def _size_of(card_format: str) -> tuple[int, int]:
    found = platforms.card_formats().get(card_format)
    return (found.width, found.height) if found is not None else (0, 0)
