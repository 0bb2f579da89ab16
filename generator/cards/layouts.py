"""Card layouts: layouts are data (templates/cards/<layout>.yaml: the workspace's own, else the stock ones
campaign-gen ships), checked here.

A layout is a list of layers drawn in order: backgrounds and panels, images and the logo, and text layers
(headline, body, hashtag strip, source line, free text). Each non-background layer has a box given as fractions
of the format's safe area, so one layout serves every format (the formats are in the platform table,
platforms.card_formats()). docs/cards.md describes the format.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from generator.cards.fonts import FONT_ROLES
from generator.cards.layout_model import (  # noqa: F401  (the model is imported from here too)
    ALIGNMENTS, DEFAULT_SCALE_RATIO, DIRECTIONS, DRAWN_LAYER_TYPES, IMAGE_LAYER_TYPES,
    LAYER_TYPES, PATTERNS, TEXT_LAYER_VALUES, VERTICAL_ALIGNMENTS, Box, Layer, Layout)
from generator.errors import InvalidInput, UsageError
from generator.fields import HEX_COLOUR, Checker
from generator.model import COLOUR_ROLES
from generator.platforms import card_formats
from generator.workspace import display_path, file_version
from generator.yamlfile import Document, load_yaml

_LAYER_KEYS = ("id", "type", "box", "area", "locked", "colour", "gradient", "image", "fit", "opacity", "value",
               "font", "size", "max_lines", "line_height", "align", "valign", "formats", "pattern", "from", "to",
               "direction")
_TOP_KEYS = ("name", "description", "alt_text", "type_scale", "layers")
_LOADED: dict = {}  # (file version, display name) -> Layout, for load_layout



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
    for card_format in card_formats().values():
        smallest = layer.sizes_in(card_format.name)[0]
        pitch = max(1, round(smallest * layer.line_height))  # the line pitch textfit uses at that size
        lines = layer.max_lines_for(card_format.name)
        height = layer.box_for(card_format.name).pixels(card_format, layer.area)[3]
        if height < lines * pitch:
            check.warn(_layer_path(check, layer), f"layer '{layer.id}' in the {card_format.name} format: the box is "
                       f"{height} px high, {lines} lines at the minimum size {smallest} px need "
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
        boxes, max_lines, sizes = [], [], []
        for format_name in check.mapping(at + ("formats",), card_formats()):
            if format_name not in card_formats():
                continue
            here = at + ("formats", format_name)
            keys = ("box", "max_lines", "size") if kind in TEXT_LAYER_VALUES else ("box",)
            given = check.mapping(here, keys, () if kind in TEXT_LAYER_VALUES else ("box",))
            if "box" in given:
                box = _check_box(check, here + ("box",), required=True)
                if box is not None:
                    boxes.append((format_name, box))
            if "max_lines" in given and "max_lines" in keys:
                lines = check.integer(here + ("max_lines",), low=1, high=40)
                if lines is not None:
                    max_lines.append((format_name, lines))
            if "size" in given and "size" in keys and (size := _check_size_range(check, here)) is not None:
                sizes.append((format_name, size))
        values["format_boxes"], values["format_max_lines"] = tuple(boxes), tuple(max_lines)
        values["format_sizes"] = tuple(sizes)
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
    size = _check_size_range(check, at)
    if size is not None:
        values["min_size"], values["max_size"] = size
    values["max_lines"] = check.integer(at + ("max_lines",), required=False, low=1, high=40, default=4)
    values["line_height"] = check.number(at + ("line_height",), required=False, low=0.8, high=3, default=1.2)
    values["align"] = check.choice(at + ("align",), ALIGNMENTS, required=False, default="start")
    values["valign"] = check.choice(at + ("valign",), VERTICAL_ALIGNMENTS, required=False, default="top")


def _check_size_range(check: Checker, at: tuple) -> tuple[int, int] | None:
    """`size: {min: 24, max: 60}` under `at`, in px."""
    size = check.mapping(at + ("size",), ("min", "max"), ("min", "max"))
    low = check.integer(at + ("size", "min"), low=8, high=400) if size else None
    high = check.integer(at + ("size", "max"), low=8, high=400) if size else None
    if low is None or high is None:
        return None
    if low > high:
        check.error(at + ("size",), f"min {low} is above max {high}", "size")
    return low, high
