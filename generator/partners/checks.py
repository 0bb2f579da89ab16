"""The checks of a partner kit beyond partner.yaml itself: its files, templates, card layouts and colours.

- files: nothing in the kit may be a link that leads out of the workspace (a template that is a link to
  /etc/passwd would otherwise be published as a post);
- post templates: each parses, and the templates it extends, includes or imports by name exist;
- rendered posts (only where posts are rendered anyway: `partner check`, build, render): a kit's own template
  may not drop what the campaign locks, nor add wording or figures the content guards refuse;
- card layouts (templates/cards/<layout>.yaml overriding the layout of the same name: the workspace's own,
  else the stock one campaign-gen ships; "stock" below means either): every layer the stock layout locks
  (Layout.locked_layers: `locked: true`, and the campaign's logo, fact source and hashtag layers always) is kept
  exactly as shipped, and no new or changed layer (the kit's own `partner_logo` layer included) is drawn over it,
  in any format's box;
- colours: the partner's colour overrides keep every text layer of every layout readable, per WCAG 2.x
  (contrast.py), on each campaign's brand with the overrides applied.

Each returns Problems naming the kit's file and line; kit.py raises them all together.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
import jinja2.meta

from generator.cards.request import DEFAULT_LAYOUT
from generator.cards.contrast import contrast_ratio, minimum_ratio, parse_hex
from generator.errors import CampaignGenError, InvalidInput, Problem, error
from generator.cards.layouts import Layer, Layout, find_layout, load_layout
from generator.platforms import card_formats
from generator.render import create_environment, template_error
from generator.workspace import Workspace
from generator.yamlfile import SourceMap, load_yaml

LAYOUT_FOLDER = "cards"
BUILD_LAYOUTS = (DEFAULT_LAYOUT,)  # the layouts `build` draws cards with
TEMPLATE_SUFFIXES = (".j2", ".jinja", ".txt")
FILL_TYPES = ("background", "panel")


def check_kit(workspace: Workspace, partner, source: SourceMap, campaigns) -> list[Problem]:
    """Every problem of the kit's templates, layouts and colours; nothing is rendered."""
    problems = []
    if (partner.folder / "templates").is_dir():
        problems += check_post_templates(workspace, partner.folder)
        problems += check_layout_overrides(workspace, partner.folder)
    problems += check_colours(workspace, partner, source, campaigns)
    return problems


def check_post_templates(workspace: Workspace, folder: Path) -> list[Problem]:
    """`partner.template` for a template that does not parse or names a template that does not exist,
    e.g. `partners/x/templates/posts/x.j2:3: syntax error: unexpected '}'`."""
    env = create_environment(workspace, folder)
    problems = []
    root = folder / "templates"
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if not path.is_file() or path.suffix not in TEMPLATE_SUFFIXES or relative.startswith(f"{LAYOUT_FOLDER}/"):
            continue
        shown = workspace.display(path)
        try:
            source = path.read_text(encoding="utf-8")
            ast = env.parse(source, relative, str(path))
            for name in jinja2.meta.find_referenced_templates(ast):
                if name is None:
                    continue
                try:
                    env.get_template(name)  # parses the parent too: an error there is named by its own file
                except jinja2.TemplateNotFound:
                    line = next((number for number, text in enumerate(source.splitlines(), 1) if name in text), 0)
                    problems.append(error("partner.template", f"template '{name}' not found",
                                          f"{shown}:{line}" if line else shown))
        except UnicodeDecodeError:
            problems.append(error("partner.template", "not UTF-8 text; save the file as UTF-8", shown))
        except Exception as err:  # noqa: BLE001 - every template failure is reported by render.py in one form
            reported = template_error(env, err, relative)
            where = str(reported.location) if reported.location else shown
            if isinstance(err, jinja2.TemplateSyntaxError) and err.filename == str(path):
                where = f"{shown}:{err.lineno}"
            problems.append(error("partner.template", reported.detail, where))
    return problems


# What a kit's post template must not do to a campaign's posts: drop what the campaign locks, or add wording
# and figures the content guards refuse. Reported against the kit's template, once each.
KIT_POST_RULES = ("hashtag.required-missing", "facts.unsourced", "facts.mismatch", "terms.avoid",
                  "link.insecure", "link.malformed")


