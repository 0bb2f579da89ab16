"""Partner kits: partners/<id>/partner.yaml (model, loading, validation) and what a partner may not change.

A partner (an NGO, a UN country office, a university) republishes the campaigns in its own name, colours,
logo and language, and may override post templates and card layouts in partners/<id>/templates/. Partner
kits come from outside the organisation, so everything in them is treated as untrusted:

- the YAML is read with safe loading only (yamlfile.py), every key is known (an unknown key is an error, so a
  misspelt or hopeful setting never passes silently);
- every path stays inside the workspace (no `..`, no absolute path, no link that leads out);
- the logo's declared size is checked before a single pixel is decoded (decompression bombs);
- what the campaign locks cannot be changed: its required hashtags, its fact sources, the campaign logo
  layer and any card layer marked `locked: true` (checked in checks.py with the templates);
- templates run in render.py's sandbox, with its output-size and render-time limits.

`load_partner()` reads the kit and checks its files (partner.yaml, links, templates parsing, card layouts,
colours); it renders nothing. What only rendering shows (a template the sandbox refuses, a dropped required
hashtag) is checked where posts are rendered anyway, once per run: `partner check` renders every message
(`check_partner`), and build and render refuse the posts a kit's own template broke (checks.refuse_kit_posts).
A broken kit stops only builds for that partner.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field, replace
from pathlib import Path

from generator import platforms
from generator.cards.images import load_image
from generator.errors import (
    CampaignGenError, InputFileError, InvalidInput, Location, Problem, Severity, UsageError,
)
from generator.fields import HTTPS_LINK, IDENTIFIER, Checker
from generator.model import COLOUR_ROLES
from generator.workspace import Workspace
from generator.yamlfile import Document, load_yaml
from generator.partners.files import check_kit_files

PARTNER_FILE = "partner.yaml"
TOP_KEYS = ("name", "languages", "handles", "logo", "colours", "hashtags", "links", "utm", "terminology", "referral")

# Keys a partner might hope to set but which belong to the campaign: each is refused with the reason,
# rather than as a mere unknown key, so the person learns the rule and where the element lives.
LOCKED_KEYS = {
    "facts": "facts and their sources are locked by the campaign; a partner cannot add or change them",
    "sources": "fact sources are locked by the campaign; a partner cannot change them",
    "required_hashtags": "the campaign's required hashtags are locked; a partner can only add hashtags",
    "brand": "the campaign's brand (and its logo layer) is locked; set 'colours' and 'logo' for the partner",
    "cards": "card layers are changed in templates/cards/<layout>.yaml, where locked layers must stay as shipped",
}
LOCKED_HASHTAG_KEYS = ("required", "remove", "banned", "replace", "suggested")

@dataclass(frozen=True)
class Partner:
    """A partner kit, checked. Colours are overrides: roles not given keep each campaign's own colour."""

    id: str
    name: str
    folder: Path
    languages: tuple[str, ...]
    handles: dict = field(default_factory=dict)  # platform -> "@handle"
    logo: str | None = None  # as written, relative to the partner folder
    logo_path: Path | None = None  # resolved, inside the workspace, size-checked
    colours: dict = field(default_factory=dict)  # role -> "#RRGGBB"
    hashtags: tuple[str, ...] = ()  # added after the campaign's tags; never replaces a required one
    links: dict = field(default_factory=dict)  # campaign link -> the partner's link
    utm: dict = field(default_factory=dict)  # UTM parameter -> value; overrides the campaign's
    terminology: tuple = ()  # extra glossary entries, same shape as a campaign's
    referral: dict = field(default_factory=dict)  # language -> Referral: the kit's own help line (local services)
    templates_dir: Path | None = None  # partners/<id>/templates when it exists
    path: Path | None = None  # partner.yaml
    warnings: tuple[Problem, ...] = ()
    problems: tuple[Problem, ...] = ()  # content problems of a usable kit (low contrast): exit 1, not 2

    @property
    def language(self) -> str:
        """The partner's main language: the pack's default when no --lang is given."""
        return self.languages[0]

    def link_for(self, url: str | None) -> str | None:
        """The partner's replacement for a campaign link, else the link itself."""
        return self.links.get(url, url) if url else url

    def utm_over(self, campaign_utm: dict) -> dict:
        """The campaign's UTM parameters with the partner's on top (e.g. its own utm_source)."""
        return {**campaign_utm, **self.utm}

    def as_context(self) -> dict:
        """What templates see as `partner`: plain values only, never paths (render.py's sandbox rule)."""
        return {
            "id": self.id,
            "name": self.name,
            "language": self.language,
            "languages": list(self.languages),
            "handles": dict(self.handles),
            "hashtags": list(self.hashtags),
            "links": dict(self.links),
        }


