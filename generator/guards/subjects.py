"""What a figure in a post is said of ("5 are *women*", "72% of *girls*", "5名*妇女*"), so the facts guard can
refuse two figures of one fact swapped: "2 are women and 5 are girls" when the fact says 5 women and 2 girls.
The nouns, and the words that end the search, are in generator/data/subjects.yaml."""

from __future__ import annotations

import functools
import re

from generator.guards.text import ARABIC_AND, CJK, DATA, WORD, normalise
from generator.yamlfile import load_yaml

_WORDS_AFTER = 3  # how far after a figure its noun may stand: "5 sont des femmes", "72% de las niñas"
_CJK_CHARACTERS_AFTER = 5  # the same in Chinese: 5名妇女, 72%的女童
_LOOKS_AHEAD = 80  # characters: more than three words, and bounded, so a text full of figures reads in linear time
_CLAUSE_MARK = re.compile(r"[.,;:!?()\[\]\"«»“”。，；：！？（）、،؛]")


@functools.lru_cache(maxsize=1)
def _vocabulary() -> tuple[dict, dict]:
    data = load_yaml(DATA / "subjects.yaml", "generator/data/subjects.yaml").data
    nouns = {name: {language: _glob_pattern(words) for language, words in by_language.items()}
             for name, by_language in data["nouns"].items()}
    stop = {language: {normalise(str(w)).lower() for w in words} for language, words in data["stop"].items()}
    return nouns, stop


def _glob_pattern(words) -> re.Pattern:
    """Whole words, `*` for any letters: `женщин*` matches женщины and женщин."""
    return re.compile("|".join(re.escape(normalise(str(w)).lower()).replace(r"\*", r"\w*") for w in words))


def subject_names() -> tuple[str, ...]:
    """The nouns a fact may name as what its figures are said of."""
    return tuple(_vocabulary()[0])


def _noun_of(word: str, language: str) -> str | None:
    nouns, _ = _vocabulary()
    for name, patterns in nouns.items():
        pattern = patterns.get(language)
        if pattern is not None and pattern.fullmatch(word):
            return name
    return None


def said_of(text: str, end: int, language: str) -> str | None:
    """The noun a figure ending at `end` in `text` is said of, from subjects.yaml, or None when no noun of the
    list stands close after it in the same clause."""
    base = language.split("-")[0]
    after = text[end: end + _LOOKS_AHEAD]
    clause = _CLAUSE_MARK.search(after)
    after = after[: clause.start()] if clause else after
    _, stop = _vocabulary()
    stop_words = stop.get(base, set())
    if base == "zh" or CJK.match(after.lstrip()[:1]):
        window = re.split(r"\d", after.lstrip()[:_CJK_CHARACTERS_AFTER])[0]
        cut = min((window.find(w) for w in stop_words if w in window), default=-1)
        window = window[:cut] if cut >= 0 else window
        nouns, _ = _vocabulary()
        found = [(match.start(), name) for name, patterns in nouns.items() if base in patterns
                 for match in [patterns[base].search(window)] if match]
        return min(found)[1] if found else None
    for word in [w.group(0).lower() for w in WORD.finditer(after)][:_WORDS_AFTER]:
        noun = _noun_of(word, base)
        if noun:
            return noun
        if word in stop_words or (base == "ar" and word.startswith(ARABIC_AND)) or word.isdigit():
            return None
    return None
