"""Writing text and CSV files the same way in every exporter: UTF-8, fixed line endings, no timestamps."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path

# Thread parts go out as consecutive posts this far apart, keeping their order in a scheduler's queue.
THREAD_GAP = timedelta(minutes=5)


def write_text(path: Path, text: str) -> None:
    """UTF-8 without a byte order mark, `\\n` line endings whatever the operating system."""
    path.write_bytes(text.encode("utf-8"))


def write_csv(path: Path, rows, header=None) -> None:
    """RFC 4180 CSV (`\\r\\n` rows, quotes only where needed), UTF-8 without a byte order mark (docs/pack.md)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    if header:
        writer.writerow(header)
    writer.writerows(rows)
    write_text(path, buffer.getvalue())


def by_channel(pack_posts) -> dict:
    """(platform, language) -> posts in schedule order: each language usually has its own account."""
    groups: dict = {}
    for post in pack_posts:
        groups.setdefault((post.post.platform, post.post.language), []).append(post)
    return dict(sorted(groups.items()))


def timed_parts(pack_post):
    """(local time, text, is first part) for each part of a post; a thread's parts follow `THREAD_GAP` apart."""
    for index, part in enumerate(pack_post.post.parts):
        yield pack_post.slot.when + index * THREAD_GAP, part, index == 0
