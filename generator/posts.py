"""A post: one message of a campaign, for one platform and language, rendered, fitted and checked.

`build_post` finds the most specific template, renders it with plain data (never the model objects: a
template is untrusted and must not reach a Path or a Document whose methods could touch files), fits the
result to the platform (fitting.py: the steps in order, never a cut) and runs the
platform checks and the content guards (guards/) on it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from dataclasses import dataclass
from datetime import date as Date

from generator import checks, fitting, hashtags, platforms, render
from generator.guards.facts import check_facts
from generator.guards.links import add_utm, check_links
from generator.guards.terminology import check_terminology
from generator.dates import observance_on
from generator.errors import Problem, UsageError, error, warning
from generator.model import DEFAULT_LANGUAGE, Campaign, Message, Observance, text_direction
from generator.render import FactInfo
from generator.workspace import Workspace



PARTNER_TEMPLATE_PREFIX = "!partner/"  # Post.template of a kit's own template, e.g. !partner/posts/base.j2


@dataclass(frozen=True)
class Post:
    campaign: str
    message: str
    platform: str
    language: str
    text: str  # as published; a thread's parts joined by a blank line
    parts: tuple[str, ...]  # one item unless a thread
    count: int  # the platform's count of the longest part
    limit: int
    tags: tuple[str, ...]  # as the platform links them
    link: str | None
    fitting: str  # one of fitting.STEPS
    direction: str  # "rtl" or "ltr"
    language_fallback: bool
    problems: tuple[Problem, ...]
    template: str = ""  # the template used, e.g. posts/x.j2 (or !partner/... when a partner's own)
    date: Date | None = None

    @property
    def where(self) -> str:
        return f"{self.campaign}/{self.message}/{self.platform}/{self.language}"

    @property
    def is_thread(self) -> bool:
        return len(self.parts) > 1

    def as_dict(self) -> dict:
        return {
            "campaign": self.campaign, "message": self.message, "platform": self.platform,
            "language": self.language, "date": self.date.isoformat() if self.date else None,
            "text": self.text, "parts": list(self.parts), "count": self.count, "limit": self.limit,
            "tags": list(self.tags), "link": self.link, "fitting": self.fitting, "direction": self.direction,
            "language_fallback": self.language_fallback, "template": self.template,
            "problems": [p.as_dict() for p in self.problems],
        }


def template_names(campaign_id: str, platform: str, language: str) -> list[str]:
    """The lookup order, most specific first (docs/templates.md)."""
    return [
        f"posts/{campaign_id}/{platform}.{language}.j2",
        f"posts/{campaign_id}/{platform}.j2",
        f"posts/{platform}.{language}.j2",
        f"posts/{platform}.j2",
        f"posts/base.{language}.j2",
        "posts/base.j2",
    ]


def plain(value):
    """Data a template may see: strings, numbers, dates, mappings and tuples, nothing with file access."""
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return tuple(plain(v) for v in value)
    if value is None or isinstance(value, (str, int, float, bool, Date)):
        return value
    return str(value)


def fact_info(fact, language: str = DEFAULT_LANGUAGE) -> FactInfo:
    return FactInfo(fact.id, fact.statement, tuple(fact.figures), fact.source.citation(language), fact.source.url)


def _campaign_context(campaign: Campaign, language: str) -> dict:
    """The campaign as a post in `language` sees it: that language's hashtags and source lines."""
    tags = campaign.hashtags.for_language(language)
    return {
        "id": campaign.id, "name": campaign.name, "summary": campaign.summary, "url": campaign.url,
        "organisers": tuple(campaign.organisers), "languages": tuple(campaign.languages),
        "hashtags": {"required": tuple(tags.required), "suggested": tuple(tags.suggested)},
        "facts": {fid: fact_info(f, language) for fid, f in campaign.facts.items()},
    }


def _platform_context(name: str, rules) -> dict:
    recommended, maximum = rules.recommended_hashtags, rules.max_hashtags
    return {
        "name": name, "limit": rules.limit, "max_hashtags": maximum, "recommended_hashtags": recommended,
        "supports_threads": rules.supports_threads,
        # suggested tags are added while the post carries fewer than this; required ones always
        "hashtag_cap": recommended if recommended is not None else maximum,
    }


