"""The visual regression matrix of the card renderer, shared by tests/test_card_visual.py and
tools/update_card_references.py: which cards are drawn, and how a drawn card is compared with its reference.

References are stored at half size (tests/data/cards/reference/): a change a designer would see at full size
shows at half size too, and the repository stays small. Two cards are the same when their pixels differ by at
most MEAN_TOLERANCE levels on average and no more than CHANGED_SHARE of the pixels differ by over
CHANGED_LEVEL: the antialiasing of another FreeType build passes, a moved line or a new colour does not."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageChops, ImageStat

from cardsupport import DATA, WORKSPACE, build_campaign
from generator.cards import CardRequest, render_card

REFERENCES = DATA / "reference"
MATRIX = [(layout, card_format, language)
          for layout in ("statement", "figure", "quote", "photo")
          for card_format in ("square", "landscape")
          for language in ("en", "ar", "zh", "ru")]
MESSAGE = "seven-in-ten"  # a sourced figure, a headline and a text in every script
MEAN_TOLERANCE = 1.0
CHANGED_LEVEL = 64
CHANGED_SHARE = 0.002


def reference_path(layout: str, card_format: str, language: str) -> Path:
    return REFERENCES / f"{layout}-{card_format}-{language}.png"


def draw_half_size(layout: str, card_format: str, language: str) -> Image.Image:
    """The matrix card, drawn now, at half size (a 2 x 2 box average: deterministic)."""
    result = render_card(CardRequest(build_campaign(), MESSAGE, language, card_format, layout, platforms=(),
                                     workspace=WORKSPACE))
    assert result.png is not None, result.problems
    return Image.open(io.BytesIO(result.png)).convert("RGB").reduce(2)


def difference(reference: Image.Image, drawn: Image.Image) -> tuple[float, float, Image.Image]:
    """(mean level difference, share of pixels changed by over CHANGED_LEVEL, the difference image)."""
    diff = ImageChops.difference(reference, drawn)
    mean = sum(ImageStat.Stat(diff).mean) / 3
    red, green, blue = diff.split()
    strongest = ImageChops.lighter(ImageChops.lighter(red, green), blue)  # a change in any channel, not brightness
    changed = sum(strongest.histogram()[CHANGED_LEVEL + 1:]) / (drawn.width * drawn.height)
    return mean, changed, diff


def side_by_side(reference: Image.Image, drawn: Image.Image, diff: Image.Image) -> Image.Image:
    """Reference, card as drawn now, and their difference made visible (x4), for a person to look at."""
    width, height = drawn.size
    sheet = Image.new("RGB", (3 * width, height), "white")
    sheet.paste(reference, (0, 0))
    sheet.paste(drawn, (width, 0))
    sheet.paste(diff.point(lambda level: min(255, level * 4)), (2 * width, 0))
    return sheet
