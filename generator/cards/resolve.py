"""From a CardRequest to a drawable CardSpec, in the calling process.

The layout is loaded and checked, each text layer rendered in the posts' Jinja sandbox, the brand merged
with a partner's colours, images header-checked and the alt text written and measured against every target
platform. Only then is a card worth drawing (pool.py) or looking up in the cache (cache.py).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from generator import platforms
from generator.cards.cache import DigestMemo
from generator.cards.draw import CardSpec
from generator.cards.fonts import check_shaping_support, folder_for, isolate, library, strip_bidi_controls
from generator.cards.images import check_image
from generator.cards.layouts import Layout, find_layout
from generator.cards.request import CardRequest
from generator.errors import InputFileError, Location, Problem, UsageError, error
from generator.model import Campaign, Message, colon, is_right_to_left
from generator.render import create_environment, render_string, template_error
from generator.workspace import Workspace

# "Source" on the card's source line, in the campaigns' languages (the UN's six official languages); the colon
# after it is the language's own (model.colon).
SOURCE_LABELS = {"en": "Source", "fr": "Source", "es": "Fuente", "ar": "المصدر", "ru": "Источник", "zh": "来源"}


@dataclass(frozen=True)
class Resolved:
    """A request made ready to draw: the spec, the output name, the alt text, the problems found so far (the
    layout's warnings, then the alt-text verdicts), and the alt-text verdicts by platform."""

    spec: CardSpec
    name: str
    alt_text: str
    problems: list
    alt_text_problems: dict
    layout_warnings: int = 0  # how many of `problems` (the first ones) are the layout's own, given once per run


class Resolver:
    """Turns requests into drawable specs; shares the Jinja environments, layouts and digests of one run."""

    def __init__(self):
        self._environments: dict = {}
        self._layouts: dict = {}
        self._templates: dict = {}
        self._warned: set = set()
        self.digests = DigestMemo()

    def layout(self, workspace: Workspace, partner_dir: Path | None, name: str) -> Layout:
        key = (workspace.root, partner_dir, name)
        if key not in self._layouts:
            folders = ([Path(partner_dir) / "templates"] if partner_dir else []) + [*workspace.template_folders]
            self._layouts[key] = find_layout(folders, name, workspace.root)
        return self._layouts[key]

    def render(self, env, source: str, context: dict, origin: str) -> str:
        """render.render_string, with each layer's template compiled once per run instead of once per card, and
        words without any template syntax (a kit's own wording for a layer) not compiled at all."""
        plain = plain_text(env, source)
        if plain is not None:
            return plain
        key = (id(env), source)
        template = self._templates.get(key)
        if template is None:
            try:
                template = self._templates[key] = env.from_string(source)
            except Exception:  # noqa: BLE001 - render_string reports it with the layer's place
                return render_string(env, source, context, origin)
        try:
            return template.render(context)
        except Exception as err:  # noqa: BLE001 - the same translation render_string applies
            raise template_error(env, err, None, origin) from err

    def environment(self, workspace: Workspace, partner_dir: Path | None):
        key = (workspace.root, partner_dir)
        if key not in self._environments:
            self._environments[key] = create_environment(workspace, partner_dir)
        return self._environments[key]

    def resolve(self, request: CardRequest) -> Resolved:
        campaign, workspace = request.campaign, request.workspace
        message = request.message if isinstance(request.message, Message) else _message(campaign, request.message)
        formats = platforms.card_formats()
        if request.format not in formats:
            raise UsageError(f"unknown card format '{request.format}'; known formats: {', '.join(formats)}")
        layout = self.layout(workspace, request.partner_dir, request.layout)
        env = self.environment(workspace, request.partner_dir)
        language = request.language
        label = f"{campaign.id}/{message.id}/{language}/{request.format}/{layout.name}"
        context = card_context(campaign, message, language, request.format, request.hashtags)
        overrides = dict(request.texts or {})
        texts, alternatives = {}, {}
        for layer in layout.layers:
            if layer.is_text:
                source, origin = overrides.get(layer.id, layer.value), f"{layer.where}: layers.{layer.id}.value"
                texts[layer.id] = self.render(env, source, context, origin)
                if layer.type == "hashtags":  # the strip with fewer suggested tags, tried in turn if it overflows
                    strips = [texts[layer.id]]
                    for fewer in hashtag_strips(campaign, language, request.hashtags)[1:]:
                        strip = self.render(env, source, {**context, "hashtags": fewer}, origin)
                        if strip not in strips:
                            strips.append(strip)
                    alternatives[layer.id] = tuple(strips)
        check_shaping_support("".join(texts.values()))
        colours = {**campaign.brand.colours, **(request.colours or {})}
        images = self._images(layout, request, message)
        latin = self._brand_font(request)
        name = request.name or f"{campaign.id}-{message.id}-{language}-{request.format}-{layout.name}"
        spec = CardSpec(formats[request.format], layout, texts, colours, images, language, label, request.debug,
                        latin=latin, alternatives=alternatives)
        targets = request.platforms if request.platforms is not None else campaign.platforms
        alt_text = self._alt_text(layout, env, context, texts, images, targets)
        verdicts = alt_text_verdicts(alt_text, targets, label)
        first = self.warnings_once(request)
        return Resolved(spec, name, alt_text, first + list(verdicts.values()), verdicts, len(first))

    def warnings_once(self, request: CardRequest) -> list:
        """The warnings of the request's layout, for the first card of a run that uses it (none after)."""
        layout = self.layout(request.workspace, request.partner_dir, request.layout)
        if layout.path in self._warned:
            return []
        self._warned.add(layout.path)
        return list(layout.warnings)

    @staticmethod
    def _brand_font(request: CardRequest) -> str:
        """The font family key of the campaign's `brand.font` (the Latin, Greek and Cyrillic role)."""
        brand, folder = request.campaign.brand, folder_for(request.workspace)
        fonts = library(folder)
        key = fonts.family_key(brand.font)
        if key is None:
            known = ", ".join(sorted(fonts.named_families()))
            raise InputFileError(f"brand.font: the font family '{brand.font}' is not in "
                                 f"{request.workspace.display(folder)} (with a regular and a bold file); "
                                 f"families there: {known}",
                                 _place(request, ("brand", "font")))
        return key

    @staticmethod
    def _images(layout: Layout, request: CardRequest, message: Message) -> dict:
        workspace, images = request.workspace, {}
        for layer in layout.layers:
            if layer.type == "photo":  # the message's own image; a message without one shows what is below
                if message.image_path is None:
                    continue
                path = Path(message.image_path)
                index = next((i for i, m in enumerate(request.campaign.messages) if m.id == message.id), None)
                where = _place(request, ("messages", index, "image")) if index is not None else None
            elif layer.type == "logo":  # the campaign's logo, whoever builds the card
                path = request.campaign.brand.logo_path
                where = _place(request, ("brand", "logo")) if request.source is not None else None
            elif layer.type == "partner_logo":
                if not request.logo:
                    continue  # no partner: nothing is drawn in this layer
                path, where = Path(request.logo), None
            elif layer.image:
                path = workspace.asset(layer.image, Location(layer.where), "image")
                where = Location(layer.where)
            else:
                continue
            display = workspace.display(path)
            check_image(path, display, where)
            images[layer.id] = (str(path), display)
        return images

    def _alt_text(self, layout: Layout, env, context: dict, texts: dict, images: dict, targets) -> str:
        if layout.alt_text:
            return " ".join(self.render(env, layout.alt_text, context, f"{layout.path}: alt_text").split())
        # What is read on the card: the headline, the body with any words of free text (a quotation's
        # attribution; not a decorative quotation mark), the source line; and first, what a photo shows.
        words = [texts[layer.id] for layer in layout.layers if layer.type in ("body", "text")
                 and re.search(r"\w", texts.get(layer.id, ""))]
        picture = context["image_alt"] if any(layer.type == "photo" and layer.id in images
                                              for layer in layout.layers) else ""
        return default_alt_text([texts.get("headline", ""), " ".join(words), texts.get("source", "")],
                                context["language"], targets, picture)


def plain_text(env, source: str) -> str | None:
    """What `env` renders for a source holding no delimiter at all: the words themselves, with their line ends
    made the environment's and one final line end dropped (keep_trailing_newline), as Jinja's lexer does. None
    when there is template syntax to run, or more text than the sandbox lets a template write."""
    if env.line_statement_prefix or env.line_comment_prefix or any(
            mark in source for mark in (env.block_start_string, env.variable_start_string, env.comment_start_string)):
        return None
    lines = _LINE_END.split(source)
    if not env.keep_trailing_newline and lines[-1] == "":
        lines.pop()
    text = env.newline_sequence.join(lines)
    budget = getattr(env, "budget", None)
    return None if budget is not None and len(text) > budget.max_output else text


def default_alt_text(parts: list, language: str, targets, picture: str = "") -> str:
    """What the card says, as one text: the headline, the body and the source line, each sentence once (a
    layout's description is not repeated in it: it says nothing the picture shows), after `picture`, what a
    photo on the card shows. Past the shortest alt-text limit of the target platforms it is shortened at a
    sentence: the source line goes first, then the body's last sentences, marked with an ellipsis."""
    chinese = language.startswith("zh")
    full_stop, separator = ("。", "") if chinese else (".", " ")
    sentences, seen = [], set()
    if picture.strip():  # the description is kept whole: it is what nobody can read off the card's words
        described = " ".join(picture.split())
        sentences.append((-1, described if described[-1] in SENTENCE_ENDS else described + full_stop))
    for index, part in enumerate(parts):
        text = " ".join(strip_bidi_controls(part).split())
        if index == 0 and text and text[-1] not in SENTENCE_ENDS:
            text += full_stop  # the headline reads as a sentence of its own before the body
        for sentence in _SENTENCE_END.split(text):
            if sentence.strip() and _words(sentence) not in seen:
                seen.add(_words(sentence))
                sentences.append((index, sentence.strip()))
    def fits(items) -> bool:
        return not alt_text_verdicts(separator.join(s for _, s in items), targets, "")

    if fits(sentences):
        return separator.join(s for _, s in sentences)
    kept = [item for item in sentences if item[0] != 2] or sentences[:1]  # the source line goes first
    if not fits(kept):  # then the fewest sentences cut from the end, found by halving: never quadratic
        low, high = 1, len(kept)
        while low < high:
            middle = (low + high + 1) // 2
            low, high = (middle, high) if fits(kept[:middle - 1] + [(0, kept[middle - 1][1] + "…")]) else (low, middle - 1)
        kept = kept[:low - 1] + [(kept[low - 1][0], kept[low - 1][1] + "…")] if low < len(kept) else kept[:low]
    return separator.join(s for _, s in kept)


def _place(request: CardRequest, key_path: tuple) -> Location:
    """Where a value of the request's campaign was written; the campaign's id when that is not known."""
    return request.source.location(key_path) if request.source is not None else Location(request.campaign.id)


def _message(campaign: Campaign, message_id: str) -> Message:
    try:
        return campaign.message(message_id)
    except KeyError:
        known = ", ".join(m.id for m in campaign.messages)
        raise UsageError(f"campaign '{campaign.id}' has no message '{message_id}'; its messages: {known}") from None


def hashtag_strips(campaign: Campaign, language: str, extra: tuple = ()) -> list[str]:
    """The hashtag strip as posts fit it: every required tag, then the suggested ones, then `extra` (a partner's
    own tags, as its posts carry them); each next candidate drops the last optional tag, down to the required
    tags alone. In right-to-left text each tag is isolated (FSI ... PDI) so its '#' stays at its start."""
    tags = campaign.hashtags.for_language(language)
    required = list(tags.required)
    suggested = list(dict.fromkeys(tag for tag in (*tags.suggested, *extra) if tag not in required))
    wrap = isolate if is_right_to_left(language) else str
    return [" ".join(wrap(f"#{tag}") for tag in required + suggested[:count])
            for count in range(len(suggested), -1, -1)]


def card_context(campaign: Campaign, message: Message, language: str, card_format: str, extra_tags=()) -> dict:
    """What layer text may use: `headline`, `body` (the text without a first sentence that repeats the
    headline), `text` (all of it), `figure` (the message's key figure, or ""), `hashtags` (the
    strip, with every suggested tag: the renderer drops them from the end until it fits), `source` (the source
    line), `attribution` (the message's `quote_by`), `image_alt` (what its image shows), and `language`,
    `format`, `campaign_name`, `message_id`, `call_to_action`, `link`."""
    wrap = isolate if is_right_to_left(language) else str
    citations = []
    for fact_id in message.facts:
        fact = campaign.facts.get(fact_id)
        if fact is not None and fact.source.citation(language) not in citations:
            citations.append(fact.source.citation(language))
    label = SOURCE_LABELS.get(language.split("-")[0], SOURCE_LABELS["en"]) + colon(language)
    headline = message.headline_in(language) or campaign.name
    return {
        "headline": headline,
        "body": body_without_headline(headline, message.text_in(language)),
        "text": message.text_in(language),  # the whole text, the headline's sentence included
        "figure": key_figure(campaign, message, language),
        "hashtags": hashtag_strips(campaign, language, extra_tags)[0],
        "source": f"{label}{'; '.join(wrap(c) for c in citations)}" if citations else "",
        "language": language,
        "format": card_format,
        "campaign_name": campaign.name,
        "message_id": message.id,
        "call_to_action": message.call_to_action_in(language) or "",
        "link": message.link_in(language) or "",
        "attribution": message.quote_by_in(language) or "",  # who said the text, on a quotation card
        "image_alt": message.image_alt_in(language) or "",
    }


def key_figure(campaign: Campaign, message: Message, language: str) -> str:
    """The figure a big-figure card shows: the first share in the message's text that is a figure of one of its
    facts, as the text writes it ("92%", "92 %", "百分之九十二"); "" when the text quotes none. Never a rise or a
    fall: "22%" alone, without its "rose by", would read as a share."""
    from generator.guards.facts import fact_keys, extract_figures

    sourced = set().union(*(fact_keys(campaign.facts[f]) for f in message.facts if f in campaign.facts)) \
        if message.facts else set()
    for figure in extract_figures(message.text_in(language), language):
        if figure.percent and not figure.change and figure.key in sourced:  # a rise alone would read as a share
            written = str(figure)  # "92 في المائة" is read as 92 without its words: shown with its sign
            return written if any(sign in written for sign in "%٪％") or not written.isascii() else f"{written}%"
    return ""


SENTENCE_ENDS = ".!?…。！？؟"
# A sentence ends at a full stop, question or exclamation mark (Latin, Arabic, Chinese) followed by a space or
# the end; Chinese needs no space after it.
_SENTENCE_END = re.compile(r"(?<=[.!?؟])\s+|(?<=[。！？])")
_LINE_END = re.compile(r"\r\n|\r|\n")  # the line ends Jinja's lexer knows
_HEADLINE_SHARE = 1.5  # a first sentence at most this much longer than the headline that contains it repeats it


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", unicodedata.normalize("NFC", text).casefold()).split())


def body_without_headline(headline: str, body: str) -> str:
    """The card's body without a first sentence that only repeats the headline ("Survivors at the centre" above
    "Put survivors at the centre. Believe them, ..."): the headline already says it, in bigger type. The body is
    never emptied: a one-sentence body stays as it is."""
    sentences = [s for s in _SENTENCE_END.split(body.strip()) if s.strip()]
    if len(sentences) < 2 or not headline.strip():
        return body
    first, said = _words(sentences[0]), _words(headline)
    inside = f" {said} " in f" {first} " if " " in first else said in first  # whole words; Chinese has no spaces
    if said and inside and len(first) <= _HEADLINE_SHARE * len(said):
        return body.strip()[body.strip().index(sentences[1]):]
    return body


def alt_text_verdicts(alt_text: str, platform_names, label: str) -> dict[str, Problem]:
    """platform -> `card.alt-too-long`, for each target platform whose alt-text limit the text exceeds."""
    verdicts = {}
    for name in platform_names or ():
        platform = platforms.get(name)
        limit, length = platform.alt_text_limit, platform.count_alt_text(alt_text)
        if limit and length > limit:
            verdicts[name] = error("card.alt-too-long", f"alt text is {length} characters; {name} allows {limit} "
                                   f"({length - limit} over)", label)
    return verdicts
