"""Draws logo.png, the logo of the fictional example partner "Voix Solidaires" (run from the repository root:
`.venv/bin/python partners/example-ngo/make_logo.py`). A violet disc with two overlapping speech bubbles, the
initials VS, on a transparent background: it shows how a partner logo with transparency sits on any card.
Deterministic: same Pillow, same bytes (no metadata written)."""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent
FONT = HERE.parent.parent / "assets" / "fonts" / "NotoSans-Bold.ttf"
SIZE, SCALE = 512, 4  # drawn four times larger, then reduced: smooth edges without antialiasing support

VIOLET, YELLOW, WHITE = (107, 44, 143, 255), (255, 201, 77, 255), (255, 255, 255, 255)


def draw() -> Image.Image:
    big = SIZE * SCALE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.ellipse((0, 0, big - 1, big - 1), fill=VIOLET)
    # two speech bubbles, one voice answering another
    pen.rounded_rectangle((big * 0.18, big * 0.22, big * 0.62, big * 0.52), radius=big * 0.08, fill=YELLOW)
    pen.polygon([(big * 0.26, big * 0.50), (big * 0.22, big * 0.62), (big * 0.36, big * 0.51)], fill=YELLOW)
    pen.rounded_rectangle((big * 0.40, big * 0.40, big * 0.84, big * 0.70), radius=big * 0.08, fill=WHITE)
    pen.polygon([(big * 0.74, big * 0.68), (big * 0.80, big * 0.80), (big * 0.64, big * 0.69)], fill=WHITE)
    font = ImageFont.truetype(str(FONT), int(big * 0.17))
    pen.text((big * 0.62, big * 0.55), "VS", font=font, fill=VIOLET, anchor="mm")
    return image.resize((SIZE, SIZE), Image.Resampling.LANCZOS)


if __name__ == "__main__":
    draw().save(HERE / "logo.png", optimize=True)
