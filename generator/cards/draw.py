"""From a resolved card to pixels: plan the drawing (fit text, place runs), then draw the plan with Pillow.

Planning and drawing are apart so that the benchmark's floor can replay a plan (the same Pillow calls, fonts,
sizes, positions and PNG settings) without any layout work, and compare. A plan is a list of plain tuples:

    ("fill", (r, g, b, a), box)                 ("gradient", rgb_from, rgb_to, direction, box)
    ("shapes", pattern, rgb, opacity, box, mirrored)
    ("scrim", rgb, opacity_from, opacity_to, direction, box)
    ("image", path, display, box, fit, align, valign, opacity)
    ("check", layer_id, box, rgb, size, bold)   the renderer measures contrast here; the floor skips it
    ("text", x, baseline, text, family, role, size, rgb, direction, language)
    ("emoji", x, baseline, text, size)          ("outline", box, rgb)   the --debug boxes

where box is (left, top, width, height) in pixels.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from PIL import Image, ImageDraw

from generator.cards.backdrops import gradient, pattern_mask, scrim_mask
from generator.cards.images import ImageCache
from generator.cards.contrast import minimum_ratio, parse_hex, worst_contrast
from generator.errors import error, warning
from generator.cards.fonts import EMOJI, LATIN, FontLibrary, describe_character, language_chain
from generator.cards.layouts import IMAGE_LAYER_TYPES, Layer, Layout
from generator.cards.png import encode_png
from generator.platforms import CardFormat
from generator.model import is_right_to_left, text_direction
from generator.cards.textfit import FittedText, Overflow, TextStyle, fit_text

DEBUG_SAFE_AREA = (0, 160, 255)
DEBUG_BOX = (255, 0, 160)
# Where a line's baseline sits in its line pitch: half the pitch plus 0.35 em, which centres the middle of
# Latin capitals and x-height, of Chinese ideographs and of Arabic letters on the pitch's midline.
BASELINE_EM = 0.35


# The hashtag strip stays legible on a phone: never smaller than this share of the card's height (27 px on a
# 1080 px square, 48 px on a 1920 px story); it drops suggested tags to keep to it.
LEGIBLE_SHARE = 0.025
SMALL_PRINT = ("hashtags",)

# A headline's lines are balanced (even lengths, as CSS text-wrap: balance); other text keeps a lone word or
# character off its last line (text-wrap: pretty).
WRAP_BY_TYPE = {"headline": "balance"}


@dataclass
class CardSpec:
    """Everything a worker needs to draw one card: plain, picklable values, no campaign objects."""

    card_format: CardFormat
    layout: Layout
    texts: dict  # layer id -> text (rendered, emoji included)
    colours: dict  # brand role -> "#RRGGBB"
    images: dict  # layer id -> (absolute path, display name)
    language: str
    label: str  # campaign/message/language/format/layout, for messages
    debug: bool = False
    latin: str = LATIN  # the font family in the Latin role: the campaign's brand.font (FontLibrary.family_key)
    alternatives: dict = field(default_factory=dict)  # layer id -> its texts to try in turn (hashtag strips)


@dataclass
class Plan:
    ops: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    drawable: bool = True  # False after an error that forbids drawing (overflow, uncovered character)
    # A gradient, a photo or a colour emoji: shades a 256-colour palette would band, so the PNG stays RGB
    smooth: bool = False
    # Each text layer as fitted, for `card --explain`: layer, type, size, box, wrap, max_lines, lines.
    fitted: list = field(default_factory=list)


def _colour(value: str, colours: dict) -> tuple[int, int, int]:
    return parse_hex(colours.get(value, value) if not value.startswith("#") else value)


def plan_card(spec: CardSpec, library: FontLibrary) -> Plan:
    plan = Plan()
    fmt = spec.card_format
    mirrored = is_right_to_left(spec.language)  # the whole layout mirrors, as the text's alignment does
    for layer in spec.layout.layers:
        box = layer.box_for(fmt.name).pixels(fmt, layer.area, mirrored)
        if layer.type in ("background", "panel"):
            _plan_fill(plan, layer, box, spec)
        elif layer.type == "shapes":
            plan.ops.append(("shapes", layer.pattern, _colour(layer.colour, spec.colours), layer.opacity, box,
                             mirrored))
        elif layer.type == "scrim":
            plan.smooth = True  # a fade: shades a palette would band
            plan.ops.append(("scrim", _colour(layer.colour, spec.colours), *layer.fade, box))
        elif layer.type in IMAGE_LAYER_TYPES:
            if layer.id in spec.images:
                plan.smooth = plan.smooth or layer.type == "photo"  # a photo's shades need RGB
                path, display = spec.images[layer.id]
                align = {"start": "end", "end": "start"}.get(layer.align, layer.align) if mirrored else layer.align
                plan.ops.append(("image", path, display, box, layer.fit, align, layer.valign, layer.opacity))
        elif layer.is_text:
            _plan_text(plan, layer, box, spec, library)
        if spec.debug and layer.type != "background":
            plan.ops.append(("outline", box, DEBUG_BOX))
    if spec.debug:
        plan.ops.append(("outline", fmt.safe_box, DEBUG_SAFE_AREA))
    return plan


def _plan_fill(plan: Plan, layer: Layer, box, spec: CardSpec) -> None:
    if layer.gradient or layer.image:
        plan.smooth = True
    if layer.gradient:
        start, end, direction = layer.gradient
        plan.ops.append(("gradient", _colour(start, spec.colours), _colour(end, spec.colours), direction, box))
    elif layer.image:
        path, display = spec.images[layer.id]
        plan.ops.append(("image", path, display, box, "cover", "center", "middle", layer.opacity))
    else:
        alpha = round(255 * layer.opacity)
        plan.ops.append(("fill", (*_colour(layer.colour, spec.colours), alpha), box))


def _plan_text(plan: Plan, layer: Layer, box, spec: CardSpec, library: FontLibrary) -> None:
    """Fit the layer's text, or the first of its alternatives that fits (a hashtag strip drops suggested tags
    from the end until it fits; only when the last, the required tags alone, does not is it an overflow)."""
    candidates = spec.alternatives.get(layer.id) or (spec.texts.get(layer.id, ""),)
    for index, candidate in enumerate(candidates):
        last = index == len(candidates) - 1
        if _plan_text_candidate(plan, layer, box, spec, library, candidate, last):
            return


def _plan_text_candidate(plan: Plan, layer: Layer, box, spec: CardSpec, library: FontLibrary, raw: str,
                         last: bool) -> bool:
    """Plan one text; False (nothing recorded) when it overflows and is not the `last` candidate."""
    # Runs of spaces and tabs become one space, as on the web: YAML indentation never shows on a card.
    text = "\n".join(" ".join(line.split()) for line in raw.strip().splitlines())
    if not text:
        return True
    where = f"{spec.label}: {layer.id}"
    assignment = library.assign(text, spec.language, spec.latin)
    if assignment.uncovered:
        names = ", ".join(f"'{ch}' ({describe_character(ch)})" for ch in assignment.uncovered)
        plan.problems.append(error("card.uncovered", f"no bundled font can draw {names}; the card is not drawn "
                                   "(add a font to assets/fonts/ or rebuild the subsets)", where))
        plan.drawable = False
        return True
    _, _, box_w, box_h = box
    min_size, max_size = layer.sizes_in(spec.card_format.name)
    if layer.type in SMALL_PRINT:
        min_size = max(min_size, math.ceil(LEGIBLE_SHARE * spec.card_format.height))
        max_size = max(max_size, min_size)
    sizes = spec.layout.sizes_for(min_size, max_size)  # the layout's type scale, if it has one
    if sizes:
        min_size, max_size = sizes[0], sizes[-1]
    style = TextStyle(layer.font, min_size, max_size, layer.max_lines_for(spec.card_format.name),
                      layer.line_height, spec.language, wrap=WRAP_BY_TYPE.get(layer.type, "pretty"), sizes=sizes)
    primary = language_chain(spec.language, spec.latin)[0]
    fitted = fit_text(library, assignment.runs, style, box_w, box_h, primary)
    if isinstance(fitted, Overflow):
        if not last:
            return False
        plan.problems.append(error("card.overflow", f"the text does not fit: {fitted.reason}", where))
        plan.drawable = False
        plan.fitted.append(_as_fitted(layer, box, style, fitted))
        return True
    for cluster in assignment.dropped_emoji:
        codes = " ".join(f"U+{ord(c):04X}" for c in cluster)
        plan.problems.append(warning("card.emoji-missing", f"emoji {cluster} ({codes}) is not in the bundled emoji "
                                     "font; left out of the card", where))
    _place_lines(plan, layer, box, spec, fitted)
    plan.fitted.append(_as_fitted(layer, box, style, fitted))
    return True


def _as_fitted(layer: Layer, box, style: TextStyle, fitted: FittedText | Overflow) -> dict:
    """A text layer as fitted, for `card --explain`: its size, box and lines, or why it does not fit."""
    entry = {"layer": layer.id, "type": layer.type, "size": None, "min_size": style.min_size,
             "max_size": style.max_size, "box": list(box), "wrap": style.wrap, "max_lines": style.max_lines,
             "lines": [], "widths": []}
    if isinstance(fitted, Overflow):
        return {**entry, "overflow": fitted.reason}
    return {**entry, "size": fitted.size, "lines": ["".join(run.text for run in line.runs) for line in fitted.lines],
            "widths": [round(line.width) for line in fitted.lines]}


def _place_lines(plan: Plan, layer: Layer, box, spec: CardSpec, fitted: FittedText) -> None:
    left, top, box_w, box_h = box
    rtl = is_right_to_left(spec.language)
    align = layer.align
    if rtl and align != "center":  # mirrored alignment: a right-to-left paragraph starts at the right
        align = "end" if align == "start" else "start"
    block_top = top + {"top": 0, "middle": (box_h - fitted.height) // 2, "bottom": box_h - fitted.height}[layer.valign]
    colour = _colour(layer.colour, spec.colours)
    extents = [_line_x(left, box_w, line.width, align) for line in fitted.lines]
    text_left = min(extents)
    text_right = max(x + round(line.width) for x, line in zip(extents, fitted.lines))
    check_box = (text_left, block_top, max(1, text_right - text_left), max(1, fitted.height))
    plan.ops.append(("check", layer.id, check_box, colour, fitted.size, layer.font == "bold"))
    for index, line in enumerate(fitted.lines):
        baseline = block_top + index * fitted.pitch + round(fitted.pitch / 2 + BASELINE_EM * fitted.size)
        x = float(extents[index])
        pairs = list(zip(line.runs, line.widths))
        if rtl:
            # Runs of different fonts (Arabic text, emoji, Chinese) in visual order; within a run raqm orders the
            # text. Digits and Latin words in Arabic are in the Arabic family's run (fonts.FAMILIES), so this
            # reversal only ever moves whole runs that sit at the paragraph's right-to-left level.
            pairs.reverse()
        for run, width in pairs:
            if run.family == EMOJI:
                plan.smooth = True
                plan.ops.append(("emoji", round(x), baseline, run.text, fitted.size))
            else:
                direction = text_direction(spec.language)  # raqm's FriBiDi orders the run within it
                plan.ops.append(("text", round(x), baseline, run.text, run.family, layer.font, fitted.size, colour,
                                 direction, spec.language))
            x += width


def _line_x(left: int, box_w: int, width: float, align: str) -> int:
    if align == "center":
        return left + round((box_w - width) / 2)
    if align == "end":
        return left + round(box_w - width)
    return left


# -- drawing ---------------------------------------------------------------------------------------------------
def draw_plan(ops: list, size: tuple[int, int], library: FontLibrary, images: ImageCache,
              on_check=None) -> Image.Image:
    """Draw the plan's operations in order. `on_check(op, canvas)` is called at each contrast check point."""
    canvas = Image.new("RGB", size, (255, 255, 255))
    draw = ImageDraw.Draw(canvas)
    for op in ops:
        kind = op[0]
        if kind == "fill":
            _, rgba, (left, top, w, h) = op
            if rgba[3] == 255:
                draw.rectangle((left, top, left + w - 1, top + h - 1), fill=rgba[:3])
            else:
                canvas.paste(Image.new("RGB", (w, h), rgba[:3]), (left, top), Image.new("L", (w, h), rgba[3]))
        elif kind == "gradient":
            _, start, end, direction, (left, top, w, h) = op
            canvas.paste(gradient(start, end, direction, (w, h)), (left, top))
        elif kind == "shapes":
            _, pattern, rgb, opacity, (left, top, w, h), mirrored = op
            mask = pattern_mask(pattern, (w, h), mirrored, opacity)
            canvas.paste(Image.new("RGB", (w, h), rgb), (left, top), mask)
        elif kind == "scrim":
            _, rgb, start, end, direction, (left, top, w, h) = op
            canvas.paste(Image.new("RGB", (w, h), rgb), (left, top), scrim_mask(start, end, direction, (w, h)))
        elif kind == "image":
            _, path, display, (left, top, w, h), fit, align, valign, opacity = op
            picture = images.scaled(path, display, (w, h), fit)
            x = left + {"start": 0, "center": (w - picture.width) // 2, "end": w - picture.width}[align]
            y = top + {"top": 0, "middle": (h - picture.height) // 2, "bottom": h - picture.height}[valign]
            mask = picture.getchannel("A")
            if opacity < 1:
                mask = mask.point(lambda a, o=opacity: round(a * o))
            canvas.paste(picture.convert("RGB"), (x, y), mask)
        elif kind == "check":
            if on_check is not None:
                on_check(op, canvas)
        elif kind == "text":
            _, x, baseline, text, family, role, font_size, rgb, direction, language = op
            face = library.face(family, role, font_size)
            draw.text((x, baseline), text, font=face, fill=rgb, anchor="ls", direction=direction,
                      language=language)
        elif kind == "emoji":
            _, x, baseline, text, font_size = op
            picture = library.emoji_image(text, font_size)
            ascent = library.emoji_face().getmetrics()[0] * library.emoji_scale(font_size)
            canvas.paste(picture.convert("RGB"), (x, round(baseline - ascent)), picture.getchannel("A"))
        elif kind == "outline":
            _, (left, top, w, h), rgb = op
            draw.rectangle((left, top, left + w - 1, top + h - 1), outline=rgb, width=3)
    return canvas


def contrast_checker(spec: CardSpec, problems: list):
    """The renderer's on_check: WCAG contrast of the text colour against the pixels under the text box."""
    def check(op, canvas):
        _, layer_id, (left, top, w, h), rgb, font_size, bold = op
        right, bottom = min(canvas.width, left + w), min(canvas.height, top + h)
        backdrop = canvas.crop((max(0, left), max(0, top), right, bottom))
        ratio, behind = worst_contrast(rgb, backdrop)
        needed = minimum_ratio(font_size, bold)
        if ratio < needed:
            kind = "large text" if needed < 4.5 else "text"
            problems.append(error(
                "card.contrast",
                f"contrast {ratio:.2f}:1 between the text #{_hex(rgb)} and #{_hex(behind)} behind it is below "
                f"{needed:g}:1 (WCAG 2.x, {kind} at {font_size} px)", f"{spec.label}: {layer_id}"))
    return check


def _hex(rgb) -> str:
    return "".join(f"{c:02X}" for c in rgb[:3])


def render_spec(spec: CardSpec, library: FontLibrary, images: ImageCache) -> tuple[bytes | None, list]:
    """Plan, check and draw one card: (PNG bytes or None when an error forbids drawing, problems)."""
    plan = plan_card(spec, library)
    if not plan.drawable:
        return None, plan.problems
    problems = list(plan.problems)
    fmt = spec.card_format
    canvas = draw_plan(plan.ops, (fmt.width, fmt.height), library, images, contrast_checker(spec, problems))
    return encode_png(canvas, palette=not plan.smooth), problems


__all__ = ["CardSpec", "Plan", "plan_card", "draw_plan", "render_spec"]
