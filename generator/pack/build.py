"""Building a pack: schedule -> posts -> cards -> outputs, for one week or date range, written atomically.

Everything is checked before anything is written: the request (campaigns, platforms, languages, partner) and
the output folder (output.py). The pack is then built in a staging folder and swapped into place. Content
problems do not stop the build: the pack is written so the preview shows what is wrong, and `Pack.exit_code`
tells CI whether to fail.

Cards are shared: one card per message, language, card format (and partner), used by every platform whose
default format it is. They are cached in the workspace (`.cache/cards/`) by content hash, so a rebuild with
nothing changed draws nothing. A whole pack whose inputs have not changed since it was written into the same
folder is not rebuilt at all (cache.py).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from generator import cards, platforms, posts, render
from generator.errors import CampaignGenError, Problem, warning
from generator.pack import cache
from generator.pack.exporters import EXPORTERS, preview
from generator.pack.model import Pack, PackOptions, PackPost
from generator.pack.output import check_output, make_staging, remove_stale_zip, swap_into_place, write_zip
from generator.pack.plan import PackPlan, pack_inputs, plan_pack, refuse_output_among_kits, with_settings
from generator.pack.records import Records
from generator.pack.settings import load_settings
from generator.partners.checks import refuse_kit_posts
from generator.partners.isolation import run_for_kit
from generator.schedule import Slot
from generator.workspace import Workspace

CARD_CACHE = Path(".cache") / "cards"  # inside the workspace; git-ignored
CARDS_FOLDER = "cards"
# With a progress display, cards are drawn in batches of this many so the bar moves while they are drawn.
PROGRESS_BATCH = 48


class Progress:
    """Calls `callback(advance, total)`; a no-op without a callback."""

    def __init__(self, callback):
        self.callback = callback
        self.total = 0

    def start(self, total: int) -> None:
        self.total = total

    def advance(self, steps: int = 1) -> None:
        if self.callback is not None and steps:
            self.callback(steps, self.total)


def build_pack_for_kit(workspace: Workspace, options: PackOptions, progress=None, written=None,
                       previewed=None) -> Pack:
    """build_pack; with a partner kit, in a worker process of its own under the kit limits of campaign-gen.yaml
    (partners/isolation.py), so that a kit can stop its own build and nothing else. `written` and `previewed`
    are build_pack's, and are not called for a kit's pack (it is in place when this returns)."""
    if not options.partner:
        return build_pack(workspace, options, progress, written, previewed)
    limits = load_settings(workspace).kit_limits
    return run_for_kit(options.partner, limits, build_pack, workspace, options, progress)


def build_pack(workspace: Workspace, options: PackOptions, progress=None, written=None, previewed=None) -> Pack:
    """Build the pack described by `options` into `<out>/<label>/` (and `<label>.zip` with `options.zip`).

    Raises a CampaignGenError (UsageError, OutputError, InvalidInput, TemplateError, ...) before writing
    anything when the request or the input is unusable. `progress(advance, total)` is called as work is done.
    `previewed(pack, staging)`, when given, is called once the preview page is written in the staging folder with
    all it shows (its cards and fonts), before the other files; `written(pack)` as soon as the pack's folder is
    in place whole, before its record and its zip are written (neither is a file of the pack). `serve` shows the
    page at the first and answers for the other files from the second on.
    """
    settings, options = with_settings(workspace, options)
    out_dir = Path(options.out_dir) if options.out_dir is not None else workspace.default_out
    target = out_dir / options.folder_name
    zip_path = target.with_name(f"{target.name}.zip")
    # Paths in messages as the person gave them (--out), else relative to the workspace.
    shown = str if options.out_dir is not None else workspace.display
    check_output(target.parent, target, shown, options.zip)
    refuse_output_among_kits(workspace, out_dir, shown)
    digests, inputs = pack_inputs(workspace, options)
    reused = cache.reuse(workspace, options, target, inputs)
    if reused is not None:  # the same inputs built this very folder, untouched since: nothing to do
        reused.zip_path = write_zip(target, zip_path) if options.zip else remove_stale_zip(zip_path)
        return reused

    plan = plan_pack(workspace, settings, options, digests, inputs)
    card_plan = plan_cards(plan.slots, plan, workspace)
    tracker = Progress(progress)
    tracker.start(len(plan.slots) + len(card_plan) + len(EXPORTERS))
    built_posts = build_posts(plan.slots, plan, workspace, tracker)
    refuse_kit_posts(plan.partner, built_posts)

    staging = make_staging(target.parent, target.name, shown)
    try:
        card_results = render_pack_cards(card_plan, staging / CARDS_FOLDER, workspace, options.jobs, tracker,
                                         plan.records)
        pack = Pack(options, target, pack_posts(plan.slots, built_posts, card_results, plan),
                    file_problems=plan.file_problems, pack_problems=plan.pack_problems, plan=plan.monthly(),
                    cards_total=len(card_results),
                    drawn_cards=tuple(sorted(r.name for r in card_results.values() if not r.cached)),
                    card_keys={f"{CARDS_FOLDER}/{r.name}.png": r.cache_key for r in card_results.values()
                               if r.path is not None})
        for exporter in EXPORTERS:
            exporter.write(pack, staging)
            tracker.advance()
            if exporter is preview and previewed is not None:
                previewed(pack, staging)
        swap_into_place(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if written is not None:
        written(pack)
    cache.remember(workspace, pack, inputs)
    pack.zip_path = write_zip(target, zip_path) if options.zip else remove_stale_zip(zip_path)
    return pack


# -- posts and cards -------------------------------------------------------------------------------------------------
def card_formats_for(campaign, platform: str) -> tuple[str, ...]:
    """The card formats of a platform's posts: the campaign's `brand.formats` for it (an Instagram story beside
    the feed image), else the first in the platform's table entry (generator/data/platforms.yaml). The first
    is the one attached to the post."""
    return campaign.brand.formats_for(platform, platforms.get(platform).default_card_format)


def _card_ids(slot: Slot, by_id: dict, partner_id: str | None) -> list[tuple]:
    return [(slot.campaign_id, slot.message_id, slot.language, card_format, partner_id or "")
            for card_format in card_formats_for(by_id[slot.campaign_id], slot.platform)]


def plan_cards(slots, plan: PackPlan, workspace: Workspace) -> dict:
    """card id -> CardRequest, one per message, language and format, for every platform sharing it."""
    by_id, sources, partner = plan.by_id, plan.sources, plan.partner
    partner_id = partner.id if partner is not None else None
    sharing: dict[tuple, set] = {}
    for slot in slots:
        for card_id in _card_ids(slot, by_id, partner_id):
            sharing.setdefault(card_id, set()).add(slot.platform)
    plan = {}
    for card_id in sorted(sharing):
        campaign_id, message_id, language, card_format, partner_name = card_id
        name = f"{campaign_id}-{message_id}-{language}-{card_format}"
        campaign = by_id[campaign_id]
        plan[card_id] = cards.CardRequest(
            campaign, message_id, language=language, format=card_format,
            layout=campaign.brand.layout_for(campaign.message(message_id)),
            platforms=tuple(sorted(sharing[card_id])), workspace=workspace, source=sources[campaign_id],
            partner_dir=partner.folder if partner is not None else None,
            name=f"{name}-{partner_name}" if partner_name else name,
            colours=(partner.colours or None) if partner is not None else None,
            hashtags=tuple(partner.hashtags) if partner is not None else (),
            logo=partner.logo_path if partner is not None else None)
    return plan


def build_posts(slots, plan: PackPlan, workspace: Workspace, tracker: Progress) -> list:
    """Each slot's post: from its record when nothing it depends on has changed, else rendered and checked."""
    by_id, partner, records = plan.by_id, plan.partner, plan.records
    env = None  # made only when a post has to be rendered: an unchanged pack needs no Jinja at all
    built = []
    for position, slot in enumerate(slots):
        campaign = by_id[slot.campaign_id]
        message = campaign.message(slot.message_id)
        observance = campaign.observance(slot.observance.observance_id) if slot.observance else None
        key = records.post_key(campaign, message, slot.platform, slot.language, slot.day, observance, partner)
        post = records.post(key)
        if post is None:
            if env is None:
                env = render.create_environment(workspace, partner.folder if partner is not None else None)
            try:
                post = posts.build_post(campaign, message, slot.platform, slot.language, workspace=workspace,
                                        date=slot.day, observance=observance, partner=partner, env=env)
            except CampaignGenError as err:
                err.slot_position = position  # which post failed, for a sharded build's report (parts.py)
                raise
            records.remember_post(key, post)
        built.append(post)
        tracker.advance()
    return built


