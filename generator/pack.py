"""Building a pack: schedule -> posts -> cards -> outputs, for one week or date range, written atomically.

Everything is checked before anything is written: the request (campaigns, platforms, languages, partner) and
the output folder. The pack is then built in a temporary folder beside `out/<label>/` and renamed into place,
so a failed or interrupted build leaves the previous pack as it was. Content problems do not stop the build:
the pack is written so the preview shows what is wrong, and `Pack.exit_code` tells CI whether to fail.

Cards are shared: one card per message, language, card format (and partner), used by every platform whose
default format it is. They are cached in the workspace (`.cache/cards/`) by content hash, so a rebuild with
nothing changed draws nothing. A whole pack whose inputs have not changed since it was written into the same
folder is not rebuilt at all (packcache.py).
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from generator import cards, exporters, packcache, platforms, posts, render
from generator.atomic import temporary_folder, write_atomic
from generator.campaign import load_campaigns_with_warnings
from generator.errors import OutputError, Problem, UsageError, count_problems, has_errors, plural, tally
from generator.partner import load_partner as load_partner_kit
from generator.posts import Post
from generator.schedule import Period, Slot, schedule_campaigns
from generator.workspace import Workspace

CARD_CACHE = Path(".cache") / "cards"  # inside the workspace; git-ignored
CARDS_FOLDER = "cards"
HOOTSUITE_DATE_FORMATS = ("DD/MM/YYYY", "MM/DD/YYYY")
# With a progress display, cards are drawn in batches of this many so the bar moves while they are drawn.
PROGRESS_BATCH = 48
ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can hold: no build time in the archive


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
    hootsuite_date_format: str = "DD/MM/YYYY"


@dataclass(frozen=True)
class PackPost:
    """One scheduled post as it goes into the pack: the slot, the rendered post and its card."""

    slot: Slot
    post: Post
    card_files: tuple[str, ...]  # relative to the pack folder, e.g. cards/orange-day-solidarity-en-square-statement.png
    alt_text: str
    card_problems: tuple[Problem, ...] = ()

    @property
    def problems(self) -> tuple[Problem, ...]:
        return tuple(self.post.problems) + tuple(self.card_problems)

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
    cards_total: int = 0
    drawn_cards: tuple[str, ...] = ()  # the cards drawn by this build (the rest came from the cache)
    zip_path: Path | None = None

    @property
    def cards_drawn(self) -> int:
        return len(self.drawn_cards)

    @property
    def period(self) -> Period:
        return self.options.period

    @property
    def problems(self) -> list[Problem]:
        """Every distinct problem once: a card problem shared by several platforms counts once."""
        found = list(self.file_problems)
        for post in self.posts:
            found.extend(post.problems)
        return list(dict.fromkeys(found))

    def counts(self) -> tuple[int, int]:
        return count_problems(self.problems)

    @property
    def exit_code(self) -> int:
        return 1 if has_errors(self.problems, self.options.strict) else 0

    def summary(self) -> str:
        days = len({post.slot.day for post in self.posts})
        return (f"{self.period.label}: {plural(len(self.posts), 'post')} on {plural(days, 'day')}, "
                f"{plural(self.cards_total, 'card')} ({self.cards_drawn} drawn), {tally(self.problems)}")


class _Progress:
    """Calls `callback(advance, total)`; a no-op without a callback."""

    def __init__(self, callback):
        self.callback = callback
        self.total = 0

    def start(self, total: int) -> None:
        self.total = total

    def advance(self, steps: int = 1) -> None:
        if self.callback is not None and steps:
            self.callback(steps, self.total)


def build_pack(workspace: Workspace, options: PackOptions, progress=None) -> Pack:
    """Build the pack described by `options` into `<out>/<label>/` (and `<label>.zip` with `options.zip`).

    Raises a CampaignGenError (UsageError, OutputError, InvalidInput, TemplateError, ...) before writing
    anything when the request or the input is unusable. `progress(advance, total)` is called as work is done.
    """
    out_dir = Path(options.out_dir) if options.out_dir is not None else workspace.default_out
    target = out_dir / options.period.label
    # Paths in messages as the person gave them (--out), else relative to the workspace.
    shown = str if options.out_dir is not None else workspace.display
    _check_output(out_dir, target, shown, options.zip)
    inputs = packcache.fingerprint(workspace, options)
    reused = packcache.reuse(workspace, options, target, inputs)
    if reused is not None:  # the same inputs built this very folder, untouched since: nothing to do
        if options.zip:
            reused.zip_path = write_zip(target, out_dir / f"{options.period.label}.zip")
        return reused

    loaded = load_campaigns_with_warnings(workspace, options.campaign_ids)
    campaigns = [item.campaign for item in loaded]
    _check_request(campaigns, options)
    partner = load_partner(workspace, options.partner, campaigns)
    # A partner publishes in its own languages unless --lang says otherwise.
    languages = options.languages or (tuple(partner.languages) if partner is not None else ())

    slots = schedule_campaigns(campaigns, options.period, options.platforms or None, languages or None)
    by_id = {campaign.id: campaign for campaign in campaigns}
    card_plan = _plan_cards(slots, by_id, workspace, partner)
    tracker = _Progress(progress)
    tracker.start(len(slots) + len(card_plan) + len(exporters.EXPORTERS))

    env = render.create_environment(workspace, _partner_dir(partner))
    built_posts = []
    for slot in slots:
        campaign = by_id[slot.campaign_id]
        observance = campaign.observance(slot.observance.observance_id) if slot.observance else None
        built_posts.append(posts.build_post(
            campaign, campaign.message(slot.message_id), slot.platform, slot.language, workspace=workspace,
            date=slot.day, observance=observance, partner=partner, env=env))
        tracker.advance()

    staging = _make_staging(out_dir, options.period.label, shown)
    try:
        card_results = _render_cards(card_plan, staging / CARDS_FOLDER, workspace, options.jobs, tracker)
        pack = Pack(options, target, _pack_posts(slots, built_posts, card_results),
                    file_problems=[p for item in loaded for p in item.warnings]
                    + (list(partner.warnings) if partner is not None else []),
                    cards_total=len(card_results),
                    drawn_cards=tuple(sorted(r.name for r in card_results.values() if not r.cached)))
        for exporter in exporters.EXPORTERS:
            exporter.write(pack, staging)
            tracker.advance()
        _swap_into_place(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    packcache.remember(workspace, pack, inputs)
    if options.zip:
        pack.zip_path = write_zip(target, out_dir / f"{options.period.label}.zip")
    return pack


# -- the request ---------------------------------------------------------------------------------------------------
def _check_request(campaigns, options: PackOptions) -> None:
    """Unknown platforms and languages are usage errors, named with what is known."""
    known = platforms.names()
    for name in options.platforms:
        if name not in known:
            raise UsageError(f"unknown platform '{name}'; known platforms: {', '.join(known)}")
    used_platforms = sorted({p for c in campaigns for p in c.platforms})
    for name in options.platforms:
        if name not in used_platforms:
            raise UsageError(f"platform '{name}' is not used by the chosen campaigns; they use: "
                             f"{', '.join(used_platforms)}")
    used_languages = sorted({lang for c in campaigns for lang in c.languages})
    for language in options.languages:
        if language not in used_languages:
            raise UsageError(f"unknown language '{language}'; the chosen campaigns are written in: "
                             f"{', '.join(used_languages)}")
    if options.hootsuite_date_format not in HOOTSUITE_DATE_FORMATS:
        raise UsageError(f"unknown Hootsuite date format '{options.hootsuite_date_format}'; expected "
                         f"{' or '.join(HOOTSUITE_DATE_FORMATS)}")


def load_partner(workspace: Workspace, name: str | None, campaigns):
    """The checked partner kit `name` (partners/<name>/partner.yaml), or None; unknown names are usage errors."""
    if not name:
        return None
    return load_partner_kit(workspace, name, campaigns)


def _partner_dir(partner) -> Path | None:
    return partner.folder if partner is not None else None


def _partner_id(partner) -> str | None:
    return partner.id if partner is not None else None


def _check_output(out_dir: Path, target: Path, shown, want_zip: bool) -> None:
    """The output folder must be a writable folder (or creatable); checked before any work is done."""
    for folder in (out_dir, *out_dir.parents):
        if not folder.exists():
            continue
        if not folder.is_dir():
            if folder == out_dir:
                raise OutputError(f"output folder '{shown(out_dir)}' is a file, not a folder")
            raise OutputError(f"output folder '{shown(out_dir)}' cannot be created: '{shown(folder)}' is a file")
        if not os.access(folder, os.W_OK | os.X_OK):
            raise OutputError(f"output folder '{shown(folder)}' is not writable")
        break
    if target.exists() and not target.is_dir():
        raise OutputError(f"'{shown(target)}' is a file; remove it or choose another --out")
    zip_target = target.with_name(target.name + ".zip")
    if want_zip and zip_target.is_dir():
        raise OutputError(f"'{shown(zip_target)}' is a folder; remove it or choose another --out")


def _make_staging(out_dir: Path, label: str, shown) -> Path:
    """The temporary folder the pack is built in, beside its final place (so the rename stays on one disk)."""
    created = not out_dir.exists()
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        return temporary_folder(out_dir, f".{label}.", ".building")
    except OSError as err:
        if created and out_dir.is_dir():
            shutil.rmtree(out_dir, ignore_errors=True)  # nothing written: not even an empty folder
        raise OutputError(f"output folder '{shown(out_dir)}' is not writable ({err.strerror})") from err


# -- posts and cards -------------------------------------------------------------------------------------------------
def card_format_for(platform: str) -> str:
    """The platform's default card format: the first in its table entry (generator/data/platforms.yaml)."""
    return platforms.get(platform).default_card_format


