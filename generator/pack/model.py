"""What a pack is: the request (PackOptions), each scheduled post with its card (PackPost), and the built
pack with its problems (Pack). Plain values that every exporter reads; nothing here builds or writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import Problem, count_problems, has_errors, tally
from generator.pack.exporters.hootsuite import DEFAULT_DATE_FORMAT
from generator.posts import Post
from generator.dates import Period
from generator.schedule import Slot


@dataclass(frozen=True)
class PackOptions:
    """What to build. Empty tuples mean "every campaign", "the campaign's own platforms / languages"."""

    period: Period
    campaign_ids: tuple[str, ...] = ()
    platforms: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    partner: str | None = None
    out_dir: Path | None = None  # default: <workspace>/out
    strict: bool = False
    jobs: int | None = None
    zip: bool = False
    hootsuite_date_format: str = DEFAULT_DATE_FORMAT
    media_base_url: str | None = None  # where the pack's files are published: image columns become URLs
    folder: str | None = None  # the pack's folder inside the output folder, when not the usual name (a kit's
    #                            pack in a network build: `2026-W48/partners/my-ngo`)

    @property
    def folder_name(self) -> str:
        """The pack's folder (and zip) name: the period, then every filter and the partner, so that a filtered
        or partner build never replaces the full pack, e.g. `2026-W48`, `2026-W48+ar+bluesky`,
        `2026-W48+partner-my-ngo`; or the folder given."""
        if self.folder:
            return self.folder
        parts = [self.period.label, *sorted(set(self.campaign_ids)), *sorted(set(self.languages)),
                 *sorted(set(self.platforms))]
        if self.partner:
            parts.append(f"partner-{self.partner}")
        return "+".join(parts)


@dataclass(frozen=True)
class PackPost:
    """One scheduled post as it goes into the pack: the slot, the rendered post and its card."""

    slot: Slot
    post: Post
    card_files: tuple[str, ...]  # relative to the pack folder, e.g. cards/orange-day-solidarity-en-square-statement.png
    alt_text: str
    card_problems: tuple[Problem, ...] = ()
    export_problems: tuple[Problem, ...] = ()  # what the scheduler files cannot carry as it is (a thread)
    handle: str | None = None  # the partner's own account on the platform, when its kit names one
    card_formats: tuple[str, ...] = ()  # the format of each card file (square, story...), in the same order

    @property
    def problems(self) -> tuple[Problem, ...]:
        return tuple(self.post.problems) + tuple(self.card_problems) + tuple(self.export_problems)

    @property
    def where(self) -> str:
        return f"{self.post.where}/{self.slot.day.isoformat()}"

    @property
    def anchor(self) -> str:
        """An id for the post, unique in a pack and stable from build to build (the preview links to it)."""
        return "post-" + self.where.replace("/", "-")

    def status(self, strict: bool = False) -> str:
        if any(p.is_error for p in self.problems):
            return "error"
        if self.problems:
            return "warning" if not strict else "error"
        return "ok"

    def as_dict(self) -> dict:
        observance = self.slot.observance
        return {
            "campaign": self.post.campaign,
            "message": self.post.message,
            "platform": self.post.platform,
            "language": self.post.language,
            "account": {"platform": self.post.platform, "language": self.post.language, "handle": self.handle},
            "local_time": self.slot.local_time,
            "observance": {"id": observance.observance_id, "name": observance.name, "theme": observance.theme}
            if observance else None,
            "text": self.post.text,
            "parts": list(self.post.parts),
            "count": self.post.count,
            "limit": self.post.limit,
            "tags": list(self.post.tags),
            "link": self.post.link,
            "card_files": list(self.card_files),
            "card_formats": list(self.card_formats),
            "alt_text": self.alt_text,
            "direction": self.post.direction,
            "language_fallback": self.post.language_fallback,
            "fitting": self.post.fitting,
            "problems": [p.as_dict() for p in self.problems],
        }


@dataclass
class Pack:
    """A built pack: where it is, its posts in schedule order, and every problem found."""

    options: PackOptions
    folder: Path
    posts: list[PackPost]
    file_problems: list[Problem] = field(default_factory=list)  # warnings from the campaign and partner files
    pack_problems: list[Problem] = field(default_factory=list)  # the schedule's and the scheduler files'
    # The editorial plan of every month the period touches: day -> {(campaign, message): accounts}.
    plan: dict = field(default_factory=dict)
    cards_total: int = 0
    drawn_cards: tuple[str, ...] = ()  # the cards drawn by this build (the rest came from the cache)
    zip_path: Path | None = None
    # Each card file's content key (`cards/<name>.png` -> the card cache's key: the same key, the same picture).
    # No file of the pack shows it; `serve` gives a card a new address when its picture changes (a browser
    # reuses an image it has under the same address, whatever the server says). Empty for a merged pack.
    card_keys: dict = field(default_factory=dict)

    @property
    def cards_drawn(self) -> int:
        return len(self.drawn_cards)

    @property
    def period(self) -> Period:
        return self.options.period

    @property
    def problems(self) -> list[Problem]:
        """Every distinct problem once: a card problem shared by several platforms counts once."""
        found = list(self.file_problems) + list(self.pack_problems)
        for post in self.posts:
            found.extend(post.problems)
        return list(dict.fromkeys(found))

    def counts(self) -> tuple[int, int]:
        return count_problems(self.problems)

    @property
    def posts_with_errors(self) -> int:
        return sum(any(p.is_error for p in post.problems) for post in self.posts)

    @property
    def posts_with_warnings(self) -> int:
        return sum(any(not p.is_error for p in post.problems) for post in self.posts)

    def tally(self) -> str:
        """`1 error on 4 posts, 2 warnings on 6 posts`: the count every report of the pack closes with."""
        return tally(self.problems, self.posts_with_errors, self.posts_with_warnings)

    @property
    def exit_code(self) -> int:
        return 1 if has_errors(self.problems, self.options.strict) else 0



