"""Branded image cards: the public API the pack and the CLI call.

    result = render_card(CardRequest(campaign, "orange-the-world", language="ar", format="story"))
    results = render_cards(requests, out_dir, jobs=None, cache_dir=None)   # <name>.png + <name>.alt.txt

A request is resolved in the calling process (layout loaded and checked, layer text rendered in the posts'
Jinja sandbox, brand merged, images header-checked, cache key computed); only cards whose key is not cached
are drawn, in a process pool whose workers load the fonts once. Layout and drawing: layouts.py, carddraw.py;
text fitting: textfit.py; fonts and coverage: fonts.py; contrast: contrast.py; cache: cardcache.py.
"""

from __future__ import annotations

import os
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from generator.atomic import write_atomic
from generator.cardcache import CardCache, DigestMemo, card_key
from generator.carddraw import CardSpec, render_spec
from generator.cardimages import ImageCache, check_image
from generator.errors import InputFileError, Location, Problem, UsageError, error
from generator.fonts import (FONT_DIR, check_shaping_support, folder_for, isolate, library,
                             strip_bidi_controls)
from generator.layouts import FORMATS, Layout, find_layout
from generator.model import Campaign, Message, is_right_to_left
from generator.render import create_environment, render_string, template_error
from generator.workspace import Workspace

DEFAULT_LAYOUT = "statement"
DEFAULT_FORMAT = "square"
# "Source" on the card's source line, in the campaigns' languages (the UN's six official languages).
SOURCE_LABELS = {"en": "Source", "fr": "Source", "es": "Fuente", "ar": "المصدر", "ru": "Источник", "zh": "来源"}


@dataclass(frozen=True)
class CardRequest:
    """One card to draw. `colours` are a partner's colour overrides (None: the campaign's); `logo` is the
    partner's logo, drawn in the layout's `partner_logo` layer beside the campaign logo, which always stays in
    its locked `logo` layer (None: no partner logo, nothing drawn there); `texts` maps layer ids to replacement
    text (Jinja allowed); `platforms` are the targets whose alt-text limits the alt text must meet (default:
    the campaign's platforms)."""

    campaign: Campaign
    message: str | Message
    language: str = "en"
    format: str = DEFAULT_FORMAT
    layout: str = DEFAULT_LAYOUT
    colours: dict | None = None
    logo: Path | None = None
    texts: dict | None = None
    platforms: tuple | None = None
    name: str | None = None
    workspace: Workspace | None = None
    partner_dir: Path | None = None
    debug: bool = False


@dataclass
class CardResult:
    name: str
    alt_text: str
    problems: list = field(default_factory=list)
    cache_key: str = ""
    png: bytes | None = None  # render_card: the image; render_cards writes it to `path` instead
    path: Path | None = None
    cached: bool = False

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems)


