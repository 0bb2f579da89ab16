"""Loading and validating campaign definitions (campaigns/<id>.yaml) into the model.

The whole file is checked in one pass: every mistake becomes a Problem naming `path:line:col` and the key
path, so a person fixes them all at once. Errors make the campaign unusable (InvalidInput, exit 2);
warnings (unknown keys, months a `monthly: 31` skips) ride along on the result.
"""

from __future__ import annotations

import re
import zoneinfo
from dataclasses import dataclass, replace
from pathlib import Path

from generator import platforms
from generator.cards.brand import read_asset, read_brand, read_message_layout
from generator.errors import InvalidInput, Problem, UsageError
from generator.model import (
    DEFAULT_LANGUAGE, Audience, Campaign, Fact, Hashtags, Message, Schedule, Source,
)
from generator.factbook import read_facts, shared_facts
from generator.observances import read_observances, read_season
from generator.render import expand_shortcodes, shortcode_hint, unknown_shortcodes
from generator.fields import IDENTIFIER, Checker, describe
from generator.workspace import Workspace
from generator.yamlfile import Document, SourceMap, load_yaml

TOP_KEYS = ("id", "name", "organisers", "summary", "url", "timezone", "languages", "platforms", "observances",
            "season", "hashtags", "facts", "messages", "brand", "schedule", "utm", "terminology", "referral")
MESSAGE_KEYS = ("id", "headline", "text", "short", "facts", "link", "call_to_action", "platforms", "only_during",
                "referral", "layout", "quote_by", "image", "image_alt")
SCHEDULE_KEYS = ("posts_per_week", "days", "times", "audiences")
AUDIENCE_KEYS = ("timezone", "times")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

CLOCK_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)\Z")


@dataclass(frozen=True)
class LoadedCampaign:
    """A campaign with the warnings its file produced (the errors would have stopped loading) and where each
    of its values was written, for any message about it later (a card's missing font names its line)."""

    campaign: Campaign
    warnings: tuple[Problem, ...]
    source: SourceMap


def campaign_files(workspace: Workspace) -> list[Path]:
    return sorted(path for path in workspace.campaigns_dir.glob("*.yaml") if path.is_file())


def campaign_ids(workspace: Workspace) -> list[str]:
    return [path.stem for path in campaign_files(workspace)]


def load_campaign(workspace: Workspace, campaign_id: str) -> Campaign:
    """The campaign `campaign_id` of the workspace; unknown ids raise UsageError listing the known ones."""
    return load_campaign_with_warnings(workspace, campaign_id).campaign


def load_campaign_with_warnings(workspace: Workspace, campaign_id: str) -> LoadedCampaign:
    path = workspace.campaigns_dir / f"{campaign_id}.yaml"
    # An id is a file name in campaigns/, never a path: `../../elsewhere/x` is simply not a campaign.
    if not IDENTIFIER.match(campaign_id) or not path.is_file():
        known = ", ".join(campaign_ids(workspace)) or "none"
        raise UsageError(f"unknown campaign '{campaign_id}'; known campaigns: {known}")
    return load_campaign_file(workspace, path)


def load_campaigns(workspace: Workspace, ids=None) -> list[Campaign]:
    """Every campaign of the workspace (or those in `ids`), sorted by id."""
    return [loaded.campaign for loaded in load_campaigns_with_warnings(workspace, ids)]


def load_campaigns_with_warnings(workspace: Workspace, ids=None) -> list[LoadedCampaign]:
    ids = sorted(set(ids)) if ids else campaign_ids(workspace)
    if not ids:
        raise UsageError(f"no campaigns found in {workspace.display(workspace.campaigns_dir)}/")
    return [load_campaign_with_warnings(workspace, campaign_id) for campaign_id in ids]


def load_campaign_file(workspace: Workspace, path: Path) -> LoadedCampaign:
    document = load_yaml(path, workspace.display(path))
    reader = _CampaignReader(document, workspace, expected_id=path.stem)
    campaign = reader.read()
    if reader.check.errors:
        raise InvalidInput(reader.check.problems)
    return LoadedCampaign(campaign, tuple(p for p in reader.check.problems if not p.is_error), document.source)


