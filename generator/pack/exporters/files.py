"""Writing text and CSV files the same way in every exporter: UTF-8, fixed line endings, no timestamps."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from generator.guards.text import FORMULA_START


def write_text(path: Path, text: str) -> None:
    """UTF-8 without a byte order mark, `\\n` line endings whatever the operating system."""
    path.write_bytes(text.encode("utf-8"))


def inert_cell(value):
    """`value` as a spreadsheet shows it but never runs it: a leading `'` before a formula character (the
    post guard makes such a post an error first, so a pack that exits 0 never carries the apostrophe)."""
    return f"'{value}" if isinstance(value, str) and value.startswith(FORMULA_START) else value


def write_csv(path: Path, rows, header=None) -> None:
    """RFC 4180 CSV (`\\r\\n` rows, quotes only where needed), UTF-8 without a byte order mark, no cell a
    spreadsheet would run as a formula (docs/pack.md)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    if header:
        writer.writerow(header)
    writer.writerows([inert_cell(value) for value in row] for row in rows)
    write_text(path, buffer.getvalue())


def by_channel(pack_posts) -> dict:
    """(platform, language) -> posts in schedule order: each language usually has its own account."""
    groups: dict = {}
    for post in pack_posts:
        groups.setdefault((post.post.platform, post.post.language), []).append(post)
    return dict(sorted(groups.items()))


def media_url(pack, relative: str) -> str:
    """A file of the pack as the scheduler fetches it: `<media base URL>/<pack folder>/<path>` when a base is
    set (the address where the output folder, out/, is published), else its path inside the pack (and the
    pack carries an `export.media-url` warning)."""
    base = pack.options.media_base_url
    return f"{base.rstrip('/')}/{pack.options.folder_name}/{relative}" if base and relative else relative
