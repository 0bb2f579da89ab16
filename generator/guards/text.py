"""Text as the content guards read it: normalised (NFC, plain apostrophes), with links and tags masked, and
wordings turned into whole-word patterns. Shared by terminology.py, facts.py and links.py."""

from __future__ import annotations

import re
import unicodedata
from importlib import resources
from pathlib import Path

# The guards' tables (glossary, figures, subjects), package data like the rest of generator/data; a Path, since
# load_yaml names the file in its errors.
DATA = Path(str(resources.files("generator").joinpath("data")))
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
WORD = re.compile(r"\w+")
ARABIC_AND = "و"  # "and", written joined to the next word (وعشرون, والنساء)
SEPARATOR = r"[\s\u00a0\u202f\u2009\-]+"  # between words of a phrase: spaces, no-break spaces, hyphens
# The scheme is bounded (real ones are short): unbounded, `a-a-a-…` retried the scheme from every word start,
# quadratic on long text.
URL = re.compile(r"(?i)\b(?:[a-z][a-z0-9+.\-]{0,31}://|www\.)[^\s<>\"“”«»]+")
TRAILING = ".,;:!?'\"’)]}»。，；：！？、）"
HASHTAG_OR_MENTION = re.compile(r"[#＃@]\w+")
# A cell starting with one of these is run as a formula by Excel, LibreOffice and Google Sheets when staff open
# a scheduler CSV (OWASP, "CSV injection"); the full-width forms too, as Japanese and Chinese spreadsheets
# read them.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def normalise(text: str) -> str:
    """NFC, and typographic apostrophes as plain ones, so `lovers’ quarrel` matches `lovers' quarrel`."""
    return unicodedata.normalize("NFC", text).replace("’", "'").replace("ʼ", "'")


def mask(text: str, pattern: re.Pattern) -> str:
    """Blank out matches (same length, so positions stay) to keep them away from a check."""
    return pattern.sub(lambda m: " " * len(m.group(0)), text)


def phrase_pattern(form: str, *, english_plural: bool = False) -> str:
    """A glossary form as a regex: `*` is any letters; words may be joined by spaces, no-break spaces or
    hyphens; whole words only, except for Chinese (written without spaces)."""
    words = normalise(form).split()
    parts = []
    for index, word in enumerate(words):
        piece = re.escape(word).replace(r"\*", r"\w*")
        if english_plural and index == len(words) - 1 and not word.endswith("*"):
            piece += "(?:s|es)?"
        parts.append(piece)
    body = SEPARATOR.join(parts)
    if CJK.search(form):
        return body
    return rf"(?<!\w){body}(?!\w)"