class _CampaignReader:
    """Reads one campaign document field by field, recording every problem on the way."""

    def __init__(self, document: Document, workspace: Workspace, expected_id: str):
        self.document = document
        self.workspace = workspace
        self.expected_id = expected_id
        self.check = Checker(document, "campaign")

    def read(self) -> Campaign:
        c = self.check
        c.mapping((), TOP_KEYS, required=("id", "name", "organisers", "summary", "url", "timezone",
                                          "observances", "hashtags", "messages", "brand"))
        campaign_id = c.identifier(("id",)) or self.expected_id
        if campaign_id != self.expected_id:
            c.error(("id",), f"'{campaign_id}' does not match the file name; expected '{self.expected_id}'", "id")
        timezone = c.string(("timezone",)) or "UTC"
        if c.has(("timezone",)) and not self._timezone_exists(timezone):
            c.error(("timezone",), f"unknown time zone '{timezone}'; expected an IANA name such as 'Europe/Vienna'",
                    "timezone")
        url = c.string(("url",)) or ""
        c.https_link(("url",), url)
        languages = tuple(self._languages())
        campaign_platforms = tuple(c.string_list(("platforms",), choices=platforms.names())) or tuple(platforms.names())
        facts = self._facts()
        messages = self._messages(facts, campaign_platforms)
        # The shared facts this campaign quotes belong to it; the others are other campaigns' business.
        shared = shared_facts(self.workspace)
        facts = {fact_id: fact for fact_id, fact in facts.items()
                 if fact_id not in shared or any(fact_id in m.facts for m in messages)}
        message_ids = {m.id for m in messages}
        return Campaign(
            id=campaign_id,
            name=c.string(("name",)) or campaign_id,
            organisers=tuple(c.string_list(("organisers",), required=True)),
            summary=(c.string(("summary",)) or "").strip(),
            url=url,
            timezone=timezone,
            languages=languages,
            platforms=campaign_platforms,
            observances=self._observances(message_ids, messages),
            hashtags=self._hashtags(languages),
            facts=facts,
            messages=messages,
            brand=read_brand(c, self.workspace, campaign_platforms),
            schedule=self._schedule(campaign_platforms, languages),
            season=read_season(c),
            utm=c.utm_parameters(("utm",)),
            referral=c.referrals(("referral",)),
            terminology=c.glossary_entries(("terminology",), DEFAULT_LANGUAGE),
        )

    # -- small helpers -----------------------------------------------------------------------------------------
    @staticmethod
    def _timezone_exists(name: str) -> bool:
        try:
            zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return False
        return True

    def _per_language(self, key_path, *, required: bool) -> dict:
        """A mapping of language code -> text; `en` must be there when `required`."""
        c = self.check
        value = c.get(key_path)
        if value is None:
            if required:
                c.error(key_path, "missing; expected texts per language, e.g. 'en: ...'", "missing")
            return {}
        if isinstance(value, str):
            c.error(key_path, "expected texts per language (e.g. 'en: ...'), got a single string", "type")
            return {}
        if not isinstance(value, dict):
            c.error(key_path, f"expected texts per language (e.g. 'en: ...'), got {describe(value)}", "type")
            return {}
        texts = {}
        for language in value:
            if not c.language(key_path + (language,), language, of_key=True):
                continue
            text = c.string(key_path + (language,))
            if text:
                texts[str(language)] = self._with_emoji(key_path + (language,), text.strip(), str(language))
        if required and DEFAULT_LANGUAGE not in value:
            c.error(key_path, "missing the English text ('en'); every message needs one", "missing")
        return texts

    def _with_emoji(self, key_path, text: str, language: str) -> str:
        """Shortcodes such as `:orange_heart:` become their emoji wherever the text is published (posts, cards,
        alt text), as they do in templates; a shortcode the emoji package does not know is an error."""
        expanded = expand_shortcodes(text, language)
        for name in unknown_shortcodes(expanded):
            hint = shortcode_hint(name) or "; write the emoji itself, or a name such as ':orange_heart:'"
            self.check.error(key_path, f"unknown emoji shortcode '{name}'{hint}", "emoji")
        return expanded

    # -- sections ----------------------------------------------------------------------------------------------
    def _languages(self) -> list[str]:
        c = self.check
        languages = c.string_list(("languages",)) or [DEFAULT_LANGUAGE]
        for index, language in enumerate(languages):
            c.language(("languages", index), language)
        return languages

    def _facts(self) -> dict:
        """The campaign's own facts, with the workspace's shared ones (facts/*.yaml) it may reference too; an id in
        both is an error: a figure has one home, so it can never drift between files."""
        own = read_facts(self.check)
        shared = shared_facts(self.workspace)
        for index, fact_id in enumerate(f.get("id") if isinstance(f, dict) else None
                                        for f in self.check.items(("facts",), required=False)):
            if fact_id in shared and fact_id in own:
                self.check.error(("facts", index, "id"), f"fact '{fact_id}' is also in "
                                 f"{shared[fact_id][1]}; reference that one and remove this copy", "duplicate")
        return {**{fact_id: fact for fact_id, (fact, _) in shared.items()}, **own}

    def _messages(self, facts: dict, campaign_platforms: tuple) -> tuple:
        c = self.check
        messages, seen = [], {}
        for index, _ in enumerate(c.items(("messages",))):
            path = ("messages", index)
            c.mapping(path, MESSAGE_KEYS, required=("id", "text"))
            message_id = c.identifier(path + ("id",))
            c.unique_id(path + ("id",), message_id, seen, "message")
            fact_ids = c.string_list(path + ("facts",))
            for fact_index, fact_id in enumerate(fact_ids):
                if fact_id not in facts:
                    known = ", ".join(sorted(facts)) or "none defined"
                    c.error(path + ("facts", fact_index), f"unknown fact '{fact_id}'; known facts: {known}", "reference")
            link, links = c.localised(path + ("link",), required=False, check=c.https_link)
            restricted = c.string_list(path + ("platforms",), choices=platforms.names())
            for platform_index, name in enumerate(restricted):
                if name not in campaign_platforms:
                    c.warn(path + ("platforms", platform_index),
                           f"'{name}' is not among the campaign's platforms, so this message never goes there",
                           "platform")
            if message_id:
                messages.append(Message(
                    id=message_id,
                    text=self._per_language(path + ("text",), required=True),
                    short=self._per_language(path + ("short",), required=False),
                    facts=tuple(f for f in fact_ids if f in facts),
                    link=link,
                    call_to_action=self._per_language(path + ("call_to_action",), required=False),
                    platforms=tuple(restricted),
                    headline=self._per_language(path + ("headline",), required=False),
                    only_during=tuple(c.string_list(path + ("only_during",))),
                    links=links,
                    referral=c.boolean(path + ("referral",)),
                    layout=read_message_layout(c, self.workspace, path + ("layout",)),
                    **self._message_card(path),
                ))
        if c.has(("messages",)) and not messages and not c.errors:
            c.error(("messages",), "is empty; a campaign needs at least one message", "empty")
        return tuple(messages)

    def _message_card(self, path: tuple) -> dict:
        """What a message gives its card beyond its text: `quote_by` (who said the text, or what it is: a
        pledge, a campaign's call), and `image` (a photo or illustration in assets/) with `image_alt`, the
        description every photo needs, in each language of the text."""
        c = self.check
        values = {"quote_by": self._per_language(path + ("quote_by",), required=False)}
        if c.has(path + ("image",)):
            values["image"] = c.string(path + ("image",))
            values["image_path"] = read_asset(c, self.workspace, path + ("image",), "image")
            values["image_alt"] = self._per_language(path + ("image_alt",), required=False)
            if not values["image_alt"] and not c.has(path + ("image_alt",)):
                c.error(path + ("image_alt",), "missing; a message with an image needs image_alt: what the picture "
                        "shows, for people who cannot see it", "missing")
        elif c.has(path + ("image_alt",)):
            c.warn(path + ("image_alt",), "describes an image the message does not have (no `image:`)", "unused")
        return values

    def _observances(self, message_ids: set, messages: tuple) -> tuple:
        observances = read_observances(self.check, message_ids)
        known = [o.id for o in observances]
        for index, message in enumerate(messages):
            for position, observance_id in enumerate(message.only_during):
                if observance_id not in known:
                    self.check.error(("messages", index, "only_during", position),
                                     f"unknown observance '{observance_id}'; known: {', '.join(known)}", "reference")
        return observances

    def _hashtags(self, languages: tuple) -> Hashtags:
        """`required`, `suggested`, `banned`, and `languages: {fr: {suggested: [...]}}`: a language's own groups
        (a group it does not give is the campaign's; its banned tags add to the campaign's)."""
        c = self.check
        c.mapping(("hashtags",), ("required", "suggested", "banned", "languages"))
        own = c.get(("hashtags", "languages"))
        by_language = {}
        if own is not None:
            c.mapping(("hashtags", "languages"), languages)
            for language in own if isinstance(own, dict) else ():
                if c.language(("hashtags", "languages", language), language, of_key=True):
                    by_language[str(language)] = self._hashtag_groups(("hashtags", "languages", language))
        return replace(self._hashtag_groups(("hashtags",)), by_language=by_language)

    def _hashtag_groups(self, key_path: tuple) -> Hashtags:
        c = self.check
        if key_path != ("hashtags",):
            c.mapping(key_path, ("required", "suggested", "banned"))
        groups = {}
        for group in ("required", "suggested", "banned"):
            tags = c.string_list(key_path + (group,))
            valid = [c.hashtag(key_path + (group, index), tag, "OrangeDay") for index, tag in enumerate(tags)]
            groups[group] = tuple(tag for tag, ok in zip(tags, valid) if ok)
        clash = {t.lower() for t in groups["required"] + groups["suggested"]} & {t.lower() for t in groups["banned"]}
        if clash:
            c.error(key_path + ("banned",), f"both wanted and banned: {', '.join(sorted(clash))}", "hashtag")
        return Hashtags(**groups)

    def _schedule(self, campaign_platforms: tuple, languages: tuple) -> Schedule:
        c = self.check
        if c.get(("schedule",)) is None:
            return Schedule(times={"default": "10:00"})
        c.mapping(("schedule",), SCHEDULE_KEYS)
        per_week = c.integer(("schedule", "posts_per_week"), required=False, low=1, high=7, default=5)
        day_names = c.string_list(("schedule", "days"), choices=WEEKDAYS)
        days = tuple(sorted({WEEKDAYS.index(d) for d in day_names})) or (0, 1, 2, 3, 4)
        times = self._times(("schedule", "times"))
        times.setdefault("default", "10:00")
        return Schedule(posts_per_week=per_week, times=times, days=days, audiences=self._audiences(languages))

    def _times(self, key_path: tuple) -> dict:
        """`platform: "HH:MM"` (and `default`), as local clock times."""
        c = self.check
        times = {}
        raw_times = c.get(key_path)
        if raw_times is not None:
            c.mapping(key_path, ("default", *platforms.names()))
            for key in raw_times if isinstance(raw_times, dict) else ():
                value = c.get(key_path + (key,))
                if not isinstance(value, str) or not CLOCK_TIME.match(value):
                    # YAML 1.1 reads an unquoted 9:30 as the number 570 (base 60)
                    hint = "; put the time in quotes, as in '09:30'" if isinstance(value, int) else ""
                    c.error(key_path + (key,), f"'{value}' is not a time; expected HH:MM such as '09:30'{hint}",
                            "time")
                    continue
                hours, minutes = value.split(":")
                times[str(key)] = f"{int(hours):02d}:{minutes}"
        return times

    def _audiences(self, languages: tuple) -> dict:
        """`audiences: {ar: {timezone: Africa/Cairo, times: {...}}}`: each language's readers, in their own
        time zone and, optionally, at their own times."""
        c = self.check
        raw = c.get(("schedule", "audiences"))
        if raw is None:
            return {}
        c.mapping(("schedule", "audiences"), languages)
        audiences = {}
        for language in raw if isinstance(raw, dict) else ():
            at = ("schedule", "audiences", language)
            if not c.language(at, language, of_key=True):
                continue
            c.mapping(at, AUDIENCE_KEYS, required=("timezone",))
            zone = c.string(at + ("timezone",))
            if zone and not self._timezone_exists(zone):
                c.error(at + ("timezone",), f"unknown time zone '{zone}'; expected an IANA name such as "
                        "'Africa/Cairo'", "timezone")
                continue
            if zone:
                audiences[str(language)] = Audience(zone, self._times(at + ("times",)))
        return audiences
