"""Hyphenation points of long words, from the LibreOffice hyphenation dictionaries that `pyphen` ships (en, fr,
es, ru among the campaigns' languages; Arabic and Chinese are not hyphenated). Used by textfit.py only for a
word that is wider than its box even at the layer's smallest size, which would otherwise not fit at all."""

from __future__ import annotations

import functools

import pyphen

MIN_LETTERS = 6  # shorter words are never cut
MIN_PIECE = 2  # letters on either side of a cut (pyphen's own margins are 2 and 2)


@functools.lru_cache(maxsize=None)
def _dictionary(language: str) -> pyphen.Pyphen | None:
    name = pyphen.language_fallback(language.replace("-", "_"))
    return pyphen.Pyphen(lang=name, left=MIN_PIECE, right=MIN_PIECE) if name else None


def word_pieces(unit: str, language: str) -> list[str] | None:
    """`unit` (a word and the spaces after it) cut at its hyphenation points: the pieces in order, the spaces on
    the last one; None when the language has no dictionary or the word has no point."""
    word = unit.rstrip()
    dictionary = _dictionary(language.split("-")[0])
    if dictionary is None or sum(ch.isalpha() for ch in word) < MIN_LETTERS:
        return None
    positions = dictionary.positions(word)
    if not positions:
        return None
    bounds = [0, *positions, len(word)]
    pieces = [word[start:end] for start, end in zip(bounds, bounds[1:])]
    pieces[-1] += unit[len(word):]
    return pieces