def render_pack_cards(plan: dict, folder: Path, workspace: Workspace, jobs, tracker: Progress,
                      records: Records | None = None) -> dict:
    """card id -> CardResult; drawn in batches only when someone watches the progress."""
    ids = list(plan)
    batch = PROGRESS_BATCH if tracker.callback is not None else max(1, len(ids))
    results = {}
    for start in range(0, len(ids), batch):
        chunk = ids[start:start + batch]
        drawn = cards.render_cards([plan[i] for i in chunk], folder, jobs=jobs,
                                   cache_dir=workspace.root / CARD_CACHE, memo=records, staging=True)
        results.update(zip(chunk, drawn))
        tracker.advance(len(chunk))
    return results


def pack_posts(slots, built_posts, card_results: dict, plan: PackPlan) -> list[PackPost]:
    by_id, partner = plan.by_id, plan.partner
    partner_id = partner.id if partner is not None else None
    entries = []
    for slot, post in zip(slots, built_posts):
        cards_of_slot = [(card_id[3], card_results[card_id]) for card_id in _card_ids(slot, by_id, partner_id)]
        result = cards_of_slot[0][1]  # the first format's card is the post's image; the others (a story) follow
        drawn = [(card_format, r) for card_format, r in cards_of_slot if r.path is not None] \
            if result.path is not None else []
        # A card is shared by the platforms using its format and its alt text is measured against each one's
        # limit: a post carries its cards' own problems and only its platform's alt-text verdicts.
        problems = tuple(dict.fromkeys(p for _, r in cards_of_slot for p in r.problems_for(slot.platform)))
        entries.append(PackPost(slot, post, tuple(f"{CARDS_FOLDER}/{r.name}.png" for _, r in drawn),
                                result.alt_text, problems,
                                _export_problems(post),
                                partner.handles.get(slot.platform) if partner is not None else None,
                                tuple(card_format for card_format, _ in drawn)))
    return entries


def _export_problems(post) -> tuple[Problem, ...]:
    """A thread cannot be imported by the bulk schedulers: its row holds the parts joined, and says so."""
    if not post.is_thread:
        return ()
    return (warning("export.thread", f"{post.platform}: a thread of {len(post.parts)} parts; the Buffer and "
                    "Hootsuite files hold it joined in one row, which their bulk import cannot post as a thread: "
                    "post it as a thread by hand (the preview shows its parts)", post.where),)
