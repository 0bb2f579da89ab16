"""The bundled fonts, which one draws which character, and what they cover.

Cards never trust a font blindly: each character of a card's text is assigned to the first family of the
language's chain whose cmap (read with fontTools) covers it; a character no family covers is reported, never
drawn as a box. Emoji are drawn in colour from a subset of Noto Color Emoji; an emoji the subset lacks is left
out with a warning. The fonts ship inside the package (generator/stock/fonts/, with their licence, OFL.txt) and
are rebuilt by tools/build_fonts.py; a workspace may bring a font set of its own in assets/fonts/ (folder_for).
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import emoji
from fontTools.ttLib import TTFont
from PIL import Image, ImageDraw, ImageFont, features

from generator import stock
from generator.errors import CampaignGenError
from generator.workspace import file_version

FONT_DIR = stock.FONTS

# Font files per family and role. Coverage: Noto Sans is Latin, Greek and Cyrillic; "arabic" is Noto Sans Arabic
# merged with Noto Sans (Arabic plus Latin, digits, "%", Greek, Cyrillic), so that an Arabic line quoting "92%" or
# a Latin name is one run that raqm orders by the bidi algorithm; the SC subset is the 3,755 common simplified
# characters and CJK punctuation (see tools/build_fonts.py).
FAMILIES = {
    "sans": {"regular": "NotoSans-Regular.ttf", "bold": "NotoSans-Bold.ttf"},
    "arabic": {"regular": "ArabicLatinSans-Regular.ttf", "bold": "ArabicLatinSans-Bold.ttf"},
    "chinese": {"regular": "NotoSansSC-Regular-subset.otf", "bold": "NotoSansSC-Bold-subset.otf"},
}
FONT_ROLES = ("regular", "bold")
LATIN = "sans"  # the family in the Latin, Greek and Cyrillic role unless the campaign's brand names another
FONT_SUFFIXES = (".ttf", ".otf")
EMOJI = "emoji"
EMOJI_FILE = "NotoColorEmoji-subset.ttf"
EMOJI_STRIKE = 109  # Noto Color Emoji holds one bitmap strike, 109 ppem: FreeType loads it at that size only

# Which family draws a character, per language: the first family in the chain that covers it. The language's
# own script comes first so its punctuation and digits match its letters (Chinese full-width commas, Arabic
# comma); Latin words inside Chinese text (names, hashtags) fall through to Noto Sans, inside Arabic text they
# stay in the merged Arabic family.
CHAINS = {
    "default": ("sans", "arabic", "chinese"),
    "ar": ("arabic", "sans", "chinese"),
    "zh": ("chinese", "sans", "arabic"),
}

# Scripts that cannot be drawn correctly without a shaping engine (joining, reordering): Arabic, Hebrew points,
# Syriac, Thaana, N'Ko and the Indic blocks. Source: Unicode blocks (unicode.org/charts).
SHAPED_RANGES = ((0x0590, 0x08FF), (0x0900, 0x0DFF), (0xFB1D, 0xFDFF), (0xFE70, 0xFEFF))
SHAPING_HELP = (
    "Pillow cannot shape {script} text here: it needs libraqm with FriBiDi (features raqm={raqm}, fribidi={fribidi}); "
    "install them (Debian/Ubuntu: apt-get install libraqm0 libfribidi0; Fedora: dnf install libraqm fribidi; "
    "macOS: brew install libraqm fribidi) and reinstall Pillow (pip install --force-reinstall pillow)"
)
CLOSING = ("Po", "Pe", "Pf")  # Unicode categories of punctuation that follows a word: . , ! ? ) » ”
# Characters that take no space and need no glyph of their own (HarfBuzz hides default ignorables): joiners,
# variation selectors, and the bidi marks, embeddings and isolates (UAX #9) that cards put around hashtags and
# citations in right-to-left text.
INVISIBLE = frozenset("\u200b\u200c\u200d\u200e\u200f\u2060\ufe0e\ufe0f\u061c"
                      "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
FIRST_STRONG_ISOLATE, POP_ISOLATE = "\u2068", "\u2069"
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@dataclass(frozen=True)
class Run:
    """A stretch of text drawn with one family: a key of FAMILIES, a brand family's name, or EMOJI."""

    text: str
    family: str


