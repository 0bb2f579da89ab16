"""Buffer bulk-upload CSV: `Text,Image URL,Tags,Posting Time`, one file per platform and language.

Buffer's importer takes one channel at a time, and a language normally has its own account, so each
platform and language gets its own file: `buffer-<platform>-<language>.csv`. `Posting Time` is the
campaign's local time as `YYYY-MM-DD HH:mm`; `Tags` are Buffer's own labels (the campaign id), not hashtags,
which are already in the text. `Image URL` is the card's path inside the pack: replace it with the URL where
the card is hosted, or attach the card in Buffer by hand (docs/pack.md).
"""

from __future__ import annotations

from pathlib import Path

from generator.pack.exporters.files import by_channel, timed_parts, write_csv

HEADER = ("Text", "Image URL", "Tags", "Posting Time")
TIME_FORMAT = "%Y-%m-%d %H:%M"  # Buffer's YYYY-MM-DD HH:mm


def file_name(platform: str, language: str) -> str:
    return f"buffer-{platform}-{language}.csv"


def rows(pack_posts) -> list[tuple[str, str, str, str]]:
    found = []
    for post in pack_posts:
        for when, text, first in timed_parts(post):
            image = post.card_files[0] if first and post.card_files else ""
            found.append((text, image, post.post.campaign, when.strftime(TIME_FORMAT)))
    return found


def write(pack, folder: Path) -> None:
    for (platform, language), pack_posts in by_channel(pack.posts).items():
        write_csv(folder / file_name(platform, language), rows(pack_posts), header=HEADER)