def _observance_context(observance: Observance | None, day: Date | None, language: str) -> dict | None:
    """The observance's name and the year's theme in the post's language (English where none is given)."""
    if observance is None:
        return None
    return {"id": observance.id, "name": observance.name_in(language), "date": day,
            "theme": observance.theme(day.year, language) if day else None}


def _clean(text: str) -> str:
    """Blocks left empty leave blank lines behind: trim line ends, keep at most one blank line."""
    text = "\n".join(line.rstrip() for line in text.strip().splitlines())
    return re.sub(r"\n{3,}", "\n\n", text)


class _Renderer:
    """Renders one message for one platform and language, once per fitting step."""

    def __init__(self, env, campaign, message, platform, rules, language, observance, day, partner):
        self.env = env
        self.names = template_names(campaign.id, platform, language)
        self.effective_language = language if message.has_language(language) else DEFAULT_LANGUAGE
        link, utm = message.link_in(language), campaign.utm
        if partner is not None:  # a partner's own page for a campaign link, and its own UTM parameters
            link, utm = partner.link_for(link), partner.utm_over(utm)
        link = add_utm(link, utm, platform) if link else None
        full = message.text_in(language)
        self.full, self.short, self.link = full, message.short_in(language), link
        self.base = {
            "campaign": _campaign_context(campaign, language),
            "platform": _platform_context(platform, rules),
            "language": language,
            "direction": text_direction(self.effective_language),
            "observance": _observance_context(observance, day, language),
            "partner": plain(partner.as_context()) if partner is not None else None,
            "date": day,
        }
        self.message = {
            "id": message.id, "full": full, "short": self.short, "link": link,
            "headline": message.headline_in(language), "call_to_action": message.call_to_action_in(language),
            "facts": tuple(self.base["campaign"]["facts"][f] for f in message.facts
                           if f in self.base["campaign"]["facts"]),
        }
        # The help line of a message about survivors: the partner's own services first, then the campaign's.
        self.referral = None
        if message.referral:
            self.referral = ((partner.referral.get(language) if partner is not None else None)
                             or campaign.referral.get(language))
        self.with_referral = self.referral is not None
        self.template = ""
        self.partner_templates = (partner.folder / "templates").resolve() if partner is not None else None

    def context(self, text: str, tags) -> dict:
        inline = hashtags.extract(text, self.base["platform"]["name"])
        message = dict(self.message, text=text, inline_tags=tuple(inline))
        referral = None
        if self.with_referral:
            referral = {"text": self.referral.text, "link": self.referral.link, "line": self.referral.line()}
        return dict(self.base, message=message, tags=tuple(tags), referral=referral)

    def render(self, text: str, tags) -> str:
        context = self.context(text, tags)
        template = _select(self.env, self.names)
        self.template = template.name
        if self.partner_templates and template.filename and Path(template.filename).is_relative_to(
                self.partner_templates):
            self.template = f"{PARTNER_TEMPLATE_PREFIX}{template.name}"  # the kit's own, not the stock one
        return _clean(render.render_template(self.env, template.name, context))

    def hashtag_line(self, text: str, tags) -> str:
        return render.format_hashtags(self.context(text, tags), list(tags))


def _select(env, names):
    try:
        return env.select_template(names)
    except Exception as err:  # noqa: BLE001 - not found or a syntax error: reported with file and line
        raise render.template_error(env, err, names[-1]) from err


