"""The bundled fonts, which one draws which character, and what they cover.

Cards never trust a font blindly: each character of a card's text is assigned to the first family of the
language's chain whose cmap (read with fontTools) covers it; a character no family covers is reported, never
drawn as a box. Emoji are drawn in colour from a subset of Noto Color Emoji; an emoji the subset lacks is left
out with a warning. The fonts live in assets/fonts/ with their licence (OFL.txt) and are rebuilt by
assets/fonts/build_fonts.py.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import emoji
from fontTools.ttLib import TTFont
from PIL import Image, ImageDraw, ImageFont, features

from generator.errors import CampaignGenError

FONT_DIR = Path(__file__).resolve().parent.parent / "assets" / "fonts"

# Font files per family and role. Coverage: Noto Sans is Latin, Greek and Cyrillic; Noto Sans Arabic is Arabic;
# the SC subset is the 3,755 common simplified characters and CJK punctuation (see assets/fonts/build_fonts.py).
FAMILIES = {
    "sans": {"regular": "NotoSans-Regular.ttf", "bold": "NotoSans-Bold.ttf"},
    "arabic": {"regular": "NotoSansArabic-Regular.ttf", "bold": "NotoSansArabic-Bold.ttf"},
    "chinese": {"regular": "NotoSansSC-Regular-subset.otf", "bold": "NotoSansSC-Bold-subset.otf"},
}
FONT_ROLES = ("regular", "bold")
EMOJI = "emoji"
EMOJI_FILE = "NotoColorEmoji-subset.ttf"
EMOJI_STRIKE = 109  # Noto Color Emoji holds one bitmap strike, 109 ppem: FreeType loads it at that size only

# Which family draws a character, per language: the first family in the chain that covers it. The language's
# own script comes first so its punctuation and digits match its letters (Chinese full-width commas, Arabic
# comma); Latin words inside Arabic or Chinese text (names, hashtags) fall through to Noto Sans.
CHAINS = {
    "default": ("sans", "arabic", "chinese"),
    "ar": ("arabic", "sans", "chinese"),
    "zh": ("chinese", "sans", "arabic"),
}
RIGHT_TO_LEFT = frozenset({"ar", "fa", "he", "ur"})  # languages whose paragraphs run right to left

# Scripts that cannot be drawn correctly without a shaping engine (joining, reordering): Arabic, Hebrew points,
# Syriac, Thaana, N'Ko and the Indic blocks. Source: Unicode blocks (unicode.org/charts).
SHAPED_RANGES = ((0x0590, 0x08FF), (0x0900, 0x0DFF), (0xFB1D, 0xFDFF), (0xFE70, 0xFEFF))
SHAPING_HELP = (
    "Pillow cannot shape {script} text here: it needs libraqm with FriBiDi (features raqm={raqm}, fribidi={fribidi}); "
    "install them (Debian/Ubuntu: apt-get install libraqm0 libfribidi0; Fedora: dnf install libraqm fribidi; "
    "macOS: brew install libraqm fribidi) and reinstall Pillow (pip install --force-reinstall pillow)"
)
# Characters that take no space and need no glyph of their own: joiners, variation selectors, direction marks.
CLOSING = ("Po", "Pe", "Pf")  # Unicode categories of punctuation that follows a word: . , ! ? ) » ”
INVISIBLE = frozenset("\u200b\u200c\u200d\u200e\u200f\u2060\ufe0e\ufe0f")


@dataclass(frozen=True)
class Run:
    """A stretch of text drawn with one family: `family` is a key of FAMILIES, or EMOJI."""

    text: str
    family: str


@dataclass
class Assignment:
    """A text split into runs, with what could not be drawn."""

    runs: list
    uncovered: list  # characters no family covers
    dropped_emoji: list  # emoji the bundled emoji font lacks (left out)


def language_chain(language: str) -> tuple:
    return CHAINS.get(language.split("-")[0].lower(), CHAINS["default"])


def is_right_to_left(language: str) -> bool:
    return language.split("-")[0].lower() in RIGHT_TO_LEFT


_SHAPED = re.compile("[" + "".join(f"{chr(low)}-{chr(high)}" for low, high in SHAPED_RANGES) + "]")


def needs_shaping(text: str) -> bool:
    return _SHAPED.search(text) is not None


def check_shaping_support(text: str) -> None:
    """Raise when the text needs complex shaping and Pillow lacks raqm or FriBiDi, saying what to install."""
    if not needs_shaping(text):
        return
    raqm, fribidi = features.check("raqm"), features.check("fribidi")
    if raqm and fribidi:
        return
    script = next(unicodedata.name(ch, "complex").split()[0].title() for ch in text
                  if any(lo <= ord(ch) <= hi for lo, hi in SHAPED_RANGES))
    raise CampaignGenError(SHAPING_HELP.format(script=script, raqm=raqm, fribidi=fribidi))


def layout_engine():
    return ImageFont.Layout.RAQM if features.check("raqm") else ImageFont.Layout.BASIC


class FontLibrary:
    """The fonts of one folder, loaded once per process: coverage sets, FreeType faces per size, their digest."""

    def __init__(self, folder: Path = FONT_DIR):
        self.folder = Path(folder)
        self.coverage: dict[str, frozenset] = {}
        self._bytes: dict[str, bytes] = {}
        self._faces: dict = {}
        self._emoji_images: dict = {}
        self._lengths: dict = {}
        self._assignments: dict = {}
        files = [name for roles in FAMILIES.values() for name in roles.values()] + [EMOJI_FILE]
        for name in files:
            path = self.folder / name
            try:
                self._bytes[name] = path.read_bytes()
            except OSError as err:
                raise CampaignGenError(f"{path}: cannot read the bundled font ({err.strerror}); "
                                       "rebuild it with assets/fonts/build_fonts.py") from err
        for family, roles in FAMILIES.items():
            self.coverage[family] = self._cmap(roles["regular"]) & self._cmap(roles["bold"])
        self.coverage[EMOJI] = self._cmap(EMOJI_FILE)
        self.digest = hashlib.sha256(b"".join(hashlib.sha256(self._bytes[n]).digest() for n in files)).hexdigest()

    def _cmap(self, name: str) -> frozenset:
        font = TTFont(self.folder / name, lazy=True)
        return frozenset(font.getBestCmap())

    # -- faces -------------------------------------------------------------------------------------------------
    def face(self, family: str, role: str, size: int) -> ImageFont.FreeTypeFont:
        key = (family, role, size)
        face = self._faces.get(key)
        if face is None:
            name = EMOJI_FILE if family == EMOJI else FAMILIES[family][role]
            face = ImageFont.truetype(self.folder / name, size, layout_engine=layout_engine())
            self._faces[key] = face
        return face

    def length(self, text: str, family: str, role: str, size: int, direction: str, language: str) -> float:
        """The shaped advance width of `text` (Pillow's getlength through raqm), remembered: card texts repeat
        across formats and layouts, and each call into the shaper costs tens of microseconds."""
        key = (text, family, role, size, direction, language)
        value = self._lengths.get(key)
        if value is None:
            if len(self._lengths) > 200_000:  # bounded: a worker drawing thousands of cards stays small
                self._lengths.clear()
            face = self.face(family, role, size)
            value = face.getlength(text, direction=direction, language=language or None)
            self._lengths[key] = value
        return value

    def emoji_face(self) -> ImageFont.FreeTypeFont:
        return self.face(EMOJI, "regular", EMOJI_STRIKE)

    def emoji_scale(self, size: int) -> float:
        """Emoji are drawn at the strike size and scaled so they sit one em high beside the text."""
        return size / EMOJI_STRIKE

    def emoji_image(self, text: str, size: int) -> Image.Image:
        """An emoji cluster in colour, scaled to `size`, as RGBA; cached, since campaigns repeat their emoji."""
        key = (text, size)
        image = self._emoji_images.get(key)
        if image is None:
            face = self.emoji_face()
            ascent, descent = face.getmetrics()
            width = max(1, round(face.getlength(text)))
            strike = Image.new("RGBA", (width, ascent + descent))
            ImageDraw.Draw(strike).text((0, ascent), text, font=face, embedded_color=True, anchor="ls")
            scale = self.emoji_scale(size)
            target = (max(1, round(strike.width * scale)), max(1, round(strike.height * scale)))
            image = strike.resize(target, Image.Resampling.LANCZOS)
            self._emoji_images[key] = image
        return image

    # -- coverage ----------------------------------------------------------------------------------------------
    def assign(self, text: str, language: str) -> Assignment:
        key = (text, language)
        found = self._assignments.get(key)
        if found is None:
            if len(self._assignments) > 5_000:
                self._assignments.clear()
            found = self._assignments[key] = self._assign(text, language)
        return found

    def _assign(self, text: str, language: str) -> Assignment:
        """Split `text` into runs of one family each, following the language's chain.

        A character that several families cover (spaces, digits, common punctuation) stays with the run it
        follows, so a line is not cut into needless pieces. Emoji clusters form runs of their own.
        """
        chain = language_chain(language)
        emoji_spans = {m["match_start"]: m for m in emoji.emoji_list(text)}
        runs: list[Run] = []
        uncovered: list[str] = []
        dropped: list[str] = []
        index = 0
        while index < len(text):
            match = emoji_spans.get(index)
            if match is not None:
                cluster = match["emoji"]
                index = match["match_end"]
                # Joiners and variation selectors are not looked up in the cmap (FE0F lives in the font's
                # variation-sequence table); every visible part of the cluster must be there.
                if all(ord(ch) in self.coverage[EMOJI] for ch in cluster if ch not in INVISIBLE):
                    runs.append(Run(cluster, EMOJI))
                else:
                    dropped.append(cluster)
                    after_space = not runs or runs[-1].text.endswith(" ")
                    following = text[index:index + 1]
                    if after_space and following == " ":
                        index += 1  # no double space where the emoji was
                    elif runs and after_space and (not following or unicodedata.category(following) in CLOSING):
                        runs[-1] = Run(runs[-1].text[:-1], runs[-1].family)  # nor a space before "." or ")"
                continue
            ch = text[index]
            index += 1
            code = ord(ch)
            previous = runs[-1].family if runs else None
            if previous and previous != EMOJI and code in self.coverage[previous]:
                family = previous
            elif ch in INVISIBLE or ch == "\n":
                family = previous if previous and previous != EMOJI else chain[0]
            else:
                family = next((f for f in chain if code in self.coverage[f]), None)
                if family is None:
                    if ch not in uncovered:
                        uncovered.append(ch)
                    continue
            if runs and runs[-1].family == family:
                runs[-1] = Run(runs[-1].text + ch, family)
            else:
                runs.append(Run(ch, family))
        return Assignment(runs, uncovered, dropped)


def describe_character(ch: str) -> str:
    """`U+1F9E1 ORANGE HEART`, as uncovered-character messages name it."""
    return f"U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed character')}"


@lru_cache(maxsize=4)
def library(folder: str | None = None) -> FontLibrary:
    """The process's font library: loaded once per process (and so once per worker of the card pool)."""
    return FontLibrary(Path(folder) if folder else FONT_DIR)
