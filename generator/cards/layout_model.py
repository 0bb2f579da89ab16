"""What a card layout is, once checked: its layers and their boxes (layouts.py reads and checks the files)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from generator.platforms import CardFormat

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
    format_sizes: tuple = ()  # (format name, (min, max)) pairs replacing the size range in those formats
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

    def sizes_in(self, format_name: str) -> tuple[int, int]:
        """(min, max) px of the text in that format: a story fills a phone's screen, a landscape card a line."""
        return dict(self.format_sizes).get(format_name, (self.min_size, self.max_size))

    @property
    def smallest_size(self) -> int:
        """The least size the text may take in any format."""
        return min([self.min_size] + [low for _, (low, _high) in self.format_sizes])


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