def _card_id(slot: Slot, partner_id: str | None) -> tuple:
    return (slot.campaign_id, slot.message_id, slot.language, card_format_for(slot.platform), partner_id or "")


def _plan_cards(slots, by_id: dict, workspace: Workspace, partner) -> dict:
    """card id -> CardRequest, one per message, language and format, for every platform sharing it."""
    partner_id = _partner_id(partner)
    sharing: dict[tuple, set] = {}
    for slot in slots:
        sharing.setdefault(_card_id(slot, partner_id), set()).add(slot.platform)
    plan = {}
    for card_id in sorted(sharing):
        campaign_id, message_id, language, card_format, partner_name = card_id
        name = f"{campaign_id}-{message_id}-{language}-{card_format}"
        plan[card_id] = cards.CardRequest(
            by_id[campaign_id], message_id, language=language, format=card_format,
            platforms=tuple(sorted(sharing[card_id])), workspace=workspace, partner_dir=_partner_dir(partner),
            name=f"{name}-{partner_name}" if partner_name else name,
            colours=(partner.colours or None) if partner is not None else None,
            logo=partner.logo_path if partner is not None else None)
    return plan


def _render_cards(plan: dict, folder: Path, workspace: Workspace, jobs, tracker: _Progress) -> dict:
    """card id -> CardResult; drawn in batches only when someone watches the progress."""
    ids = list(plan)
    batch = PROGRESS_BATCH if tracker.callback is not None else max(1, len(ids))
    results = {}
    for start in range(0, len(ids), batch):
        chunk = ids[start:start + batch]
        drawn = cards.render_cards([plan[i] for i in chunk], folder, jobs=jobs,
                                   cache_dir=workspace.root / CARD_CACHE)
        results.update(zip(chunk, drawn))
        tracker.advance(len(chunk))
    return results