@dataclass
class Assignment:
    """A text split into runs, with what could not be drawn."""

    runs: list
    uncovered: list  # characters no family covers
    dropped_emoji: list  # emoji the bundled emoji font lacks (left out)


def language_chain(language: str, latin: str = LATIN) -> tuple:
    """The language's chain, with `latin` (a campaign's brand font, FontLibrary.family_key) in the Latin,
    Greek and Cyrillic role."""
    chain = CHAINS.get(language.split("-")[0].lower(), CHAINS["default"])
    return chain if latin == LATIN else tuple(latin if family == LATIN else family for family in chain)



def isolate(text: str) -> str:
    """Wrap a piece placed in right-to-left text (a hashtag, a citation) in an FSI...PDI isolate, which takes
    its direction from its own first letter: without it, the bidi algorithm moves the leading '#' of a Latin
    tag or the closing ')' of a Latin citation to the wrong end."""
    return f"{FIRST_STRONG_ISOLATE}{text}{POP_ISOLATE}" if text else text


def strip_bidi_controls(text: str) -> str:
    return "".join(ch for ch in text if ch not in BIDI_CONTROLS)


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
        self.files = {family: dict(roles) for family, roles in FAMILIES.items()}
        self._named: dict | None = None
        files = [name for roles in FAMILIES.values() for name in roles.values()] + [EMOJI_FILE]
        for name in files:
            path = self.folder / name
            try:
                self._bytes[name] = path.read_bytes()
            except OSError as err:
                raise CampaignGenError(f"{path}: cannot read the bundled font ({err.strerror}); reinstall "
                                       "campaign-gen, or rebuild the fonts with tools/build_fonts.py") from err
        for family, roles in FAMILIES.items():
            self.coverage[family] = self._cmap(roles["regular"]) & self._cmap(roles["bold"])
        self.coverage[EMOJI] = self._cmap(EMOJI_FILE)
        # every font file of the folder: a campaign's brand font may be any family there
        every = sorted(p.name for p in self.folder.iterdir() if p.suffix.lower() in FONT_SUFFIXES)
        self.digest = hashlib.sha256(b"".join(
            hashlib.sha256(self._bytes[n] if n in self._bytes else (self.folder / n).read_bytes()).digest()
            for n in every)).hexdigest()

    def _cmap(self, name: str) -> frozenset:
        font = TTFont(self.folder / name, lazy=True)
        return frozenset(font.getBestCmap())

    # -- brand families ----------------------------------------------------------------------------------------
    def named_families(self) -> dict[str, dict[str, str]]:
        """Family name -> {"regular": file, "bold": file} for every family of the folder that has both weights,
        from each file's name table (typographic family and subfamily, IDs 16/17, else IDs 1/2)."""
        if self._named is None:
            found: dict[str, dict[str, str]] = {}
            for path in sorted(self.folder.iterdir()):
                if path.suffix.lower() not in FONT_SUFFIXES or path.name == EMOJI_FILE:
                    continue
                names = TTFont(path, lazy=True)["name"]
                family = str(names.getDebugName(16) or names.getDebugName(1) or "")
                style = str(names.getDebugName(17) or names.getDebugName(2) or "").lower()
                if family and style in FONT_ROLES:
                    found.setdefault(family, {}).setdefault(style, path.name)
            self._named = {family: roles for family, roles in found.items() if set(roles) == set(FONT_ROLES)}
        return self._named

    def family_key(self, name: str) -> str | None:
        """The key runs use for the family called `name` (LATIN for the default Noto Sans), registering it;
        None when the folder has no such family with a regular and a bold file."""
        roles = self.named_families().get(name)
        if roles is None:
            return None
        for family, files in FAMILIES.items():
            if files == roles:
                return family
        if name not in self.files:
            for file_name in roles.values():
                self._bytes.setdefault(file_name, (self.folder / file_name).read_bytes())
            self.files[name] = dict(roles)
            self.coverage[name] = self._cmap(roles["regular"]) & self._cmap(roles["bold"])
        return name

    def _ensure(self, family: str) -> None:
        if family not in self.files and family != EMOJI and self.family_key(family) is None:
            raise CampaignGenError(f"{self.folder}: no font family '{family}' with regular and bold files")

    # -- faces -------------------------------------------------------------------------------------------------
    def face(self, family: str, role: str, size: int) -> ImageFont.FreeTypeFont:
        key = (family, role, size)
        face = self._faces.get(key)
        if face is None:
            self._ensure(family)
            name = EMOJI_FILE if family == EMOJI else self.files[family][role]
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
    def assign(self, text: str, language: str, latin: str = LATIN) -> Assignment:
        key = (text, language, latin)
        found = self._assignments.get(key)
        if found is None:
            if len(self._assignments) > 5_000:
                self._assignments.clear()
            self._ensure(latin)
            found = self._assignments[key] = self._assign(text, language, latin)
        return found

    def _assign(self, text: str, language: str, latin: str = LATIN) -> Assignment:
        """Split `text` into runs of one family each, following the language's chain.

        A character that several families cover (spaces, digits, common punctuation) stays with the run it
        follows, so a line is not cut into needless pieces. Emoji clusters form runs of their own.
        """
        chain = language_chain(language, latin)
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


