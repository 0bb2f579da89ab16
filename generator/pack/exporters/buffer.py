"""Buffer bulk-upload CSV: `Text,Image URL,Tags,Posting Time`, one file per platform and language.

Buffer's importer takes one channel at a time, and a language normally has its own account, so each
platform and language gets its own file: `buffer-<platform>-<language>.csv`. `Posting Time` is the
campaign's local time as `YYYY-MM-DD HH:mm`; `Tags` are Buffer's own labels (the campaign id), not hashtags,
which are already in the text. `Image URL` is the card's public URL under `--media-base-url` (without one,
its path inside the pack, and the pack warns). A thread is one row, its parts joined, flagged in the pack:
the bulk import posts rows, not threads (docs/pack.md).
"""

from __future__ import annotations

from pathlib import Path

from generator.pack.exporters.files import by_channel, media_url, write_csv

HEADER = ("Text", "Image URL", "Tags", "Posting Time")
TIME_FORMAT = "%Y-%m-%d %H:%M"  # Buffer's YYYY-MM-DD HH:mm


def file_name(platform: str, language: str) -> str:
    return f"buffer-{platform}-{language}.csv"


def rows(pack, pack_posts) -> list[tuple[str, str, str, str]]:
    return [(post.post.text, media_url(pack, post.card_files[0] if post.card_files else ""), post.post.campaign,
             post.slot.when.strftime(TIME_FORMAT)) for post in pack_posts]


def write(pack, folder: Path) -> None:
    for (platform, language), pack_posts in by_channel(pack.posts).items():
        write_csv(folder / file_name(platform, language), rows(pack, pack_posts), header=HEADER)
