"""One guard pass over every word a campaign publishes, in every language, whether or not a platform uses it.

Posts are checked as they are rendered (posts.py), but a post shows only what its template and fitting chose:
a headline appears on cards alone, a `short` variant only where the text does not fit, alt text never in a
post. So `validate` and `partner check` also run this pass over the sources themselves:

- each message's `headline`, `text`, `short`, `call_to_action`, `quote_by` and `image_alt`, in every language it has, and the referral
  lines (the campaign's, and a partner's own);
- what the cards print around them: the layout's free text layers, the hashtag strip, the source line and the
  alt text, as the stock layout (or a partner's own) renders them for each message and language.

Each text goes through the content guards: terminology (the glossary, the campaign's and the partner's
entries), facts (every figure sourced), banned hashtags and links. A problem names the place it comes from:
the campaign file's line and key for a message text, the layout's line for a card layer, so a person can fix
it there rather than guess from a post.
"""

from __future__ import annotations

from generator.guards import links, terminology
from generator.guards import facts as facts_guard
from generator.cards.request import DEFAULT_FORMAT, CardRequest
from generator.cards.resolve import Resolver
from generator.errors import CampaignGenError, InvalidInput, Problem, UsageError, error
from generator.hashtags import check_banned
from generator.workspace import Workspace

MESSAGE_FIELDS = ("headline", "text", "short", "call_to_action", "quote_by", "image_alt")
# Card layers that print the message's own fields: those are checked at their line in the campaign file.
MESSAGE_LAYERS = ("headline", "body")


def check_published_texts(loaded, workspace: Workspace, partner=None) -> list[Problem]:
    """Every problem of every published text of the campaign (`loaded`: a campaign.LoadedCampaign), with the
    partner kit's terminology, layouts and hashtags when one is given."""
    campaign, source = loaded.campaign, loaded.source
    extra = tuple(campaign.terminology) + (tuple(partner.terminology) if partner is not None else ())
    languages = list(campaign.languages)
    if partner is not None:
        languages += [language for language in partner.languages if language not in languages]
    problems: list[Problem] = []
    referrals = [(language, referral, source.where(("referral", language, "text")))
                 for language, referral in campaign.referral.items()]
    if partner is not None:
        referrals += [(language, referral, f"partners/{partner.id}/partner.yaml: referral.{language}")
                      for language, referral in partner.referral.items()]
    for language, referral, where in referrals:  # a help line: its words and its link (its numbers are phones)
        problems += terminology.check_terminology(referral.line(), language, extra, where=where)
        problems += links.check_links(referral.line(), where=where)
    resolver = Resolver()
    for index, message in enumerate(campaign.messages):
        said: dict = {}  # language -> (code, message) already reported at the message's own lines
        for field in MESSAGE_FIELDS:
            for language, text in sorted(getattr(message, field).items()):
                where = source.where(("messages", index, field, language))
                found = guard_text(text, language, message, campaign, extra, where)
                said.setdefault(language, set()).update((p.code, p.message) for p in found)
                problems += found
        for language in languages:
            # The alt text repeats the headline and body: what their own lines already say is not said again.
            problems += [p for p in _card_texts(resolver, loaded, message, language, workspace, partner, extra)
                         if (p.code, p.message) not in said.get(language, set())]
    return list(dict.fromkeys(problems))


def guard_text(text: str, language: str, message, campaign, extra_terms, where: str) -> list[Problem]:
    """The content guards on one published text: terminology, facts, banned hashtags, links."""
    return [
        *terminology.check_terminology(text, language, extra_terms, where=where),
        *facts_guard.check_facts(text, message, campaign, where=where, language=language),
        *check_banned(text, campaign.hashtags.for_language(language).banned, where),
        *links.check_links(text, where=where),
    ]


def _card_texts(resolver: Resolver, loaded, message, language: str, workspace: Workspace, partner,
                extra_terms) -> list[Problem]:
    """The card's own texts for one message and language (free text layers, hashtag strip, source line, alt
    text), rendered by the layout builds use, each checked at the layout's line."""
    campaign = loaded.campaign
    request = CardRequest(campaign, message, language, DEFAULT_FORMAT, campaign.brand.layout_for(message),
                          workspace=workspace,
                          partner_dir=partner.folder if partner is not None else None,
                          hashtags=tuple(partner.hashtags) if partner is not None else (), platforms=(),
                          source=loaded.source)
    try:
        resolved = resolver.resolve(request)
    except UsageError:
        return []  # the workspace has no layout of that name: a build says so; there is no card text to guard
    except InvalidInput as err:  # the layout itself is wrong: each problem at its own place
        return list(err.problems)
    except CampaignGenError as err:  # a layer the layout cannot render: said at its own place
        return [error("card.text", err.detail, str(err.location or ""))]
    layout, problems = resolved.spec.layout, []
    label = f"({campaign.id}/{message.id}/{language})"
    for layer in layout.layers:
        if layer.is_text and layer.type not in MESSAGE_LAYERS and resolved.spec.texts.get(layer.id):
            problems += guard_text(resolved.spec.texts[layer.id], language, message, campaign, extra_terms,
                                   f"{layer.where}: layers.{layer.id} {label}")
    problems += guard_text(resolved.alt_text, language, message, campaign, extra_terms,
                           f"{layout.path}: alt_text {label}")
    return problems
