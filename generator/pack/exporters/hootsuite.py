"""Hootsuite bulk-composer CSV: no header; columns date, message, link.

Rules from Hootsuite's bulk composer help page ("Schedule messages in bulk"): dates as `DD/MM/YYYY HH:mm`
or `MM/DD/YYYY HH:mm` (the format is chosen at upload, so it is an option here), times on 5-minute marks,
at most 350 messages per file. Times are rounded up to the next mark (09:32 -> 09:35), never down, so
a post never goes out before the time the campaign asked for. One file per platform and language,
split into `-1`, `-2`, ... files past 350 rows. The link column is left empty when the text already holds
the link, so Hootsuite does not add it twice. Cards are not part of the bulk format: attach them by hand.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from generator import platforms
from generator.pack.exporters.files import by_channel, write_csv

MAX_ROWS = 350
MARK_MINUTES = 5
DATE_FORMATS = {"DD/MM/YYYY": "%d/%m/%Y %H:%M", "MM/DD/YYYY": "%m/%d/%Y %H:%M"}  # as offered at upload
DEFAULT_DATE_FORMAT = "DD/MM/YYYY"


def round_up_to_mark(when: datetime) -> datetime:
    """The first 5-minute mark at or after `when`."""
    exact = when.replace(second=0, microsecond=0)
    if exact != when:
        exact += timedelta(minutes=1)
    return exact + timedelta(minutes=-exact.minute % MARK_MINUTES)


def rows(pack_posts, date_format: str = DEFAULT_DATE_FORMAT) -> list[tuple[str, str, str]]:
    """(date, message, link) per post. The link column is left empty where the text already holds the link
    (Hootsuite would add it a second time) and on platforms where links are not clickable (Instagram: the
    caption leaves its link out on purpose). A thread is one row, its parts joined (flagged in the pack)."""
    pattern = DATE_FORMATS[date_format]
    found = []
    for post in pack_posts:
        link = post.post.link or ""
        if link in post.post.text or not platforms.get(post.post.platform).links_clickable:
            link = ""
        found.append((round_up_to_mark(post.slot.when).strftime(pattern), post.post.text, link))
    return found


def file_names(platform: str, language: str, files: int) -> list[str]:
    stem = f"hootsuite-{platform}-{language}"
    return [f"{stem}.csv"] if files == 1 else [f"{stem}-{n}.csv" for n in range(1, files + 1)]


def write(pack, folder: Path) -> None:
    for (platform, language), pack_posts in by_channel(pack.posts).items():
        found = rows(pack_posts, pack.options.hootsuite_date_format)
        chunks = [found[start:start + MAX_ROWS] for start in range(0, len(found), MAX_ROWS)]
        for name, chunk in zip(file_names(platform, language, len(chunks)), chunks):
            write_csv(folder / name, chunk)