def partner_ids(workspace: Workspace) -> list[str]:
    """The partner folders of the workspace, sorted (hidden folders and stray files left out)."""
    folder = workspace.partners_dir
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))


def partner_folder(workspace: Workspace, name: str) -> Path:
    """partners/<name>, for an existing partner; UsageError listing the known partners otherwise."""
    if not IDENTIFIER.match(name or ""):
        raise UsageError(f"'{name}' is not a partner name; use lower-case letters, digits and hyphens (e.g. my-ngo)")
    known = partner_ids(workspace)
    if name not in known:
        close = difflib.get_close_matches(name, known, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise UsageError(f"unknown partner '{name}'; known partners: {', '.join(known) or 'none'}{hint}")
    location = Location(f"partners/{name}")
    return workspace.resolve_inside(name, workspace.partners_dir, location, "partner folder")


def safe_kit_folder(workspace: Workspace, name: str) -> Path:
    """partners/<name>, once its folder is known to hold only plain files of bounded size (partners/files.py):
    InvalidInput naming every link, pipe or huge file otherwise, before anything in the kit is read."""
    folder = partner_folder(workspace, name)
    contents = check_kit_files(workspace, workspace.partners_dir / name)
    if contents:
        raise InvalidInput(contents)
    return folder


def load_partner(workspace: Workspace, name: str, campaigns=None) -> Partner:
    """The partner kit `name`, read and with its files checked (nothing rendered).

    `campaigns` are the campaigns whose locked elements the kit is checked against (default: every campaign
    of the workspace). Raises UsageError for an unknown partner, InputFileError for a missing or unreadable
    partner.yaml, InvalidInput (every problem, one line each, with file and line) for a kit that breaks a rule.
    Content problems (colours too weak for WCAG contrast) do not stop it: they are on `Partner.problems`.
    """
    return _usable(*_read_partner(workspace, name, campaigns))


def check_partner(workspace: Workspace, name: str) -> Partner:
    """`partner check`: everything load_partner checks, and every message of every campaign rendered with the
    kit in its languages on every platform, so that check refuses whatever a build of any week would."""
    from generator.campaign import campaign_files, load_campaigns_with_warnings
    from generator.guards.published import check_published_texts
    from generator.partners.checks import check_rendered_posts

    loaded = load_campaigns_with_warnings(workspace) if campaign_files(workspace) else []
    campaigns = [item.campaign for item in loaded]
    partner, problems = _read_partner(workspace, name, campaigns)
    if not any(p.code in FILE_RULES_BEFORE_RENDERING for p in problems):
        if (partner.folder / "templates" / "posts").is_dir():
            problems += check_rendered_posts(workspace, partner, campaigns)
        # every text the kit publishes, with its terminology, hashtags and card layouts: as validate does
        problems += [p for item in loaded for p in check_published_texts(item, workspace, partner)]
    return _usable(partner, list(dict.fromkeys(problems)))  # a broken layout is found by both passes: once


def posts_with_kit(workspace: Workspace, campaign, day, partner_name: str | None, **filters) -> list:
    """`campaign-gen render`: the day's posts, with the kit `partner_name` when one is given (posts.posts_for_day
    takes the filters); a kit whose templates break a post is refused as a whole."""
    from generator.partners.checks import refuse_kit_posts
    from generator.posts import posts_for_day

    partner = load_partner(workspace, partner_name, [campaign]) if partner_name else None
    posts = posts_for_day(campaign, workspace, day, partner=partner, **filters)
    refuse_kit_posts(partner, posts)
    return posts


# Problems that make rendering the kit's posts pointless: a template that cannot be used. (What the kit's
# folder holds is checked before anything is read: partners/files.py.)
FILE_RULES_BEFORE_RENDERING = ("partner.template",)
# Problems of a usable kit: what it makes look wrong, not what makes it unusable (exit 1, as for a campaign).
CONTENT_RULES = ("partner.contrast", "terms.avoid", "facts.unsourced", "facts.mismatch", "hashtag.banned",
                 "link.insecure", "link.malformed", "card.text")


def _usable(partner: Partner, problems: list[Problem]) -> Partner:
    """The kit with its warnings and content problems, or InvalidInput with every error when it is unusable."""
    if any(p.is_error and p.code not in CONTENT_RULES for p in problems):
        raise InvalidInput(problems)  # every error of the kit, the content ones too
    return replace(partner, warnings=tuple(p for p in problems if not p.is_error),
                   problems=tuple(p for p in problems if p.is_error))


def _read_partner(workspace: Workspace, name: str, campaigns) -> tuple[Partner, list[Problem]]:
    folder = safe_kit_folder(workspace, name)
    display = f"partners/{name}/{PARTNER_FILE}"
    if not (folder / PARTNER_FILE).is_file():
        raise InputFileError(f"missing; every partner folder needs a {PARTNER_FILE} "
                             f"(`campaign-gen partner init NAME` makes one)", Location(display))
    document = load_yaml(folder / PARTNER_FILE, display)
    if campaigns is None:
        campaigns = workspace_campaigns(workspace)
    reader = _PartnerReader(document, workspace, name, folder, campaigns)
    partner = reader.read()

    from generator.partners.checks import check_kit  # templates, card layouts, contrast: they need the reader's result
    return partner, list(reader.check.problems) + check_kit(workspace, partner, document.source, campaigns)


def workspace_campaigns(workspace: Workspace) -> list:
    """The campaigns a kit is checked against: every campaign of the workspace (none in an empty one)."""
    from generator.campaign import campaign_files, load_campaigns
    return load_campaigns(workspace) if campaign_files(workspace) else []


class _PartnerReader:
    """Reads partner.yaml field by field, recording every problem (unknown keys included) on the way."""

    def __init__(self, document: Document, workspace: Workspace, partner_id: str, folder: Path, campaigns):
        self.document = document
        self.workspace = workspace
        self.partner_id = partner_id
        self.folder = folder
        self.campaigns = list(campaigns)
        self.check = Checker(document, "partner")

    def read(self) -> Partner:
        c = self.check
        c.mapping((), (*TOP_KEYS, *LOCKED_KEYS), required=("name", "languages"))
        for key, reason in LOCKED_KEYS.items():
            if isinstance(self.document.data, dict) and key in self.document.data:
                c.error((key,), reason, "locked", of_key=True)
        logo, logo_path = self._logo()
        templates = self.folder / "templates"
        partner = Partner(
            id=self.partner_id,
            name=(c.string(("name",)) or self.partner_id).strip(),
            folder=self.folder,
            languages=self._languages(),
            handles=self._handles(),
            logo=logo,
            logo_path=logo_path,
            colours=self._colours(),
            hashtags=self._hashtags(),
            links=self._links(),
            utm=c.utm_parameters(("utm",)),
            referral=c.referrals(("referral",)),
            terminology=c.glossary_entries(("terminology",), "en"),
            templates_dir=templates if templates.is_dir() else None,
            path=self.folder / PARTNER_FILE,
        )
        self._unknown_keys_are_errors()
        return partner

    def _unknown_keys_are_errors(self) -> None:
        """Checker reports unknown keys as warnings (right for campaigns); in a kit from outside, a key we do not
        know is a setting that would silently do nothing, so it is an error. Locked keys already have theirs."""
        promoted = []
        for problem in self.check.problems:
            if problem.code.endswith("unknown-key") and not problem.is_error:
                key = problem.message.split("'")[1] if "'" in problem.message else ""
                if key in LOCKED_KEYS:
                    continue
                problem = Problem(Severity.ERROR, problem.code, problem.message, problem.where)
            promoted.append(problem)
        self.check.problems[:] = promoted

    def _languages(self) -> tuple[str, ...]:
        c = self.check
        languages = c.string_list(("languages",), required=True)
        if isinstance(c.get(("languages",)), list) and not c.get(("languages",)):
            c.error(("languages",), "is empty; give at least one language, the first being the pack's default",
                    "empty")
        for index, language in enumerate(languages):
            c.language(("languages", index), language)
        return tuple(languages) or ("en",)

    def _handles(self) -> dict:
        c = self.check
        if c.get(("handles",)) is None:
            return {}
        raw = c.mapping(("handles",), platforms.names())
        handles = {}
        for platform in raw:
            if platform not in platforms.names():
                continue
            handle = c.string(("handles", platform))
            if not handle:
                continue
            shape = platforms.get(platform).handle
            if shape and not shape.matches(handle):
                c.error(("handles", platform), f"'{handle}' is not a {platform} handle; expected {shape.shape}",
                        "handle")
                continue
            handles[platform] = handle
        return handles

    def _logo(self) -> tuple[str | None, Path | None]:
        c = self.check
        logo = c.string(("logo",), required=False)
        if not logo:
            return None, None
        location = self.document.source.location(("logo",))
        try:
            path = self.workspace.resolve_inside(logo, self.folder, location, "logo")
            if not path.is_file():
                raise InputFileError(f"logo file 'partners/{self.partner_id}/{logo}' not found", location)
            load_image(path, f"partners/{self.partner_id}/{logo}", location)  # header checked before decoding
        except CampaignGenError as err:
            c.error(("logo",), err.detail, "logo")
            return logo, None
        return logo, path

    def _colours(self) -> dict:
        c = self.check
        if c.get(("colours",)) is None:
            return {}
        raw = c.mapping(("colours",), COLOUR_ROLES)
        colours = {}
        for role in raw:
            if role in COLOUR_ROLES:
                colour = c.colour(("colours", role))
                if colour:
                    colours[role] = colour
        return colours

    def _hashtags(self) -> tuple[str, ...]:
        c = self.check
        value = c.get(("hashtags",))
        if isinstance(value, dict):
            locked = [k for k in value if k in LOCKED_HASHTAG_KEYS]
            for key in locked:
                c.error(("hashtags", key), f"the campaign's hashtags are locked ('{key}' cannot be changed); "
                        "'hashtags' is a list of tags the partner adds (e.g. [VoixSolidaires])", "locked", of_key=True)
            if not locked:
                c.error(("hashtags",), "expected a list of the tags the partner adds (e.g. [VoixSolidaires]), "
                        "got a mapping", "type")
            return ()
        tags = c.string_list(("hashtags",))
        banned = {t.lower(): cam.id for cam in self.campaigns for t in cam.hashtags.every_language().banned}
        required = {t.lower() for cam in self.campaigns for t in cam.hashtags.every_language().required}
        result = []
        for index, tag in enumerate(tags):
            at = ("hashtags", index)
            if tag.startswith(("-", "!", "~")):
                c.error(at, f"'{tag}' would remove a tag; the campaign's hashtags are locked, a partner only adds",
                        "locked")
                continue
            if not c.hashtag(at, tag, "VoixSolidaires"):
                continue
            if tag.lower() in banned:
                c.error(at, f"'{tag}' is banned by campaign '{banned[tag.lower()]}'", "hashtag-banned")
                continue
            if tag.lower() in required:
                c.warn(at, f"'{tag}' is already required by a campaign; it is added anyway", "hashtag-duplicate")
                continue
            result.append(tag)
        return tuple(result)

    def _fact_sources(self) -> dict:
        """Every fact source link of the campaigns -> `campaign/fact` (a partner may not redirect them)."""
        sources = {}
        for campaign in self.campaigns:
            for fact in campaign.facts.values():
                sources.setdefault(fact.source.url, f"{campaign.id}/{fact.id}")
        return sources

    def _links(self) -> dict:
        c = self.check
        value = c.keyed_by_data(("links",), "a mapping of campaign link -> partner link")
        if not value:
            return {}
        sources = self._fact_sources()
        campaign_links = {link for campaign in self.campaigns for m in campaign.messages for link in m.all_links()}
        links = {}
        for original in value:
            at = ("links", original)
            if str(original) in sources:
                c.error(at, f"this link is the source of fact {sources[str(original)]}; fact sources are locked by "
                            "the campaign", "locked", of_key=True)
                continue
            if not HTTPS_LINK.match(str(original)):
                c.error(at, f"'{original}' is not an https link; the keys are the campaign's links to replace",
                        "link", of_key=True)
                continue
            if self.campaigns and str(original) not in campaign_links:
                c.warn(at, f"'{original}' is not a link of any campaign's messages, so this changes nothing",
                       "link-unused", of_key=True)
            target = c.string(at)
            if target and not HTTPS_LINK.match(target):
                c.error(at, f"'{target}' is not an https link; expected https://...", "link")
                continue
            if target:
                links[str(original)] = target
        return links

