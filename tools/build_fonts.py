"""Rebuild the card fonts (generator/stock/fonts/, shipped inside the package) from Debian's Noto packages (run
by hand from the repository root; the results are committed).

    apt-get install fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji  # Debian's Noto packages
    .venv/bin/python tools/build_fonts.py

Noto Sans is copied without its hinting (below). Noto Sans Arabic is merged with Noto Sans (fontTools.merge; both have 1000 units
per em) into "Arabic Latin Sans": one font that covers Arabic and, from Noto Sans, Latin letters, digits, "%" and
the other punctuation Arabic text quotes, plus Greek and Cyrillic. An Arabic line is then drawn as ONE raqm run,
so FriBiDi orders "92%" and Latin names by the Unicode bidi algorithm (UAX #9); with two fonts the line was cut
into runs per font and laid out run by run, which put the figure on the wrong side. The merged font is renamed
(the OFL asks modified versions not to carry the original name). Hinting tables are dropped: the two fonts'
TrueType programs cannot be combined, and FreeType's auto-hinter handles the result.

No shipped font keeps TrueType hinting. Running a glyph's hinting program is most of what drawing a letter costs
in FreeType (measured: about 45 against 19 microseconds a glyph for Noto Sans Bold at 48 px), and cards are drawn
at their full size and shown scaled down, where grid-fitting stems to whole pixels changes nothing one can see.

Noto Sans CJK SC (19 MB as a collection) and Noto Color Emoji (11 MB) are cut down with fontTools' subsetter so
the repository stays small:

- Chinese: the 3,755 level-1 characters of GB 2312 (the standard list of the most frequently used simplified
  characters), CJK punctuation, full-width forms, and every Chinese character the shipped campaigns use;
- emoji: the ones campaign messages are likely to use (hearts, hands, globes, people, symbols of the
  campaigns), every emoji the `emoji` package's shortcodes below produce, and every emoji in campaigns/*.yaml.

Run it again after adding Chinese text or emoji that the subset lacks: cards refuse to draw a character no
bundled font covers (`card.uncovered`), so a missing one is noticed, never drawn as a box.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import emoji
from fontTools import merge, subset
from fontTools.ttLib import TTCollection, TTFont

ROOT = Path(__file__).resolve().parent.parent
FONTS = ROOT / "generator" / "stock" / "fonts"
NOTO = Path("/usr/share/fonts/truetype/noto")
NOTO_CJK = Path("/usr/share/fonts/opentype/noto")
CJK_SC_INDEX = 2  # in NotoSansCJK-*.ttc: 0 JP, 1 KR, 2 SC, 3 TC, 4 HK

COPIED = ["NotoSans-Regular.ttf", "NotoSans-Bold.ttf"]
MERGED_FAMILY = "Arabic Latin Sans"  # Noto Sans Arabic + Noto Sans, renamed as the OFL asks of modified fonts
MERGED_FILE = "ArabicLatinSans-{weight}.ttf"
HINTING_TABLES = ["fpgm", "prep", "cvt ", "gasp", "hdmx", "LTSH", "VDMX", "DSIG"]

# Emoji a campaign against violence is likely to use, as shortcodes of the emoji package (CLDR names).
EMOJI_SHORTCODES = """
:orange_heart: :purple_heart: :red_heart: :yellow_heart: :green_heart: :blue_heart: :white_heart: :black_heart:
:brown_heart: :sparkling_heart: :growing_heart: :two_hearts: :heart_hands: :handshake: :raised_fist: :raised_hand:
:raised_hands: :clapping_hands: :folded_hands: :writing_hand: :waving_hand: :thumbs_up: :open_hands: :flexed_biceps:
:globe_showing_Europe-Africa: :globe_showing_Americas: :globe_showing_Asia-Australia: :globe_with_meridians:
:megaphone: :loudspeaker: :speech_balloon: :speaking_head: :calendar: :spiral_calendar: :pushpin: :round_pushpin:
:link: :warning: :check_mark_button: :check_mark: :light_bulb: :candle: :reminder_ribbon: :sparkles: :star:
:glowing_star: :tangerine: :orange_circle: :orange_square: :large_orange_diamond: :female_sign: :woman: :girl:
:women_holding_hands: :family: :house: :books: :graduation_cap: :scales: :shield: :dove: :rainbow: :sunrise:
:telephone_receiver: :mobile_phone: :laptop: :envelope: :e-mail: :backhand_index_pointing_down:
:backhand_index_pointing_right: :right_arrow: :down_arrow: :red_exclamation_mark: :earth_africa:
:stop_sign: :no_entry: :prohibited: :chains: :broken_chain: :unlocked: :key: :mega: :bell: :balance_scale:
:hugging_face: :people_hugging: :smiling_face_with_hearts: :index_pointing_at_the_viewer: :ribbon: :hundred_points:
"""


def gb2312_level1() -> str:
    """The 3,755 level-1 hanzi of GB 2312 (rows 16-55), decoded with Python's own codec."""
    chars = []
    for row in range(0xB0, 0xD8):
        for cell in range(0xA1, 0xFF):
            try:
                chars.append(bytes([row, cell]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return "".join(chars)


def campaign_text() -> str:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "campaigns").glob("*.yaml"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "partners").glob("*/partner.yaml"))]
    return "".join(texts)


