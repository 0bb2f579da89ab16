"""Draw the shipped campaign logos (assets/logos/<campaign>.png): simple shapes, no text, transparent corners.
The Orange Day logo is also the logo of the example campaign `campaign-gen init` writes (generator/stock/workspace/).

Run from the repository root: `.venv/bin/python tools/make_logos.py`. Each logo is drawn at four times its
size and scaled down, which smooths the edges (Pillow's shape drawing has no anti-aliasing of its own).
The output is deterministic: the same script writes byte-identical PNGs.
"""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw

SIZE = 512
SCALE = 4  # supersampling factor
CANVAS = SIZE * SCALE
ROOT = Path(__file__).resolve().parent.parent
LOGOS = ROOT / "assets" / "logos"
EXAMPLE_LOGO = ROOT / "generator" / "stock" / "workspace" / "logo.png"  # init's example campaign is Orange Day

UNITE_ORANGE = (245, 130, 32, 255)  # "#F58220", the UNiTE campaign's orange
DEEP_PURPLE = (74, 26, 107, 255)  # "#4A1A6B"
TRAFFICKING_BLUE = (18, 76, 140, 255)  # "#124C8C", after the blue of UNODC's Blue Heart campaign
WHITE = (255, 255, 255, 255)


def _disc(draw: ImageDraw.ImageDraw, centre: tuple[float, float], radius: float, fill) -> None:
    x, y = centre
    draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=fill)


def _ring(draw: ImageDraw.ImageDraw, centre: tuple[float, float], radius: float, width: float, fill) -> None:
    x, y = centre
    draw.ellipse((x - radius, y - radius, x + radius, y + radius), outline=fill, width=round(width))


def orange_day(draw: ImageDraw.ImageDraw) -> None:
    """An orange disc holding a white women's symbol: Orange Day stands with women and girls. The disc sits on a
    plate, a white ring edged in deep purple, so the logo stays visible on the campaign's own orange backgrounds
    (the purple edge has 3:1 contrast against the orange, WCAG 2.x's minimum for graphics), on its purple ones
    (the white ring) and on a partner's white (the edge)."""
    c = CANVAS / 2
    _disc(draw, (c, c), CANVAS * 0.48, DEEP_PURPLE)
    _disc(draw, (c, c), CANVAS * 0.455, WHITE)
    _disc(draw, (c, c), CANVAS * 0.42, UNITE_ORANGE)
    ring_centre = (c, CANVAS * 0.40)
    stroke = CANVAS * 0.055
    _ring(draw, ring_centre, CANVAS * 0.17, stroke, WHITE)
    stem_top = ring_centre[1] + CANVAS * 0.17
    draw.rectangle((c - stroke / 2, stem_top - stroke / 2, c + stroke / 2, CANVAS * 0.83), fill=WHITE)
    bar_y = CANVAS * 0.71
    draw.rectangle((c - CANVAS * 0.12, bar_y - stroke / 2, c + CANVAS * 0.12, bar_y + stroke / 2), fill=WHITE)


def _heart(draw: ImageDraw.ImageDraw, centre_x: float, top: float, width: float, fill) -> None:
    """A heart `width` wide whose lobes start at `top`: two discs and the polygon tangent to both."""
    lobe = width / 4
    lobes = [(centre_x - lobe, top + lobe), (centre_x + lobe, top + lobe)]
    tip = (centre_x, top + width * 0.95)
    points = []
    for (ox, oy), side in zip(lobes, (-1, 1)):
        distance = math.dist((ox, oy), tip)
        towards_tip = math.atan2(tip[1] - oy, tip[0] - ox)
        touch = towards_tip - side * math.acos(lobe / distance)  # the outer tangent point of the lobe
        points.append((ox + lobe * math.cos(touch), oy + lobe * math.sin(touch)))
    for centre in lobes:
        _disc(draw, centre, lobe, fill)
    draw.polygon([points[0], lobes[0], lobes[1], points[1], tip], fill=fill)


def world_day(draw: ImageDraw.ImageDraw) -> None:
    """A blue heart holding a small white one: care for every person affected by trafficking."""
    c = CANVAS / 2
    _heart(draw, c, CANVAS * 0.06, CANVAS * 0.96, TRAFFICKING_BLUE)
    _heart(draw, c, CANVAS * 0.30, CANVAS * 0.36, WHITE)


def sixteen_days(draw: ImageDraw.ImageDraw) -> None:
    """A deep purple disc ringed by sixteen orange dots, one for each day of activism, around an orange core."""
    c = CANVAS / 2
    _disc(draw, (c, c), CANVAS * 0.48, DEEP_PURPLE)
    orbit, dot = CANVAS * 0.36, CANVAS * 0.045
    for day in range(16):
        angle = math.radians(day * 360 / 16 - 90)
        _disc(draw, (c + orbit * math.cos(angle), c + orbit * math.sin(angle)), dot, UNITE_ORANGE)
    _disc(draw, (c, c), CANVAS * 0.19, UNITE_ORANGE)
    _disc(draw, (c, c), CANVAS * 0.09, WHITE)


DRAWINGS = {
    "orange-day": orange_day,
    "world-day-against-trafficking": world_day,
    "sixteen-days": sixteen_days,
}


def main() -> None:
    LOGOS.mkdir(parents=True, exist_ok=True)
    for campaign_id, draw_logo in DRAWINGS.items():
        image = Image.new("RGBA", (CANVAS, CANVAS), (0, 0, 0, 0))
        draw_logo(ImageDraw.Draw(image))
        image = image.resize((SIZE, SIZE), Image.Resampling.LANCZOS)
        image.save(LOGOS / f"{campaign_id}.png", optimize=True)
        print(f"assets/logos/{campaign_id}.png")
        if campaign_id == "orange-day":
            image.save(EXAMPLE_LOGO, optimize=True)
            print(EXAMPLE_LOGO.relative_to(ROOT).as_posix())


if __name__ == "__main__":
    main()