def _pack_posts(slots, built_posts, card_results: dict) -> list[PackPost]:
    partner_ids = {card_id[4] for card_id in card_results} or {""}
    partner_id = next(iter(partner_ids)) or None
    entries = []
    for slot, post in zip(slots, built_posts):
        result = card_results[_card_id(slot, partner_id)]
        files = (f"{CARDS_FOLDER}/{result.name}.png",) if result.path is not None else ()
        # A card is shared by the platforms using its format and its alt text is measured against each one's
        # limit: a post carries the card's own problems and only its platform's alt-text verdict.
        too_long = [p for p in result.problems if p.code == "card.alt-too-long"]
        shared = [p for p in result.problems if p.code != "card.alt-too-long"]
        own = cards.check_alt_text(result.alt_text, [slot.platform], too_long[0].where) if too_long else []
        entries.append(PackPost(slot, post, files, result.alt_text, tuple(shared + own)))
    return entries


# -- putting it in place -----------------------------------------------------------------------------------------------
def _swap_into_place(staging: Path, target: Path) -> None:
    """Replace `target` by `staging`. The old pack is moved aside first and removed only once the new one is in."""
    if not target.exists():
        os.replace(staging, target)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
    os.replace(target, retired / target.name)
    try:
        os.replace(staging, target)
    except BaseException:
        os.replace(retired / target.name, target)  # put the previous pack back
        raise
    finally:
        shutil.rmtree(retired, ignore_errors=True)


def write_zip(folder: Path, zip_path: Path) -> Path:
    """A zip of `folder` that is byte-identical for identical content: sorted entries, fixed times and modes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(f"{folder.name}/{path.relative_to(folder).as_posix()}", ZIP_TIMESTAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())
    write_atomic(zip_path, buffer.getvalue())
    return zip_path


def choose_period(week: str | None = None, start=None, end=None, today=None) -> Period:
    """The period from the command line: --week, or --from with --to, else the coming ISO week."""
    from datetime import date

    from generator.schedule import coming_week, date_range, parse_week

    if week and (start or end):
        raise UsageError("give either --week or --from/--to, not both")
    if week:
        return parse_week(week)
    if start or end:
        if not (start and end):
            raise UsageError(f"--{'from' if start else 'to'} needs --{'to' if start else 'from'} too: "
                             "give both days of the range")
        return date_range(start, end)
    return coming_week(today or date.today())