def check_rendered_posts(workspace: Workspace, partner, campaigns) -> list[Problem]:
    """Render every message of every campaign with the kit, in the kit's languages, on every platform: a
    template that only fails when rendered (the sandbox refusing it, an undefined name) or that drops a
    required hashtag is refused here, so `partner check` refuses everything a build would."""
    from generator.posts import build_posts

    problems, seen = [], set()
    for campaign in campaigns:
        languages = [language for language in partner.languages if language in campaign.languages]
        try:
            posts = build_posts(campaign, workspace, languages=languages or None, partner=partner)
        except CampaignGenError as err:  # a template error names the kit's file and line itself
            if str(err) not in seen:  # the same error comes back from every campaign: say it once
                seen.add(str(err))
                problems.append(error("partner.template", err.detail, str(err.location or "")))
            continue
        problems += kit_post_problems(partner, posts, seen)
    return problems


def kit_post_problems(partner, posts, seen: set | None = None) -> list[Problem]:
    """The rules a kit's own post templates broke in `posts` (already rendered), each reported once against the
    kit's template: `partner.locked` for a dropped required hashtag, `partner.content` for refused wording,
    figures or links. Posts rendered from stock templates are the campaign's own business."""
    from generator.posts import PARTNER_TEMPLATE_PREFIX

    seen = set() if seen is None else seen
    problems = []
    for post in posts:
        if not post.template.startswith(PARTNER_TEMPLATE_PREFIX):
            continue
        shown = f"partners/{partner.id}/templates/{post.template.removeprefix(PARTNER_TEMPLATE_PREFIX)}"
        for problem in post.problems:
            key = (shown, problem.code)
            if problem.is_error and problem.code in KIT_POST_RULES and key not in seen:
                seen.add(key)
                problems.append(error("partner.locked" if problem.code.startswith("hashtag.") else
                                      "partner.content", f"{problem.message} (in {post.where}; the campaign's "
                                      "required hashtags, sources and wording rules hold for every kit)", shown))
    return problems


def refuse_kit_posts(partner, posts) -> None:
    """Build and render: raise InvalidInput (exit 2, as for any unusable kit) when the kit's own templates broke
    what the campaign locks in the posts just rendered."""
    problems = kit_post_problems(partner, posts) if partner is not None else []
    if problems:
        raise InvalidInput(problems)


def check_layout_overrides(workspace: Workspace, folder: Path) -> list[Problem]:
    """`partner.layout` / `partner.locked` for the kit's card layouts: each must be a valid layout, and keep the
    stock layout's locked layers exactly, uncovered by any layer the partner added or changed."""
    problems = []
    for path in sorted((folder / "templates" / LAYOUT_FOLDER).glob("*.yaml")):
        shown = workspace.display(path)
        try:
            override = load_layout(path, shown)
        except InvalidInput as err:
            problems += err.problems
            continue
        except CampaignGenError as err:
            problems.append(error("partner.layout", err.detail, str(err.location or shown)))
            continue
        shipped = workspace.template_file(f"{LAYOUT_FOLDER}/{path.name}")
        if shipped is not None:
            stock = load_layout(shipped, workspace.display(shipped))
            layers_line = str(load_yaml(path, shown).source.location(("layers",)))
            problems += _locked_layers_kept(stock, override, layers_line)
    return problems


def _locked_layers_kept(stock: Layout, override: Layout, layers_line: str) -> list[Problem]:
    problems = []
    stock_raw = {layer.get("id", layer.get("type")): layer for layer in stock.data.get("layers", [])
                 if isinstance(layer, dict)}
    override_raw = {layer.get("id", layer.get("type")): layer for layer in override.data.get("layers", [])
                    if isinstance(layer, dict)}
    locked = set(stock.locked_layers)
    for layer_id in sorted(locked):
        stock_layer = stock.layer(layer_id)
        if layer_id not in override_raw:
            problems.append(error("partner.locked", f"removes layer '{layer_id}', which is locked in {stock.path} "
                                  f"(at {stock_layer.where}); keep it as shipped", f"{layers_line}: layers"))
        elif override_raw[layer_id] != stock_raw[layer_id]:
            problems.append(error("partner.locked", f"layers.{layer_id}: changes a locked layer; keep it exactly as "
                                  f"in {stock.path} (at {stock_layer.where})", override.layer(layer_id).where))
    # a locked layer hidden under something the partner drew on top of it is as good as removed
    order = [layer.id for layer in override.layers]
    for layer_id in sorted(locked & set(order)):
        below = stock.layer(layer_id)
        for upper in override.layers[order.index(layer_id) + 1:]:
            unchanged = upper.id in stock_raw and stock_raw[upper.id] == override_raw.get(upper.id)
            if unchanged or upper.type == "background" or not _overlap(below, upper):
                continue
            problems.append(error("partner.locked", f"layers.{upper.id}: is drawn over the locked layer "
                                  f"'{layer_id}'; move it so the locked layer stays visible", upper.where))
    return problems


