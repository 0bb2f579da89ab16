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
"""

from __future__ import annotations

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


def event(day, platform: str, language: str, posts: list, stamp: datetime) -> icalendar.Event:
    item = icalendar.Event()
    item.add("uid", uid(day, platform, language))
    item.add("dtstamp", stamp)
    item.add("dtstart", posts[0].slot.when)
    item.add("dtend", posts[-1].slot.when + EVENT_TAIL)
    count = f"{len(posts)} post" + ("" if len(posts) == 1 else "s")
    messages = ", ".join(dict.fromkeys(f"{p.post.campaign} / {p.post.message}" for p in posts))
    item.add("summary", f"{platform} ({language}): {count}: {messages}")
    item.add("description", "\n\n".join(_describe(p) for p in posts))
    item.add("categories", [*dict.fromkeys(p.post.campaign for p in posts), platform, language])
    return item


def calendar(pack) -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"Post pack {pack.period.label}")
    stamp = datetime.combine(pack.period.start, time(0, 0), tzinfo=timezone.utc)
    for (day, platform, language), posts in by_day_and_account(pack.posts).items():
        cal.add_component(event(day, platform, language, posts, stamp))
    cal.add_missing_timezones()
    # icalendar adds the time zones in the order of a set of names, which changes from one process to the next
    # (string hashing is seeded per process): in TZID order, before the events, the file is the same every time.
    zones = sorted((c for c in cal.subcomponents if c.name == "VTIMEZONE"), key=lambda zone: str(zone["TZID"]))
    cal.subcomponents[:] = zones + [c for c in cal.subcomponents if c.name != "VTIMEZONE"]
    return cal


def write(pack, folder: Path) -> None:
    write_text(folder / FILE, calendar(pack).to_ical().decode("utf-8"))