def folder_for(workspace) -> str:
    """The workspace's own assets/fonts/ when it holds a font set with its licence (OFL.txt), else the fonts
    shipped with campaign-gen. A set replaces the stock one whole: every file of FAMILIES must be in it."""
    own = workspace.assets_dir / "fonts"
    return str(own if (own / "OFL.txt").is_file() else FONT_DIR)


def library(folder: str | None = None) -> FontLibrary:
    """The font library of a folder: loaded once per process (and so once per worker of the card pool), and
    again when a file of a workspace's own font folder has changed (`serve` runs while it is edited; the stock
    fonts change only with campaign-gen itself)."""
    path = Path(folder) if folder else FONT_DIR
    versions = () if path == FONT_DIR else tuple(sorted(
        file_version(entry.path) for entry in os.scandir(path) if Path(entry.name).suffix.lower() in FONT_SUFFIXES))
    return _library(str(path), versions)


@lru_cache(maxsize=4)
def _library(folder: str, _versions: tuple) -> FontLibrary:
    return FontLibrary(Path(folder))


_ISOLATE_OPENERS = frozenset("\u2066\u2067\u2068")


def balance_isolates(lines: list[list[Run]]) -> list[list[Run]]:
    """Each line (its runs) is drawn as a paragraph of its own, so an isolate (isolate_left_to_right) that a line
    break cuts in two is closed at the end of the first line and opened again at the start of the next: the
    Latin citation that wraps in an Arabic source line stays left to right on both lines. Zero-width marks:
    the widths do not change."""
    open_isolates: list[str] = []
    balanced = []
    for line in lines:
        runs = list(line)
        if open_isolates and runs and runs[0].family != EMOJI:
            runs[0] = Run("".join(open_isolates) + runs[0].text, runs[0].family)
        for run in line:
            for ch in run.text:
                if ch in _ISOLATE_OPENERS:
                    open_isolates.append(ch)
                elif ch == POP_ISOLATE and open_isolates:
                    open_isolates.pop()
        if open_isolates and runs and runs[-1].family != EMOJI:
            runs[-1] = Run(runs[-1].text + POP_ISOLATE * len(open_isolates), runs[-1].family)
        balanced.append(runs)
    return balanced