def _overlap(first: Layer, second: Layer) -> bool:
    """Whether two layers' boxes overlap on any card format (each format's own box, `formats:`)."""
    for card_format in card_formats().values():
        ax, ay, aw, ah = first.box_for(card_format.name).pixels(card_format, first.area)
        bx, by, bw, bh = second.box_for(card_format.name).pixels(card_format, second.area)
        if ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah:
            return True
    return False


# --- colours --------------------------------------------------------------------------------------------


def _layouts_for(workspace: Workspace, folder: Path) -> list[Layout]:
    """The layouts a partner's builds draw with (BUILD_LAYOUTS): the kit's own where it has one, else the stock
    one. A layout no build uses cannot make a card unreadable, so its colours are not held against the kit."""
    layouts, folders = [], [folder / "templates", *workspace.template_folders]
    for name in BUILD_LAYOUTS:
        try:
            layouts.append(find_layout(folders, name, workspace.root))
        except CampaignGenError:  # no such layout at all (the campaign's own checks say so), or a broken one
            continue  # (reported by check_layout_overrides for the kit's, by the stock layout's own checks)
    return layouts


def _resolve(colour: str | None, colours: dict) -> str | None:
    if colour is None:
        return None
    return colour if colour.startswith("#") else colours.get(colour)


def _backdrop(layout: Layout, text_layer: Layer, colours: dict) -> list[tuple[str, str]] | None:
    """The fills (colour role or hex, as written -> hex) under a text layer: the last fill covering the whole
    text box and every fill drawn over part of it since. None when an image lies under the text (no colour
    to compute; the card renderer measures the real pixels)."""
    under: list[tuple[str, str]] = []
    for layer in layout.layers:
        if layer is text_layer:
            break
        if layer.type not in FILL_TYPES or not _overlap(layer, text_layer):
            continue
        if layer.image:
            return None
        fills = [layer.colour] if layer.colour else list(layer.gradient[:2])
        resolved = [(fill, _resolve(fill, colours)) for fill in fills]
        if layer.opacity < 1 or any(hex_ is None for _, hex_ in resolved):
            continue  # a translucent fill or a role the brand lacks: the drawn card's own check decides
        if _covers(layer, text_layer):
            under = []
        under += resolved
    return under


def _covers(outer: Layer, inner: Layer) -> bool:
    for card_format in card_formats().values():
        ox, oy, ow, oh = outer.box_for(card_format.name).pixels(card_format, outer.area)
        ix, iy, iw, ih = inner.box_for(card_format.name).pixels(card_format, inner.area)
        if not (ox <= ix and oy <= iy and ox + ow >= ix + iw and oy + oh >= iy + ih):
            return False
    return True


def check_colours(workspace: Workspace, partner, source: SourceMap, campaigns) -> list[Problem]:
    """`partner.contrast` when a colour the partner overrides leaves a text layer below WCAG's minimum
    (4.5:1, or 3:1 for large text at the layer's smallest size) on a layout builds use, with some campaign's
    brand. A content problem (exit 1, like a card's own contrast), not an unusable kit: it is placed on the
    overriding line of partner.yaml."""
    if not partner.colours:
        return []
    brands = [(campaign.id, {**campaign.brand.colours, **partner.colours}) for campaign in campaigns] \
        or [("partner colours only", dict(partner.colours))]
    problems, seen = [], set()
    for layout in _layouts_for(workspace, partner.folder):
        for layer in layout.layers:
            if not layer.is_text:
                continue
            for campaign_id, colours in brands:
                text = _resolve(layer.colour, colours)
                backdrop = _backdrop(layout, layer, colours)
                if text is None or not backdrop:
                    continue
                needed = minimum_ratio(layer.smallest_size, "bold" in layer.font)
                for fill, fill_hex in backdrop:
                    roles = [r for r in (layer.colour, fill) if r in partner.colours]
                    if not roles:
                        continue  # the campaign's own colours: its own checks report them
                    ratio = contrast_ratio(parse_hex(text), parse_hex(fill_hex))
                    key = (layout.name, layer.id, text, fill_hex)
                    if ratio >= needed or key in seen:
                        continue
                    seen.add(key)
                    problems.append(error(
                        "partner.contrast",
                        f"{layer.colour} text ({text}) on {fill} ({fill_hex}) has a contrast of {ratio:.2f}:1 in "
                        f"layout '{layout.name}', layer '{layer.id}' (campaign {campaign_id}); WCAG needs "
                        f"{needed:g}:1", source.where(("colours", roles[0]))))
    return problems
