"""Draw the pictures of docs/cards.md (docs/img/card-*.png and docs/img/cards-*-languages.png) from the shipped
campaigns, and the synthetic photo the photo layout's tests and pictures use (tests/data/cards/photo.jpg).

Run from the repository root after changing a layout, a font or the renderer:
`.venv/bin/python tools/make_card_docs.py`. Cards are deterministic, so an unchanged card rewrites the same bytes.
"""

from __future__ import annotations

import io
import random
import sys
from dataclasses import replace
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.campaign import load_campaign  # noqa: E402
from generator.cards import CardRequest, render_card  # noqa: E402
from generator.workspace import Workspace  # noqa: E402

MESSAGE = "sexual-exploitation-share"  # a sourced figure in every UN language: figure, source line and hashtags
PICTURES = {  # file name -> (layout, format, language, debug)
    "card-statement-square-en.png": ("statement", "square", "en", False),
    "card-statement-landscape-zh.png": ("statement", "landscape", "zh", False),
    "card-figure-square-ar.png": ("figure", "square", "ar", False),
    "card-figure-story-en.png": ("figure", "story", "en", False),
    "card-statement-square-debug.png": ("statement", "square", "en", True),
}
LANGUAGES = ("en", "fr", "es", "ar", "ru", "zh")
# One sheet per layout: the same message in the six languages, as a set must look (campaign, message, format).
SHEETS = {
    "statement": ("sixteen-days", "orange-the-world", "portrait"),
    "figure": ("orange-day", MESSAGE, "portrait"),
    "quote": ("sixteen-days", "fund-womens-movements", "portrait"),
    "photo": ("orange-day", "orange-the-world", "portrait"),
}
SHEET_HEIGHT = 540
PHOTO = ROOT / "tests" / "data" / "cards" / "photo.jpg"
PHOTO_ALT = {"en": "Women in orange scarves at an evening vigil, candles glowing.",
             "fr": "Des femmes en foulard orange lors d'une veillée, bougies allumées.",
             "es": "Mujeres con pañuelos naranjas en una vigilia nocturna, con velas encendidas.",
             "ar": "نساء يرتدين أوشحة برتقالية في وقفة مسائية على ضوء الشموع.",
             "ru": "Женщины в оранжевых шарфах на вечернем бдении со свечами.",
             "zh": "身披橙色围巾的女性在夜间守夜活动中，烛光闪烁。"}


def synthetic_photo(size=(1600, 1200), seed=25) -> bytes:
    """A photo-like picture (soft light, bokeh and grain) drawn from a fixed seed, so tests and the docs have a
    photograph's busy pixels without shipping anyone's photo."""
    rng = random.Random(seed)
    sky = Image.linear_gradient("L").resize(size)
    picture = Image.composite(Image.new("RGB", size, (60, 30, 80)), Image.new("RGB", size, (245, 140, 50)), sky)
    lights = Image.new("RGB", size, (0, 0, 0))
    draw = ImageDraw.Draw(lights)
    for _ in range(140):
        x, y, r = rng.randrange(size[0]), rng.randrange(size[1]), rng.randrange(12, 90)
        tone = rng.choice([(255, 200, 120), (255, 240, 210), (250, 130, 40), (200, 120, 220)])
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tone)
    lights = lights.filter(ImageFilter.GaussianBlur(18))
    picture = Image.blend(picture, lights, 0.45)
    grain = Image.effect_noise(size, 40).convert("RGB")
    picture = Image.blend(picture, grain, 0.08)
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=82)
    return buffer.getvalue()


def draw(request: CardRequest, name: str) -> Image.Image:
    result = render_card(request)
    if result.png is None:
        sys.exit(f"{name}: " + "; ".join(str(problem) for problem in result.problems))
    return Image.open(io.BytesIO(result.png))


def main() -> None:
    workspace = Workspace(ROOT)
    PHOTO.write_bytes(synthetic_photo())
    print(PHOTO.relative_to(ROOT))
    campaign = load_campaign(workspace, "orange-day")
    for name, (layout, card_format, language, debug) in PICTURES.items():
        request = CardRequest(campaign, MESSAGE, language, card_format, layout, workspace=workspace, debug=debug)
        draw(request, name).save(ROOT / "docs" / "img" / name, optimize=True)
        print(f"docs/img/{name}")
    for layout, (campaign_id, message_id, card_format) in SHEETS.items():
        campaign = load_campaign(workspace, campaign_id)
        message = campaign.message(message_id)
        if layout == "photo":
            message = replace(message, image="photo.jpg", image_path=PHOTO, image_alt=PHOTO_ALT)
        cards = [draw(CardRequest(campaign, message, language, card_format, layout, workspace=workspace), layout)
                 for language in LANGUAGES]
        cards = [card.convert("RGB").resize((round(card.width * SHEET_HEIGHT / card.height), SHEET_HEIGHT),
                                            Image.Resampling.LANCZOS) for card in cards]
        sheet = Image.new("RGB", (sum(card.width for card in cards) + 12 * (len(cards) - 1), SHEET_HEIGHT), "white")
        for index, card in enumerate(cards):
            sheet.paste(card, (index * (card.width + 12), 0))
        name = f"cards-{layout}-languages.png"
        sheet.save(ROOT / "docs" / "img" / name, optimize=True)
        print(f"docs/img/{name}")


if __name__ == "__main__":
    main()
