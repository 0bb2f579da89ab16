"""What a build works out before it renders a post, alike for a whole pack (build.py) and for a shard's part of
one (parts.py): the settings, the fingerprint of the inputs, the request checked, the campaigns loaded (from
their records when unchanged), the kit, the languages, the schedule and the problems known by then.

    settings, options = with_settings(workspace, options)
    digests, inputs = pack_inputs(workspace, options)   # may tell build_pack the pack is built already
    plan = plan_pack(workspace, settings, options, digests, inputs)
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path

from generator import platforms
from generator.dates import Period
from generator.errors import OutputError, Problem, UsageError, warning
from generator.pack import cache
from generator.pack.exporters.hootsuite import DATE_FORMATS as HOOTSUITE_DATE_FORMATS
from generator.pack.model import PackOptions
from generator.pack.records import Records
from generator.pack.settings import SETTINGS_FILE, Settings, load_settings
from generator.partners.kit import Partner, load_partner, safe_kit_folder
from generator.schedule import schedule_campaigns, stagger
from generator.workspace import Workspace


@dataclass
class PackPlan:
    options: PackOptions  # with the settings' media base URL
    settings: Settings
    inputs: str  # the fingerprint of everything the pack reads (cache.fingerprint)
    records: Records
    loaded: list  # the campaigns with their sources and warnings (Records.loaded_campaigns)
    partner: Partner | None
    languages: tuple  # () means each campaign's own
    slots: list  # the schedule, staggered
    pack_problems: list  # a kit's languages not written, the schedule's crowded days, no media base URL

    @property
    def campaigns(self) -> list:
        return [item.campaign for item in self.loaded]

    @property
    def by_id(self) -> dict:
        return {item.campaign.id: item.campaign for item in self.loaded}

    @property
    def sources(self) -> dict:
        return {item.campaign.id: item.source for item in self.loaded}

    @property
    def file_problems(self) -> list[Problem]:
        """The warnings of the campaign files, of campaign-gen.yaml and of the kit."""
        kit = list(self.partner.warnings + self.partner.problems) if self.partner is not None else []
        return [p for item in self.loaded for p in item.warnings] + list(self.settings.warnings) + kit

    def monthly(self) -> dict:
        """day -> {(campaign, message): accounts} over the whole months of the period, for the preview's
        calendar: the schedule alone, nothing rendered, so the weeks around the pack can be checked at a glance."""
        period = self.options.period
        first = period.start.replace(day=1)
        last = (period.end.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        plan: dict = {}
        for slot in schedule_campaigns(self.campaigns, Period(first, last, ""), self.options.platforms or None,
                                       self.languages or None):
            entries = plan.setdefault(slot.day, {})
            entries[(slot.campaign_id, slot.message_id)] = entries.get((slot.campaign_id, slot.message_id), 0) + 1
        return plan


def with_settings(workspace: Workspace, options: PackOptions) -> tuple[Settings, PackOptions]:
    """campaign-gen.yaml, and `options` with its media base URL unless the request gives one."""
    settings = load_settings(workspace)
    return settings, replace(options, media_base_url=options.media_base_url or settings.media_base_url)


def pack_inputs(workspace: Workspace, options: PackOptions) -> tuple[dict, str]:
    """(the digests of the input folders, the fingerprint of the pack's inputs); a kit's folder is checked to be
    safe first, before a byte of it is read."""
    if options.partner:
        safe_kit_folder(workspace, options.partner)
    digests = cache.input_digests(workspace, options.partner)
    return digests, cache.fingerprint(workspace, options, digests)


def plan_pack(workspace: Workspace, settings: Settings, options: PackOptions, digests: dict,
              inputs: str) -> PackPlan:
    """Load, check and schedule: raises the CampaignGenError of an unusable request or input."""
    records = Records(workspace, digests, options.partner)
    loaded = records.loaded_campaigns(workspace, options.campaign_ids)
    campaigns = [item.campaign for item in loaded]
    check_request(campaigns, options)
    partner = load_partner(workspace, options.partner, campaigns) if options.partner else None
    # A partner publishes in its own languages unless --lang says otherwise; in English where the campaigns
    # write none of them (never an empty pack).
    languages, language_problems = _languages_for(campaigns, options, partner)
    slots, schedule_problems = stagger(
        schedule_campaigns(campaigns, options.period, options.platforms or None, languages or None))
    return PackPlan(options, settings, inputs, records, loaded, partner, languages, slots,
                    language_problems + schedule_problems + _media_problems(options, slots))


def refuse_output_among_kits(workspace: Workspace, out_dir: Path, shown) -> None:
    """A pack written into partners/ would be read as a kit, and its posts by another kit's templates."""
    kits, out = workspace.partners_dir.resolve(), Path(out_dir).resolve()
    if out == kits or kits in out.parents:
        raise OutputError(f"output folder '{shown(out_dir)}' is inside partners/, where the kits are; choose "
                          "another --out")


def check_request(campaigns, options: PackOptions) -> None:
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



def _languages_for(campaigns, options: PackOptions, partner) -> tuple[tuple, list[Problem]]:
    """The languages to build: --lang, else the kit's that the campaigns are written in, else English (with a
    warning) when the kit's languages are none of theirs; () means each campaign's own."""
    if options.languages or partner is None:
        return options.languages, []
    written = {language for campaign in campaigns for language in campaign.languages}
    usable = tuple(language for language in partner.languages if language in written)
    if usable:
        return usable, []
    return ("en",), [warning("partner.language-fallback",
                             f"the campaigns are not written in {', '.join(partner.languages)} (the kit's "
                             f"languages): the pack is in English; add those languages to the campaigns, or give "
                             f"--lang", f"partners/{partner.id}/partner.yaml")]



def _media_problems(options: PackOptions, slots) -> list[Problem]:
    """Without a media base URL the scheduler files can only name the cards by their path inside the pack."""
    if options.media_base_url or not slots:
        return []
    return [warning("export.media-url", "the Buffer files name each card by its path inside the pack, which Buffer "
                    "cannot fetch: give --media-base-url (or media_base_url in "
                    f"{SETTINGS_FILE}) with the address where the output folder is published", "")]