def build_post(campaign: Campaign, message: Message, platform: str, language: str, *, workspace: Workspace,
               date: Date | None = None, observance: Observance | None = None, partner=None, env=None) -> Post:
    """Render, fit and check one post. Template errors raise TemplateError; content problems are in `problems`."""
    rules = platforms.get(platform)
    if env is None:
        env = render.create_environment(workspace, partner.folder if partner is not None else None)
    renderer = _Renderer(env, campaign, message, platform, rules, language, observance, date, partner)
    where = f"{campaign.id}/{message.id}/{platform}/{language}"
    tags = campaign.hashtags.for_language(language)
    required = tuple(tags.required)
    # A partner's hashtags come after the campaign's suggested ones (and are dropped with them to fit).
    partner_tags = tuple(partner.hashtags) if partner is not None else ()
    every_tag = tuple(dict.fromkeys((*required, *tags.suggested, *partner_tags)))

    fitted = fitting.fit_post(renderer, rules, required, every_tag)
    source, parts = fitted.source, fitted.parts
    text = "\n\n".join(parts)
    count = max(rules.count(part) for part in parts)
    problems: list[Problem] = []
    if not message.has_language(language):
        problems.append(warning("language.fallback",
                                f"message '{message.id}' has no '{language}' text; the English text is used", where))
    if count > rules.limit:
        tried = ", ".join(fitted.tried)
        problems.append(error(
            "length.over",
            f"{campaign.id}: message '{message.id}' in '{language}' on {platform}: {count}/{rules.limit} "
            f"({count - rules.limit} over) after every fitting step ({tried}); shorten the text or add a "
            f"shorter 'short' variant", where))
    for index, part in enumerate(parts):
        # a thread's later parts carry no hashtags: the required ones are on the first part
        found = checks.check_post(part, rules, campaign, where, require_hashtags=index == 0, language=language)
        problems.extend(p for p in found if not (p.code == "length.over" and count > rules.limit))
    referral_line = renderer.referral.line() if renderer.referral is not None else ""
    problems.extend(_lint(source, renderer.effective_language, message, campaign, partner, where, referral_line))
    return Post(
        campaign=campaign.id, message=message.id, platform=platform, language=language, text=text,
        parts=tuple(parts), count=count, limit=rules.limit, tags=tuple(hashtags.extract(text, platform)),
        link=renderer.link, fitting=fitted.step, direction=renderer.base["direction"],
        language_fallback=not message.has_language(language), problems=tuple(_unique(problems)),
        template=renderer.template, date=date,
    )


def _lint(text, language, message, campaign, partner, where, referral_line: str = "") -> list[Problem]:
    """The content guards on the post. A help line's numbers (a phone number such as 3919) are not statistics:
    the facts guard reads the post without it."""
    extra = tuple(campaign.terminology) + (tuple(partner.terminology) if partner is not None else ())
    return [
        *check_terminology(text, language, extra, where=where),
        *check_facts(text.replace(referral_line, "") if referral_line else text, message, campaign,
                          where=where, language=language),
        *check_links(text, where=where),
    ]


def _unique(problems):
    return list(dict.fromkeys(problems))


def build_posts(campaign: Campaign, workspace: Workspace, *, messages=None, platform_names=None, languages=None,
                date: Date | None = None, observance: Observance | None = None, partner=None) -> list[Post]:
    """Every post of `campaign` (or the given messages, platforms, languages), in a stable order."""
    known = [m.id for m in campaign.messages]
    for message_id in messages or ():
        if message_id not in known:
            raise UsageError(f"campaign '{campaign.id}' has no message '{message_id}'; its messages are: "
                             f"{', '.join(known)}")
    env = render.create_environment(workspace, partner.folder if partner is not None else None)
    posts = []
    for language in languages or campaign.languages:
        for message in campaign.messages:
            if messages and message.id not in messages:
                continue
            for platform in platform_names or campaign.platforms:
                if message.targets(platform):
                    posts.append(build_post(campaign, message, platform, language, workspace=workspace, date=date,
                                            observance=observance, partner=partner, env=env))
    return posts


def posts_for_day(campaign: Campaign, workspace: Workspace, day: Date | None, *, messages=(), platform_names=(),
                  language: str | None = None, partner=None) -> list[Post]:
    """`campaign-gen render`: the posts as they would go out on `day` (its observance's name and theme reach
    the templates), in `language`, else the kit's own languages (as `build --partner`), else the campaign's."""
    if language and language not in campaign.languages:  # as `build --lang` refuses it
        raise UsageError(f"unknown language '{language}'; campaign '{campaign.id}' is written in: "
                         f"{', '.join(campaign.languages)}")
    languages = (language,) if language else None
    if partner is not None and not language:
        languages = tuple(lang for lang in partner.languages if lang in campaign.languages) or None
    return build_posts(campaign, workspace, messages=messages, platform_names=platform_names, languages=languages,
                       date=day, observance=observance_on(campaign, day), partner=partner)


def check_campaign(campaign: Campaign, workspace: Workspace, partner=None) -> list[Problem]:
    """`campaign-gen validate`: every message on every platform and language, rendered and checked."""
    return [p for post in build_posts(campaign, workspace, partner=partner) for p in post.problems]