def chinese_characters() -> str:
    punctuation = "".join(chr(c) for c in range(0x3000, 0x3040))  # CJK symbols and punctuation
    fullwidth = "".join(chr(c) for c in range(0xFF01, 0xFF5F))  # full-width ASCII forms
    extra = "“”‘’…—·《》〈〉「」『』【】、。，：；！？（）"
    used = "".join(sorted(set(re.findall(r"[\u3400-\u9fff\uf900-\ufaff]", campaign_text()))))
    return gb2312_level1() + punctuation + fullwidth + extra + used


def emoji_sequences() -> list[str]:
    wanted = {emoji.emojize(code, language="alias") for code in EMOJI_SHORTCODES.split()}
    missing = [code for code in EMOJI_SHORTCODES.split() if emoji.emojize(code, language="alias") == code]
    if missing:
        sys.exit(f"unknown emoji shortcodes: {' '.join(missing)}")
    wanted |= {match["emoji"] for match in emoji.emoji_list(campaign_text())}
    return sorted(wanted)


def subset_font(font: TTFont, text: str, out: Path, *, keep_colour_bitmaps: bool = False) -> None:
    options = subset.Options()
    options.layout_features = ["*"]  # keep ligatures (emoji ZWJ sequences), vertical forms, kerning
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.drop_tables = [t for t in options.drop_tables if t not in ("CBDT", "CBLC")] if keep_colour_bitmaps \
        else options.drop_tables
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    font.save(out)


def drop_hinting(source: Path, out: Path) -> None:
    """`source` with every glyph, feature and name but without hinting (tables and glyph programs)."""
    font = TTFont(source)
    options = subset.Options()
    options.hinting = False
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(glyphs=font.getGlyphOrder())
    subsetter.subset(font)
    font.recalcTimestamp = False  # rebuilds stay byte-identical
    font.save(out)


def merge_arabic_latin(weight: str, out: Path) -> None:
    """Noto Sans Arabic first (its space, digits and Arabic punctuation win), then Noto Sans for the rest."""
    sources = [NOTO / f"NotoSansArabic-{weight}.ttf", NOTO / f"NotoSans-{weight}.ttf"]
    merger = merge.Merger(options=merge.Options(drop_tables=HINTING_TABLES))
    font = merger.merge([str(path) for path in sources])
    # the merger stamps the time of the merge; the sources' own dates keep rebuilds byte-identical
    heads = [TTFont(path, lazy=True)["head"] for path in sources]
    font["head"].created = max(head.created for head in heads)
    font["head"].modified = max(head.modified for head in heads)
    names = {1: MERGED_FAMILY, 2: weight, 3: f"{MERGED_FAMILY.replace(' ', '')}-{weight}",
             4: f"{MERGED_FAMILY} {weight}", 6: f"{MERGED_FAMILY.replace(' ', '')}-{weight}"}
    for record in font["name"].names:
        if record.nameID in names:
            record.string = names[record.nameID]
    font["name"].names = [r for r in font["name"].names if r.nameID not in (16, 17, 21, 22)]
    font.recalcTimestamp = False
    font.save(out)


def main() -> None:
    sequences = emoji_sequences()  # first: a typo in the list stops the script before the slow part
    for name in COPIED:
        drop_hinting(NOTO / name, FONTS / name)
    for weight in ("Regular", "Bold"):
        merge_arabic_latin(weight, FONTS / MERGED_FILE.format(weight=weight))
    for weight in ("Regular", "Bold"):
        collection = TTCollection(NOTO_CJK / f"NotoSansCJK-{weight}.ttc")
        subset_font(collection.fonts[CJK_SC_INDEX], chinese_characters(), FONTS / f"NotoSansSC-{weight}-subset.otf")
    # Emoji sequences need their parts (ZWJ, variation selector, skin tones) in the cmap for the ligature.
    text = "".join(sequences) + "\u200d\ufe0f" + "".join(chr(c) for c in range(0x1F3FB, 0x1F400))
    subset_font(TTFont(NOTO / "NotoColorEmoji.ttf"), text, FONTS / "NotoColorEmoji-subset.ttf",
                keep_colour_bitmaps=True)
    for path in sorted(FONTS.glob("*.[ot]tf")):
        print(f"{path.name}: {path.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main()
