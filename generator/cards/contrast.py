"""Colour contrast as WCAG 2.x defines it, measured on the pixels a text actually sits on.

Relative luminance and contrast ratio: WCAG 2.2, Success Criterion 1.4.3 and its definitions
(https://www.w3.org/TR/WCAG22/#dfn-relative-luminance, #dfn-contrast-ratio). Thresholds: 4.5:1 for text,
3:1 for large text, which WCAG defines as at least 18 point, or 14 point bold (24 px and 18.67 px at 96 dpi);
cards are viewed scaled down on phones, so we treat card pixels as CSS pixels, the conservative reading.
"""

from __future__ import annotations

from PIL import Image

NORMAL_TEXT_MINIMUM = 4.5
LARGE_TEXT_MINIMUM = 3.0
LARGE_TEXT_PX = 24.0  # 18 pt
LARGE_BOLD_TEXT_PX = 18.66  # 14 pt bold
SAMPLED_PIXELS = 60_000  # a larger backdrop is sampled on a grid
FEW_COLOURS = 4096


def parse_hex(colour: str) -> tuple[int, int, int]:
    """`#F58220` or `#FFF` -> (245, 130, 32)."""
    value = colour.lstrip("#")
    if len(value) == 3:
        value = "".join(ch * 2 for ch in value)
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4  # WCAG 2.x; 0.04045 per sRGB


_LINEAR = [_channel(v) for v in range(256)]


def relative_luminance(rgb: tuple[int, int, int]) -> float:
    r, g, b = rgb[:3]
    return 0.2126 * _LINEAR[r] + 0.7152 * _LINEAR[g] + 0.0722 * _LINEAR[b]


def contrast_ratio(first: tuple[int, int, int], second: tuple[int, int, int]) -> float:
    a, b = relative_luminance(first), relative_luminance(second)
    lighter, darker = max(a, b), min(a, b)
    return (lighter + 0.05) / (darker + 0.05)


def minimum_ratio(size_px: float, bold: bool) -> float:
    large = size_px >= LARGE_TEXT_PX or (bold and size_px >= LARGE_BOLD_TEXT_PX)
    return LARGE_TEXT_MINIMUM if large else NORMAL_TEXT_MINIMUM


def worst_contrast(text_rgb: tuple[int, int, int], backdrop: Image.Image) -> tuple[float, tuple[int, int, int]]:
    """The lowest ratio between the text colour and any pixel of the backdrop under the text, and that pixel.

    Every distinct colour is checked (a gradient or photo behind the text counts at its worst point). Large
    backdrops are sampled on a grid first, at most every third pixel each way: getcolors is exact but its cost
    grows with the pixel count, and no shape a layout draws is thinner than three pixels.
    """
    rgb = backdrop if backdrop.mode == "RGB" else backdrop.convert("RGB")
    if rgb.width * rgb.height > SAMPLED_PIXELS:
        factor = min(3, max(1, int((rgb.width * rgb.height / SAMPLED_PIXELS) ** 0.5)))
        rgb = rgb.resize((max(1, rgb.width // factor), max(1, rgb.height // factor)), Image.Resampling.NEAREST)
    # getcolors sizes its table by maxcolors: a small one first (a flat backdrop has few colours), every pixel's
    # only when that is too few (a photo)
    colours = rgb.getcolors(maxcolors=FEW_COLOURS) or rgb.getcolors(maxcolors=rgb.width * rgb.height)
    worst = (float("inf"), (0, 0, 0))
    seen_luminance = set()
    for _count, colour in colours:
        luminance = round(relative_luminance(colour), 6)
        if luminance in seen_luminance:
            continue
        seen_luminance.add(luminance)
        ratio = contrast_ratio(text_rgb, colour)
        if ratio < worst[0]:
            worst = (ratio, colour)
    return worst
