"""schedule.ics: one calendar event per post (RFC 5545, written by the icalendar package).

UIDs are derived from what identifies a post (campaign, message, platform, language, day), so importing
next week's build of the same pack updates the events rather than duplicating them. DTSTAMP, which RFC 5545
requires, is the event's own start in UTC rather than the build time: the file stays byte-identical.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta, timezone
from pathlib import Path

import icalendar

from generator.pack.exporters.files import write_text

FILE = "schedule.ics"
PRODID = "-//campaign-gen//weekly post pack//EN"
UID_DOMAIN = "campaign-gen"
EVENT_LENGTH = timedelta(minutes=15)  # a post is a moment; a short block keeps it visible in calendar views


def uid(pack_post) -> str:
    post = pack_post.post
    key = "/".join((post.campaign, post.message, post.platform, post.language, pack_post.slot.day.isoformat()))
    return f"{hashlib.sha256(key.encode('utf-8')).hexdigest()[:32]}@{UID_DOMAIN}"


def event(pack_post) -> icalendar.Event:
    post, slot = pack_post.post, pack_post.slot
    item = icalendar.Event()
    item.add("uid", uid(pack_post))
    item.add("dtstamp", slot.when.astimezone(timezone.utc))
    item.add("dtstart", slot.when)
    item.add("dtend", slot.when + EVENT_LENGTH)
    item.add("summary", f"{post.platform} ({post.language}): {post.campaign} / {post.message}")
    details = [post.text]
    if pack_post.card_files:
        details.append(f"Card: {pack_post.card_files[0]}\nAlt text: {pack_post.alt_text}")
    if pack_post.problems:
        details.append("Problems:\n" + "\n".join(str(p) for p in pack_post.problems))
    item.add("description", "\n\n".join(details))
    item.add("categories", [post.campaign, post.platform, post.language])
    if post.link:
        item.add("url", post.link)
    return item


def calendar(pack) -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"Post pack {pack.period.label}")
    for pack_post in pack.posts:
        cal.add_component(event(pack_post))
    cal.add_missing_timezones()
    return cal


def write(pack, folder: Path) -> None:
    write_text(folder / FILE, calendar(pack).to_ical().decode("utf-8"))
