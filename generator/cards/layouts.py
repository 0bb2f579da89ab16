"""Card layouts: layouts are data (templates/cards/<layout>.yaml: the workspace's own, else the stock ones
campaign-gen ships), checked here.

A layout is a list of layers drawn in order: backgrounds and panels, images and the logo, and text layers
(headline, body, hashtag strip, source line, free text). Each non-background layer has a box given as fractions
of the format's safe area, so one layout serves every format (the formats are in the platform table,
platforms.card_formats()). docs/cards.md describes the format.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, field
from pathlib import Path

from generator.cards.fonts import FONT_ROLES
from generator.errors import InvalidInput, UsageError
from generator.fields import HEX_COLOUR, Checker
from generator.model import COLOUR_ROLES
from generator.platforms import CardFormat, card_formats
from generator.workspace import display_path, file_version
from generator.yamlfile import Document, load_yaml

TEXT_LAYER_VALUES = {  # a text layer's default value, a Jinja expression over the card context
    "headline": "{{ headline }}",
    "body": "{{ body }}",
    "hashtags": "{{ hashtags }}",
    "source": "{{ source }}",
    "text": None,  # free text: `value` is required
}
# `logo` is the campaign's logo (always drawn; partners may not change it); `partner_logo` is the logo of the
# partner building the card, drawn only when there is one; `photo` is the message's own image (`image:`), drawn
# only when it has one.
IMAGE_LAYER_TYPES = ("image", "logo", "partner_logo", "photo")
# Made from the brand, not from files: `shapes` draws a pattern in a brand colour (the background a card has
# when no photo is available); `scrim` darkens towards one side, so text stays readable over a photo.
DRAWN_LAYER_TYPES = ("shapes", "scrim")
PATTERNS = ("rings", "stripes", "dots")
LAYER_TYPES = ("background", "panel", *DRAWN_LAYER_TYPES, *IMAGE_LAYER_TYPES, *TEXT_LAYER_VALUES)
ALIGNMENTS = ("start", "center", "end")  # start is left in left-to-right text, right in Arabic
VERTICAL_ALIGNMENTS = ("top", "middle", "bottom")
DIRECTIONS = ("vertical", "horizontal", "diagonal")
# A layout's type scale: text sizes are base x ratio^n, so every card of the layout, in any language and
# format, uses the same few sizes and a set of cards looks like a set (1.2, the minor third, by default).
DEFAULT_SCALE_RATIO = 1.2

# Layer types that carry what the campaign locks (its logo, fact sources, required hashtags): never a partner's.
ALWAYS_LOCKED_TYPES = ("logo", "source", "hashtags")
_LAYER_KEYS = ("id", "type", "box", "area", "locked", "colour", "gradient", "image", "fit", "opacity", "value",
               "font", "size", "max_lines", "line_height", "align", "valign", "formats", "pattern", "from", "to",
               "direction")
_TOP_KEYS = ("name", "description", "alt_text", "type_scale", "layers")
_LOADED: dict = {}  # (file version, display name) -> Layout, for load_layout


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float

    def pixels(self, card_format: CardFormat, area: str, mirrored: bool = False) -> tuple[int, int, int, int]:
        """(left, top, width, height) in pixels of the format, from fractions of the safe area or canvas.
        `mirrored` flips the box left to right, for right-to-left languages."""
        ox, oy, ow, oh = card_format.safe_box if area == "safe" else (0, 0, card_format.width, card_format.height)
        x = 1 - self.x - self.w if mirrored else self.x
        left, top = ox + round(x * ow), oy + round(self.y * oh)
        return left, top, ox + round((x + self.w) * ow) - left, oy + round((self.y + self.h) * oh) - top


FULL = Box(0.0, 0.0, 1.0, 1.0)


@dataclass(frozen=True)
class Layer:
    id: str
    type: str
    box: Box = FULL
    format_boxes: tuple = ()  # (format name, Box) pairs replacing `box` in those formats
    format_max_lines: tuple = ()  # (format name, max_lines) pairs replacing `max_lines` in those formats
    area: str = "safe"  # "safe" or "canvas"
    locked: bool = False
    colour: str | None = None  # brand role or hex
    gradient: tuple = ()  # (from, to, direction)
    pattern: str = ""  # shapes: one of PATTERNS
    fade: tuple = ()  # scrim: (opacity at the start, opacity at the end, direction)
    image: str | None = None  # path inside assets/
    fit: str = "contain"
    opacity: float = 1.0
    value: str | None = None  # Jinja source of a text layer
    font: str = "regular"
    min_size: int = 24
    max_size: int = 64
    max_lines: int = 4
    line_height: float = 1.2
    align: str = "start"
    valign: str = "top"
    where: str = ""  # `path:line:col` of the layer, for messages

    @property
    def is_text(self) -> bool:
        return self.type in TEXT_LAYER_VALUES

    def box_for(self, format_name: str) -> Box:
        return dict(self.format_boxes).get(format_name, self.box)

    def max_lines_for(self, format_name: str) -> int:
        return dict(self.format_max_lines).get(format_name, self.max_lines)


@dataclass(frozen=True)
class Layout:
    name: str
    description: dict  # language -> a short description of the card, the start of its default alt text
    alt_text: str | None
    layers: tuple
    path: str
    data: dict = field(compare=False, default_factory=dict)  # the YAML as loaded, for cache keys
    type_scale: tuple = ()  # (base px, ratio): the sizes text layers may take; () for any size
    warnings: tuple = field(compare=False, default=())  # Problems that do not stop the layout from drawing

    def description_in(self, language: str) -> str:
        return self.description.get(language) or self.description.get(language.split("-")[0]) or \
            self.description.get("en", "")

    def sizes_for(self, low: int, high: int) -> tuple[int, ...]:
        """The sizes from `low` to `high` px a text may take: the steps of the type scale between them (the
        nearest step above `low` when none is), or every size when the layout has no scale."""
        if not self.type_scale:
            return ()
        base, ratio = self.type_scale
        exponent = math.floor(math.log(low / base, ratio)) - 1  # a step below `low`, then up the scale
        inside = []
        while (step := round(base * ratio ** exponent)) <= high:
            if step >= low and step not in inside:
                inside.append(step)
            exponent += 1
        return tuple(inside) or (step,)  # none between: the first step above them

    def layer(self, layer_id: str) -> Layer:
        for layer in self.layers:
            if layer.id == layer_id:
                return layer
        raise KeyError(layer_id)

    @property
    def locked_layers(self) -> tuple[str, ...]:
        """Ids of the layers a partner may not override: those marked `locked: true`, and whatever layout
        says so, the campaign's logo, its fact sources and its hashtag strip (the campaign locks them)."""
        return tuple(layer.id for layer in self.layers if layer.locked or layer.type in ALWAYS_LOCKED_TYPES)