# -- resolving a request ---------------------------------------------------------------------------------------
class Resolver:
    """Turns requests into drawable specs; shares the Jinja environments, layouts and digests of one run."""

    def __init__(self):
        self._environments: dict = {}
        self._layouts: dict = {}
        self._templates: dict = {}
        self._warned: set = set()
        self.digests = DigestMemo()

    def workspace_of(self, request: CardRequest) -> Workspace:
        if request.workspace is not None:
            return request.workspace
        if request.campaign.path is None:
            raise UsageError("the card request has no workspace and its campaign no file to find one from")
        return Workspace(Path(request.campaign.path).resolve().parent.parent)

    def layout(self, workspace: Workspace, partner_dir: Path | None, name: str) -> Layout:
        key = (workspace.root, partner_dir, name)
        if key not in self._layouts:
            folders = ([Path(partner_dir) / "templates"] if partner_dir else []) + [workspace.templates_dir]
            self._layouts[key] = find_layout(folders, name, workspace.root)
        return self._layouts[key]

    def render(self, env, source: str, context: dict, origin: str) -> str:
        """render.render_string, with each layer's template compiled once per run instead of once per card."""
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

    def resolve(self, request: CardRequest) -> tuple[CardSpec, str, str, list]:
        """(spec, output name, alt text, problems found before drawing)."""
        campaign = request.campaign
        message = request.message if isinstance(request.message, Message) else _message(campaign, request.message)
        if request.format not in FORMATS:
            raise UsageError(f"unknown card format '{request.format}'; known formats: {', '.join(FORMATS)}")
        workspace = self.workspace_of(request)
        layout = self.layout(workspace, request.partner_dir, request.layout)
        env = self.environment(workspace, request.partner_dir)
        language = request.language
        label = f"{campaign.id}/{message.id}/{language}/{request.format}/{layout.name}"
        context = card_context(campaign, message, language, request.format)
        overrides = dict(request.texts or {})
        texts, alternatives = {}, {}
        for layer in layout.layers:
            if layer.is_text:
                source, origin = overrides.get(layer.id, layer.value), f"{layer.where}: layers.{layer.id}.value"
                texts[layer.id] = self.render(env, source, context, origin)
                if layer.type == "hashtags":  # the strip with fewer suggested tags, tried in turn if it overflows
                    strips = [texts[layer.id]]
                    for fewer in hashtag_strips(campaign, language)[1:]:
                        strip = self.render(env, source, {**context, "hashtags": fewer}, origin)
                        if strip not in strips:
                            strips.append(strip)
                    alternatives[layer.id] = tuple(strips)
        check_shaping_support("".join(texts.values()))
        colours = {**campaign.brand.colours, **(request.colours or {})}
        images = self._images(layout, workspace, campaign, request)
        latin = self._brand_font(campaign, folder_for(workspace))
        name = request.name or f"{campaign.id}-{message.id}-{language}-{request.format}-{layout.name}"
        spec = CardSpec(FORMATS[request.format], layout, texts, colours, images, language, label, request.debug,
                        latin=latin, alternatives=alternatives)
        alt_text = self._alt_text(layout, env, context, texts, language)
        targets = request.platforms if request.platforms is not None else campaign.platforms
        problems = check_alt_text(alt_text, targets, label)
        if layout.path not in self._warned:  # a layout's own warnings, once per run
            self._warned.add(layout.path)
            problems = list(layout.warnings) + problems
        return spec, name, alt_text, problems

    def _brand_font(self, campaign: Campaign, folder: str) -> str:
        """The font family key of the campaign's `brand.font` (the Latin, Greek and Cyrillic role)."""
        fonts = library(folder)
        key = fonts.family_key(campaign.brand.font)
        if key is None:
            where = campaign.document.location(("brand", "font")) if campaign.document is not None else None
            known = ", ".join(sorted(fonts.named_families()))
            raise InputFileError(f"brand.font: the font family '{campaign.brand.font}' is not in "
                                 f"{Path(folder).as_posix()} (with a regular and a bold file); families there: "
                                 f"{known}", where or Location(str(campaign.path or campaign.id)))
        return key

    def _images(self, layout: Layout, workspace: Workspace, campaign: Campaign, request: CardRequest) -> dict:
        images = {}
        for layer in layout.layers:
            if layer.type == "logo":  # the campaign's logo, whoever builds the card
                path = campaign.brand.logo_path
                where = campaign.document.location(("brand", "logo")) if campaign.document is not None else None
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

    def _alt_text(self, layout: Layout, env, context: dict, texts: dict, language: str) -> str:
        if layout.alt_text:
            return " ".join(self.render(env, layout.alt_text, context, f"{layout.path}: alt_text").split())
        description = layout.description_in(language).strip()
        full_stop = "。" if language.startswith("zh") else "."
        parts = [description if not description or description.endswith((".", "。")) else description + full_stop]
        for key in ("headline", "body", "source"):
            text = texts.get(key, "").strip()
            if text and key == "headline" and not unicodedata.category(text[-1]).startswith("P"):
                text += full_stop  # the headline reads as a sentence of its own before the body
            parts.append(text)
        separator = "" if language.startswith("zh") else " "  # Chinese sentences follow without a space
        return strip_bidi_controls(separator.join(" ".join(p.split()) for p in parts if p))


def _message(campaign: Campaign, message_id: str) -> Message:
    try:
        return campaign.message(message_id)
    except KeyError:
        known = ", ".join(m.id for m in campaign.messages)
        raise UsageError(f"campaign '{campaign.id}' has no message '{message_id}'; its messages: {known}") from None


def hashtag_strips(campaign: Campaign, language: str) -> list[str]:
    """The hashtag strip as posts fit it: every required tag, then the suggested ones; each next candidate drops
    the last suggested tag, down to the required tags alone. In right-to-left text each tag is isolated (FSI
    ... PDI) so its '#' stays at its start."""
    required = list(campaign.hashtags.required)
    suggested = [tag for tag in campaign.hashtags.suggested if tag not in required]
    wrap = isolate if is_right_to_left(language) else str
    return [" ".join(wrap(f"#{tag}") for tag in required + suggested[:count])
            for count in range(len(suggested), -1, -1)]


def card_context(campaign: Campaign, message: Message, language: str, card_format: str) -> dict:
    """What layer text may use: `headline`, `body`, `hashtags` (the strip, with every suggested tag: the
    renderer drops them from the end until it fits), `source` (the source line), and `language`, `format`,
    `campaign_name`, `message_id`, `call_to_action`, `link`."""
    wrap = isolate if is_right_to_left(language) else str
    citations = []
    for fact_id in message.facts:
        fact = campaign.facts.get(fact_id)
        if fact is not None and fact.source.citation() not in citations:
            citations.append(fact.source.citation())
    label = SOURCE_LABELS.get(language.split("-")[0], SOURCE_LABELS["en"])
    colon = "：" if language.startswith("zh") else ": "  # the full-width colon carries its own space
    return {
        "headline": message.headline_in(language) or campaign.name,
        "body": message.text_in(language),
        "hashtags": hashtag_strips(campaign, language)[0],
        "source": f"{label}{colon}{'; '.join(wrap(c) for c in citations)}" if citations else "",
        "language": language,
        "format": card_format,
        "campaign_name": campaign.name,
        "message_id": message.id,
        "call_to_action": message.call_to_action_in(language) or "",
        "link": message.link or "",
    }


