"""schedule.ics: one calendar event per day and account, listing that day's posts (RFC 5545, written by the
icalendar package).

A week's pack holds hundreds of posts: one event each would bury a team calendar. A review meeting asks
"what goes out on X in French on Wednesday?", so each event is one account (platform and language) on one
day, from its first post to 15 minutes after its last, and its description lists the posts in order with
their times, texts, cards and problems.

UIDs are derived from what identifies the event (platform, language, day), so importing next week's build
of the same pack updates the events rather than duplicating them. DTSTAMP, which RFC 5545 requires, is taken
from the inputs, never from the clock: midnight UTC at the start of the pack's period. The file stays
byte-identical for identical input.

The file is `calendar(pack).to_ical()` byte for byte, but written from pieces kept in this process: icalendar
writes a calendar as its own lines, then each component's lines whole (each line folded on its own), so the
text of an event depends on that event alone and a time zone's on its TZID alone. Folding every line and
working out each zone's transitions again took about 0.3 s of a `serve` rebuild after a one-message edit (1 s
profiled), for the few events that changed; each event's text is now kept under everything it is made of.
"""

from __future__ import annotations

import functools
import hashlib
from datetime import datetime, time, timedelta, timezone
from pathlib import Path

import icalendar

from generator.pack.exporters.files import write_text

FILE = "schedule.ics"
PRODID = "-//campaign-gen//weekly post pack//EN"
UID_DOMAIN = "campaign-gen"
EVENT_TAIL = timedelta(minutes=15)  # the last post is a moment; a short block keeps it visible in calendar views


def by_day_and_account(pack_posts) -> dict:
    """(day, platform, language) -> that account's posts that day, in time order; keys in order."""
    groups: dict = {}
    for pack_post in pack_posts:
        key = (pack_post.slot.day, pack_post.post.platform, pack_post.post.language)
        groups.setdefault(key, []).append(pack_post)
    return {key: sorted(groups[key], key=lambda p: p.slot.when) for key in sorted(groups)}


def uid(day, platform: str, language: str) -> str:
    key = "/".join((platform, language, day.isoformat()))
    return f"{hashlib.sha256(key.encode('utf-8')).hexdigest()[:32]}@{UID_DOMAIN}"


def _describe(pack_post) -> str:
    post = pack_post.post
    lines = [f"{pack_post.slot.when:%H:%M} {post.campaign} / {post.message}", post.text]
    if pack_post.card_files:
        lines.append(f"Card: {pack_post.card_files[0]}\nAlt text: {pack_post.alt_text}")
    if pack_post.problems:
        lines.append("Problems:\n" + "\n".join(str(p) for p in pack_post.problems))
    return "\n".join(lines)


def _fields(day, platform: str, language: str, posts: list, stamp: datetime) -> tuple:
    """Everything an event's text is made of, in event()'s order: its key among the kept texts."""
    count = f"{len(posts)} post" + ("" if len(posts) == 1 else "s")
    messages = ", ".join(dict.fromkeys(f"{p.post.campaign} / {p.post.message}" for p in posts))
    return (uid(day, platform, language), stamp, posts[0].slot.when, posts[-1].slot.when + EVENT_TAIL,
            f"{platform} ({language}): {count}: {messages}", "\n\n".join(_describe(p) for p in posts),
            (*dict.fromkeys(p.post.campaign for p in posts), platform, language))


def _event(uid_value, stamp, start, end, summary, description, categories) -> icalendar.Event:
    item = icalendar.Event()
    item.add("uid", uid_value)
    item.add("dtstamp", stamp)
    item.add("dtstart", start)
    item.add("dtend", end)
    item.add("summary", summary)
    item.add("description", description)
    item.add("categories", list(categories))
    return item


def event(day, platform: str, language: str, posts: list, stamp: datetime) -> icalendar.Event:
    return _event(*_fields(day, platform, language, posts, stamp))


def _empty_calendar(label: str) -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"Post pack {label}")
    return cal


def _stamp(pack) -> datetime:
    """DTSTAMP: midnight UTC at the start of the pack's period, never the clock."""
    return datetime.combine(pack.period.start, time(0, 0), tzinfo=timezone.utc)


def calendar(pack) -> icalendar.Calendar:
    cal = _empty_calendar(pack.period.label)
    stamp = _stamp(pack)
    for (day, platform, language), posts in by_day_and_account(pack.posts).items():
        cal.add_component(event(day, platform, language, posts, stamp))
    cal.add_missing_timezones()
    # icalendar adds the time zones in the order of a set of names, which changes from one process to the next
    # (string hashing is seeded per process): in TZID order, before the events, the file is the same every time.
    zones = sorted((c for c in cal.subcomponents if c.name == "VTIMEZONE"), key=lambda zone: str(zone["TZID"]))
    cal.subcomponents[:] = zones + [c for c in cal.subcomponents if c.name != "VTIMEZONE"]
    return cal


def to_ical(pack) -> bytes:
    """`calendar(pack).to_ical()`, byte for byte: the calendar's own lines, its zones in TZID order, then its
    events, each from the texts kept in this process."""
    cal = _header(pack.period.label)
    stamp = _stamp(pack)
    events, used = [], set()
    for (day, platform, language), posts in by_day_and_account(pack.posts).items():
        fields = _fields(day, platform, language, posts, stamp)
        # Two aware datetimes of one instant in different zones are equal, but are written differently (TZID):
        # their reprs, which name the zone, are part of the key too.
        text, tzids = _event_text(*fields, repr(fields[2]), repr(fields[3]))
        events.append(text)
        used |= tzids
    # As Calendar.add_missing_timezones: every TZID an event uses but UTC, a zone icalendar does not know left out.
    zones = sorted(filter(None, map(_zone_text, used - {"UTC"})))
    return cal + b"".join(text for _, text in zones) + b"".join(events) + b"END:VCALENDAR\r\n"


@functools.lru_cache(maxsize=16)
def _header(label: str) -> bytes:
    """The calendar's own lines, without its END line."""
    text = _empty_calendar(label).to_ical()
    return text[:text.rindex(b"END:VCALENDAR\r\n")]


@functools.lru_cache(maxsize=8192)  # a few hundred events a week; `serve` keeps those of its recent builds
def _event_text(uid_value, stamp, start, end, summary, description, categories, _start_repr, _end_repr):
    """An event's text, and the TZIDs it uses (Calendar.get_used_tzids on this event alone)."""
    item = _event(uid_value, stamp, start, end, summary, description, categories)
    tzids = {value.params.get("TZID") for _, value in item.property_items(sorted=False) if hasattr(value, "params")}
    return item.to_ical(), frozenset(tzids - {None})


@functools.lru_cache(maxsize=64)
def _zone_text(tzid: str) -> tuple[str, bytes] | None:
    """(TZID, the VTIMEZONE's text) as add_missing_timezones makes it; None for a zone icalendar does not know."""
    try:
        zone = icalendar.Timezone.from_tzid(tzid)
    except ValueError:
        return None
    return str(zone["TZID"]), zone.to_ical()


def write(pack, folder: Path) -> None:
    write_text(folder / FILE, to_ical(pack).decode("utf-8"))
