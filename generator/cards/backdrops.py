"""Backgrounds made from the brand, not from files: gradients, scrims and shape patterns.

A card without a photo still needs depth: the patterns are large, quiet shapes in one brand colour (concentric
rings from a corner, diagonal stripes, a grid of dots), drawn from the box size alone so the same card always
gives the same pixels. A scrim is a colour whose opacity fades along the card, laid over a photo so the text on
it keeps its contrast (the renderer then measures that contrast on the composited pixels).

Each is a function of its arguments alone, and every card of a format asks for the same few, so a process keeps
the last ones it made: what these functions return is shared, and must not be changed.
"""

from __future__ import annotations

from functools import lru_cache

from PIL import Image, ImageDraw

SUPERSAMPLE = 2  # shapes are drawn at twice the size and reduced: smooth edges without a slow antialiaser
RING_COUNT = 5
KEPT = 16  # backdrops a process keeps: a pack's formats x layouts x the two directions


@lru_cache(maxsize=KEPT)
def gradient(start, end, direction: str, size: tuple[int, int]) -> Image.Image:
    """From colour `start` to colour `end`: top to bottom, left to right, or top left to bottom right."""
    return Image.composite(Image.new("RGB", size, end), Image.new("RGB", size, start), _ramp(direction, size))


@lru_cache(maxsize=KEPT)
def scrim_mask(start: float, end: float, direction: str, size: tuple[int, int]) -> Image.Image:
    """The opacity of a scrim as an "L" mask: `start` at the top (left), `end` at the bottom (right)."""
    low, high = round(255 * start), round(255 * end)
    return _ramp(direction, size).point(lambda level: low + (high - low) * level // 255)


def _ramp(direction: str, size: tuple[int, int]) -> Image.Image:
    vertical = Image.linear_gradient("L")  # 256x256, black at the top to white at the bottom
    if direction == "vertical":
        return vertical.resize(size, Image.Resampling.BILINEAR)
    horizontal = vertical.rotate(90, expand=True).transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    if direction == "horizontal":
        return horizontal.resize(size, Image.Resampling.BILINEAR)
    # diagonal: the mean of both, dark at the top left
    return Image.blend(vertical, horizontal, 0.5).resize(size, Image.Resampling.BILINEAR)


@lru_cache(maxsize=KEPT)
def pattern_mask(pattern: str, size: tuple[int, int], mirrored: bool = False, opacity: float = 1.0) -> Image.Image:
    """Where the pattern's colour goes, as an "L" mask of `size`, at `opacity`. `mirrored` flips it left to right,
    as the whole layout is for right-to-left languages."""
    width, height = size
    big = Image.new("L", (width * SUPERSAMPLE, height * SUPERSAMPLE), 0)
    draw = ImageDraw.Draw(big)
    {"rings": _rings, "stripes": _stripes, "dots": _dots}[pattern](draw, big.width, big.height)
    mask = big.reduce(SUPERSAMPLE)
    if opacity < 1:
        mask = mask.point(lambda level: round(level * opacity))
    return mask.transpose(Image.Transpose.FLIP_LEFT_RIGHT) if mirrored else mask


def _rings(draw: ImageDraw.ImageDraw, width: int, height: int) -> None:
    """Concentric rings centred on the bottom end corner, as ripples reaching into the card."""
    reach = max(width, height)
    stroke = max(2, reach // 60)
    for index in range(RING_COUNT):
        radius = reach * (index + 1) // (RING_COUNT + 1)
        draw.ellipse((width - radius, height - radius, width + radius, height + radius), outline=255, width=stroke)


def _stripes(draw: ImageDraw.ImageDraw, width: int, height: int) -> None:
    """Broad diagonal bands rising to the end side, a band's width apart."""
    band = max(4, max(width, height) // 10)
    for start in range(-height, width, 2 * band):
        draw.polygon([(start, height), (start + band, height), (start + band + height, 0), (start + height, 0)],
                     fill=255)


def _dots(draw: ImageDraw.ImageDraw, width: int, height: int) -> None:
    """A regular grid of dots, growing towards the bottom end corner."""
    pitch = max(8, max(width, height) // 16)
    for row, y in enumerate(range(pitch // 2, height, pitch)):
        for column, x in enumerate(range(pitch // 2, width, pitch)):
            radius = pitch * (row + column + 2) // (4 * (height // pitch + width // pitch + 2)) + pitch // 12
            draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=255)