def layout_path(templates_dir: Path, name: str) -> Path:
    return Path(templates_dir) / "cards" / f"{name}.yaml"


def available_layouts(templates_dir: Path) -> list[str]:
    return sorted(p.stem for p in (Path(templates_dir) / "cards").glob("*.yaml"))


def layout_names(templates_dirs) -> list[str]:
    """Every layout the templates folders hold between them (a workspace's own and the stock ones), sorted."""
    return sorted({name for folder in templates_dirs for name in available_layouts(folder)})


def unknown_layout(name: str, templates_dirs) -> str:
    """`unknown card layout 'figur'; known layouts: figure, ...; did you mean 'figure'?`"""
    known = layout_names(templates_dirs)
    close = difflib.get_close_matches(name, known, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return f"unknown card layout '{name}'; known layouts: {', '.join(known) or 'none'}{hint}"


def find_layout(templates_dirs: list, name: str, display_root: Path | None = None) -> Layout:
    """The layout `name` from the first templates folder that has it (a partner's first, then the workspace's,
    then the stock one)."""
    for folder in templates_dirs:
        path = layout_path(folder, name)
        if path.is_file():
            return load_layout(path, display_path(path, display_root) if display_root is not None else None)
    raise UsageError(unknown_layout(name, templates_dirs))


def load_layout(path: Path, display: str | None = None) -> Layout:
    """Read and check a layout file; every error in it is reported at once with its line (InvalidInput). A process
    reads each version of a file once: every card of a pack (and every save `serve` builds) asks for the same few."""
    key = (file_version(path), display)
    if key not in _LOADED:
        _LOADED[key] = check_layout(load_yaml(path, display), Path(path).stem)  # errors raise: never kept
    return _LOADED[key]


def check_layout(document: Document, default_name: str) -> Layout:
    check = Checker(document, "card-layout")
    check.mapping((), _TOP_KEYS, ("layers",))
    name = check.string(("name",), required=False, default=default_name)
    description = _check_description(check)
    alt_text = check.string(("alt_text",), required=False)
    type_scale = _check_type_scale(check)
    layers = []
    seen = set()
    for index, _ in enumerate(check.items(("layers",))):
        layer = _check_layer(check, ("layers", index))
        if layer is None:
            continue
        if layer.id in seen:
            check.error(("layers", index, "id"), f"the layer id '{layer.id}' is used twice", "duplicate")
        seen.add(layer.id)
        layers.append(layer)
    if check.errors:
        raise InvalidInput(check.problems)
    for layer in layers:
        _check_capacity(check, layer)
    return Layout(name, description, alt_text, tuple(layers), document.path, document.data, type_scale,
                  tuple(check.problems))


def _check_type_scale(check: Checker) -> tuple:
    """`type_scale: {base: 24, ratio: 1.2}`: text sizes are base x ratio^n (n any whole number)."""
    if not check.has(("type_scale",)):
        return ()
    check.mapping(("type_scale",), ("base", "ratio"), ("base",))
    base = check.integer(("type_scale", "base"), low=8, high=400)
    ratio = check.number(("type_scale", "ratio"), required=False, low=1.05, high=2, default=DEFAULT_SCALE_RATIO)
    return (base, ratio) if base is not None and ratio is not None else ()


def _check_capacity(check: Checker, layer: Layer) -> None:
    """`card-layout.max-lines` (a warning) when a text box cannot hold its max_lines at the minimum size in
    some format: the text would overflow before reaching them, so max_lines promises what the box cannot give."""
    if not layer.is_text:
        return
    pitch = max(1, round(layer.min_size * layer.line_height))  # the line pitch textfit uses at that size
    for card_format in card_formats().values():
        lines = layer.max_lines_for(card_format.name)
        height = layer.box_for(card_format.name).pixels(card_format, layer.area)[3]
        if height < lines * pitch:
            check.warn(_layer_path(check, layer), f"layer '{layer.id}' in the {card_format.name} format: the box is "
                       f"{height} px high, {lines} lines at the minimum size {layer.min_size} px need "
                       f"{lines * pitch} px; give the box at least that height or max_lines {height // pitch} "
                       f"(per format: formats.{card_format.name}.max_lines)", "max-lines")


def _layer_path(check: Checker, layer: Layer) -> tuple:
    for index, raw in enumerate(check.get(("layers",)) or []):
        if isinstance(raw, dict) and raw.get("id", raw.get("type")) == layer.id:
            return ("layers", index)
    return ("layers",)


def _check_layer(check: Checker, at: tuple) -> Layer | None:
    raw = check.mapping(at, _LAYER_KEYS, ("type",))
    if not raw:
        return None
    kind = check.choice(at + ("type",), LAYER_TYPES)
    if kind is None:
        return None
    values: dict = {"type": kind, "where": str(check.document.source.location(at))}
    values["id"] = check.identifier(at + ("id",), required=False) or kind
    values["locked"] = check.boolean(at + ("locked",))
    values["area"] = check.choice(at + ("area",), ("safe", "canvas"), required=False,
                                  default="canvas" if kind == "background" else "safe")
    if kind != "background" or check.has(at + ("box",)):
        box = _check_box(check, at + ("box",), required=kind != "background")
        if box is not None:
            values["box"] = box
    if check.has(at + ("formats",)):
        boxes, max_lines = [], []
        for format_name in check.mapping(at + ("formats",), card_formats()):
            if format_name not in card_formats():
                continue
            here = at + ("formats", format_name)
            keys = ("box", "max_lines") if kind in TEXT_LAYER_VALUES else ("box",)
            given = check.mapping(here, keys, () if kind in TEXT_LAYER_VALUES else ("box",))
            if "box" in given:
                box = _check_box(check, here + ("box",), required=True)
                if box is not None:
                    boxes.append((format_name, box))
            if "max_lines" in given and "max_lines" in keys:
                lines = check.integer(here + ("max_lines",), low=1, high=40)
                if lines is not None:
                    max_lines.append((format_name, lines))
        values["format_boxes"], values["format_max_lines"] = tuple(boxes), tuple(max_lines)
    if kind in ("background", "panel"):
        _check_fill(check, at, values)
    if kind in DRAWN_LAYER_TYPES:
        _check_drawn(check, at, kind, values)
    if kind in IMAGE_LAYER_TYPES:
        if kind == "image":
            values["image"] = check.string(at + ("image",))
        values["fit"] = check.choice(at + ("fit",), ("contain", "cover"), required=False,
                                     default="cover" if kind == "photo" else "contain")
        values["align"] = check.choice(at + ("align",), ALIGNMENTS, required=False, default="start")
        values["valign"] = check.choice(at + ("valign",), VERTICAL_ALIGNMENTS, required=False, default="top")
    if kind in TEXT_LAYER_VALUES:
        _check_text(check, at, kind, values)
    if check.has(at + ("opacity",)):
        values["opacity"] = check.number(at + ("opacity",), low=0, high=1, default=1.0)
    return Layer(**{k: v for k, v in values.items() if v is not None})


def _check_description(check: Checker) -> dict:
    """`description`: one text, or one per language (`en` required), so alt text is in the card's language."""
    value = check.get(("description",))
    if isinstance(value, dict):
        check.mapping(("description",), [str(k) for k in value], ("en",))
        return {str(k): check.string(("description", k)) or "" for k in value}
    text = check.string(("description",), required=False, default="") or ""
    return {"en": text} if text else {}


def _check_box(check: Checker, at: tuple, required: bool) -> Box | None:
    raw = check.mapping(at, ("x", "y", "w", "h"), ("x", "y", "w", "h"), optional=not required)
    if not raw:
        return None
    x, y, w, h = (check.number(at + (key,), low=-10, high=10) for key in ("x", "y", "w", "h"))
    if None in (x, y, w, h):
        return None
    if w <= 0 or h <= 0:
        check.error(at, f"the box has no area (w {w}, h {h}); w and h must be above 0", "box")
        return None
    if x < 0 or y < 0 or x + w > 1.0001 or y + h > 1.0001:
        check.error(at, f"the box x {x}, y {y}, w {w}, h {h} reaches outside the canvas; x and y must be at least 0 "
                        "and x + w, y + h at most 1 (fractions of the area)", "box")
        return None
    return Box(x, y, w, h)


def _check_colour_value(check: Checker, at: tuple) -> str | None:
    value = check.string(at)
    if value is None:
        return None
    if value in COLOUR_ROLES or HEX_COLOUR.match(value):
        return value
    close = difflib.get_close_matches(value, COLOUR_ROLES, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    check.error(at, f"'{value}' is neither a brand colour ({', '.join(COLOUR_ROLES)}) nor a hex colour{hint}",
                "colour")
    return None


def _check_fill(check: Checker, at: tuple, values: dict) -> None:
    given = [key for key in ("colour", "gradient", "image") if check.has(at + (key,))]
    if len(given) != 1:
        check.error(at, "give exactly one of colour, gradient or image", "fill")
        return
    if given == ["colour"]:
        values["colour"] = _check_colour_value(check, at + ("colour",))
    elif given == ["gradient"]:
        check.mapping(at + ("gradient",), ("from", "to", "direction"), ("from", "to"))
        start = _check_colour_value(check, at + ("gradient", "from"))
        end = _check_colour_value(check, at + ("gradient", "to"))
        direction = check.choice(at + ("gradient", "direction"), DIRECTIONS, required=False, default="vertical")
        if start and end:
            values["gradient"] = (start, end, direction)
    else:
        values["image"] = check.string(at + ("image",))
        values["fit"] = "cover"


def _check_drawn(check: Checker, at: tuple, kind: str, values: dict) -> None:
    """`shapes`: `pattern` and `colour` (`opacity` softens it); `scrim`: `colour` fading from the opacity
    `from` to the opacity `to` along `direction` (top to bottom, left to right, or top left to bottom right)."""
    values["colour"] = _check_colour_value(check, at + ("colour",))
    if kind == "shapes":
        values["pattern"] = check.choice(at + ("pattern",), PATTERNS)
        return
    start = check.number(at + ("from",), required=False, low=0, high=1, default=0.0)
    end = check.number(at + ("to",), required=False, low=0, high=1, default=0.8)
    direction = check.choice(at + ("direction",), DIRECTIONS, required=False, default="vertical")
    if None not in (start, end, direction):
        values["fade"] = (start, end, direction)


def _check_text(check: Checker, at: tuple, kind: str, values: dict) -> None:
    default = TEXT_LAYER_VALUES[kind]
    values["value"] = check.string(at + ("value",), required=default is None, default=default)
    values["font"] = check.choice(at + ("font",), FONT_ROLES, required=False, default="regular")
    values["colour"] = _check_colour_value(check, at + ("colour",)) if check.has(at + ("colour",)) else "text"
    size = check.mapping(at + ("size",), ("min", "max"), ("min", "max"))
    low = check.integer(at + ("size", "min"), low=8, high=400) if size else None
    high = check.integer(at + ("size", "max"), low=8, high=400) if size else None
    if low is not None and high is not None:
        if low > high:
            check.error(at + ("size",), f"min {low} is above max {high}", "size")
        values["min_size"], values["max_size"] = low, high
    values["max_lines"] = check.integer(at + ("max_lines",), required=False, low=1, high=40, default=4)
    values["line_height"] = check.number(at + ("line_height",), required=False, low=0.8, high=3, default=1.2)
    values["align"] = check.choice(at + ("align",), ALIGNMENTS, required=False, default="start")
    values["valign"] = check.choice(at + ("valign",), VERTICAL_ALIGNMENTS, required=False, default="top")