def check_alt_text(alt_text: str, platform_names, label: str) -> list[Problem]:
    """`card.alt-too-long` for each target platform whose alt-text limit the text exceeds."""
    problems: list[Problem] = []
    if not platform_names:
        return problems
    from generator import platforms  # the platform table (rules as data)

    for name in platform_names:
        platform = platforms.get(name)
        limit, length = platform.alt_text_limit, platform.count_alt_text(alt_text)
        if limit and length > limit:
            problems.append(error("card.alt-too-long", f"alt text is {length} characters; {name} allows "
                                  f"{limit} ({length - limit} over)", label))
    return problems


# -- drawing -----------------------------------------------------------------------------------------------------
_worker_images: ImageCache | None = None


def _init_worker(font_folder: str) -> None:
    """Runs once in each pool worker: fonts are loaded here, not once per card."""
    global _worker_images
    library(font_folder)
    _worker_images = ImageCache()


def _draw(spec: CardSpec, font_folder: str) -> tuple[bytes | None, list]:
    if _worker_images is None:
        _init_worker(font_folder)
    return render_spec(spec, library(font_folder), _worker_images)


def _draw_to_files(spec: CardSpec, font_folder: str, key: str, target: str, cache_dir: str | None) -> list:
    png, problems = _draw(spec, font_folder)
    dicts = [p.as_dict() for p in problems]
    # A card that cannot be drawn writes nothing: a pack is built in a new folder, so no older picture can
    # linger there, and a file a person already has at `card -o` is not theirs to lose because of our error.
    if png is not None:
        write_atomic(Path(target), png)
        if cache_dir is not None:
            CardCache(Path(cache_dir)).put(key, png, dicts)
    return dicts


def render_card(request: CardRequest, cache_dir: Path | None = None) -> CardResult:
    """Draw one card in this process; `png` holds the image (None when an error forbids drawing)."""
    resolver = Resolver()
    spec, name, alt_text, problems = resolver.resolve(request)
    folder = folder_for(resolver.workspace_of(request))
    key = card_key(spec, library(folder).digest, resolver.digests)
    cache = CardCache(cache_dir) if cache_dir else None
    hit = cache.get(key) if cache else None
    if hit is not None:
        return CardResult(name, alt_text, problems + [_problem(d) for d in hit[1]], key, hit[0].read_bytes(),
                          cached=True)
    png, drawn = _draw(spec, folder)
    if cache and png is not None:
        cache.put(key, png, [p.as_dict() for p in drawn])
    return CardResult(name, alt_text, problems + drawn, key, png)


def render_cards(requests, out_dir: Path, jobs: int | None = None, cache_dir: Path | None = None) -> list[CardResult]:
    """Write `<name>.png` and `<name>.alt.txt` for each request into `out_dir`; cached cards are copied."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    cache = CardCache(cache_dir) if cache_dir else None
    resolver = Resolver()
    results: list[CardResult] = []
    pending = []  # (result, spec, folder)
    for request in requests:
        spec, name, alt_text, problems = resolver.resolve(request)
        folder = folder_for(resolver.workspace_of(request))
        key = card_key(spec, library(folder).digest, resolver.digests)
        result = CardResult(name, alt_text, list(problems), key, path=out_dir / f"{name}.png")
        write_atomic(out_dir / f"{name}.alt.txt", (alt_text + "\n").encode("utf-8"))
        hit = cache.get(key) if cache else None
        if hit is not None:
            write_atomic(result.path, hit[0].read_bytes())
            result.problems += [_problem(d) for d in hit[1]]
            result.cached = True
        else:
            pending.append((result, spec, folder))
        results.append(result)
    _draw_pending(pending, jobs, str(cache.folder) if cache else None)
    return results


def _draw_pending(pending: list, jobs: int | None, cache_dir: str | None) -> None:
    jobs = max(1, jobs or os.cpu_count() or 1)
    arguments = [(spec, folder, result.cache_key, str(result.path), cache_dir) for result, spec, folder in pending]
    if jobs == 1 or len(pending) < 2:
        outcomes = [_draw_to_files(*args) for args in arguments]
    else:
        folders = {folder for _, _, folder in pending}
        initial = folders.pop() if len(folders) == 1 else str(FONT_DIR)
        with ProcessPoolExecutor(max_workers=min(jobs, len(pending)), initializer=_init_worker,
                                 initargs=(initial,)) as pool:
            chunk = max(1, len(pending) // (jobs * 4))
            outcomes = list(pool.map(_draw_to_files, *zip(*arguments), chunksize=chunk))
    for (result, _spec, _folder), dicts in zip(pending, outcomes):
        result.problems += [_problem(d) for d in dicts]
        if not result.path.is_file():
            result.path = None


def _problem(data: dict) -> Problem:
    from generator.errors import Severity

    return Problem(Severity(data["severity"]), data["code"], data["message"], data["where"])
