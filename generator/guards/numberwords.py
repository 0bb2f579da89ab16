"""Numbers written as words, turned into digits so the facts guard sees them: "seven in ten" -> "7 in 10",
"семь из десяти" -> "7 из 10", "سبع من كل عشر" -> "7 من كل 10".

English, French and Spanish are read by text2num. No maintained library reads Russian or Arabic number words,
but num2words, which is maintained, writes them: its words for every unit, teen, ten and hundred (in every
Russian case and gender, and in both Arabic genders) are read back here, and a run of them adds up
("двадцать пять" = 20 + 5, "خمسة وعشرون" = 5 + 20, "четыре тысячи" = 4 × 1000). Chinese numerals are read in
facts.py (cn2an). As text2num does, a lone one or two stays a word ("одна цель", "اثنان منا"): it is far more
often "a" or "both" than a statistic, except in a ratio, before "in", "sur", "de cada", "из", "من كل" and a
number ("two in 3", "deux femmes sur 3", "una de cada 3", "одна из 3")."""

from __future__ import annotations

import functools
import re

from num2words import num2words
from num2words.lang_AR import Num2Word_AR
from text_to_num import alpha2digit

from generator.guards.text import ARABIC_AND, WORD

_TEXT2NUM_LANGUAGES = ("en", "fr", "es")
_THOUSAND = 1000
_LONE_WORD_BELOW = 3  # a lone number word below this stays a word
_RUSSIAN_CASES = ("nominative", "genitive", "dative", "accusative", "instrumental", "prepositional")
_GAP = re.compile(r"[ \u00a0]+")  # between the words of one number
_ARABIC_THE = "ال"
# A compound ordinal: its last word an ordinal after cardinal words ("двадцать первом", "двадцать второй").
_ORDINAL_AFTER = {"ru": re.compile(r"[ \u00a0]+(?:перв|втор|треть|четв[её]рт|пят|шест|седьм|восьм|девят|десят)"
                                   r"(?:ый|ой|ий|ая|ое|ого|ому|ым|ом|ую|ые|ых|ым|ыми|ьего|ьему|ьим|ьем|ья|ье|ьи)\b")}
_UNIT_WORD = "qxpercentqx"  # "pour cent" / "por ciento" while text2num reads the text: a word it does not know
_SPANISH_ARTICLE_BEFORE_PERCENT = re.compile(rf"(?i)(?<!\w)un[ \u00a0]+(?=[^\W\d]+[ \u00a0]+{_UNIT_WORD})")
_PERCENT_IN_WORDS = re.compile(r"(?i)[ \u00a0]+(?:pour[ \u00a0]?cent|por[ \u00a0]?ciento)(?!\w)(?![ \u00a0]+mil)")
# A one or a two that is a statistic: before a ratio's word and a number, a noun between them at most
# ("two in 3", "deux femmes sur 3", "dos de cada 3", "две женщины из 3", "واحدة من كل 3").
_ONE_OR_TWO = {"en": {"one": 1, "two": 2}, "fr": {"un": 1, "une": 1, "deux": 2},
               "es": {"un": 1, "una": 1, "uno": 1, "dos": 2}}
_RATIO_WORDS = {"en": ["in", "out of", "of every"], "fr": ["sur"], "es": ["de cada"], "ru": ["из"],
                "ar": ["من كل", "من بين كل", "من"]}
# The noun a ratio may name between its two numbers ("deux femmes sur trois"): people only, so "un rapport sur
# 5 pays" and "two workshops in 2024" are no ratios.
_RATIO_NOUNS = {"en": r"wom[ae]n|girls?|m[ae]n|boys?|child(?:ren)?|victims?|survivors?|people|persons?",
                "fr": r"femmes?|filles?|hommes?|garçons?|enfants?|victimes?|survivantes?|personnes?",
                "es": r"mujer(?:es)?|niñ[ao]s?|hombres?|víctimas?|sobrevivientes?|personas?",
                "ru": r"женщин\w*|девоч\w*|девушк\w*|мужчин\w*|дет\w*|жертв\w*|человек\w*",
                "ar": r"[وال]*(?:نساء|امرأة|فتيات|فتاة|أطفال|طفل|ضحايا|ضحية|رجال|نسوة)"}
# Fractions in words, read as a ratio ("two thirds of" -> "2 in 3 of") before text2num, which would make
# "two 3rds" of them. Numerators: the small numbers; denominators: third, quarter, fifth (what statistics use),
# followed by "of" in the languages that need it, so "pays tiers" and "tres cuartos" (rooms) stay words.
_FRACTIONS = {
    "en": ({"a": 1, "one": 1, "two": 2, "three": 3, "four": 4}, {"third": 3, "quarter": 4, "fifth": 5},
           r"s?[ \u00a0]+(?=of\b(?![ \u00a0]+(?:a|an|the)?[ \u00a0]*(?:century|hour|mile|year)))", "in"),
    "fr": ({"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4}, {"tiers": 3, "quart": 4, "cinquième": 5},
           r"s?[ \u00a0]+(?=(?:de|des|du)\b(?![ \u00a0]+(?:siècle|heure))|d'(?!heure))", "sur"),  # not time
    "es": ({"un": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4}, {"tercio": 3, "cuarto": 4, "quinto": 5},
           r"s?[ \u00a0]+(?=(?:de|del)\b(?![ \u00a0]+(?:siglo|hora|baño)))", "de cada"),
    "ru": ({"одна": 1, "одну": 1, "одной": 1, "две": 2, "двух": 2, "три": 3, "трех": 3, "трёх": 3},
           {"трет": 3, "четверт": 4, "пят": 5}, r"(?:ь|и|ей|ью|ям|ями|ях)(?!\w)", "из"),
}
# not خمس ("five" too) nor ربع (ربع قرن: a quarter of a century)
_ARABIC_FRACTIONS = {"ثلثا": "2 من 3", "ثلثي": "2 من 3", "ثلث": "1 من 3"}
# Arabic number words that are also everyday words when written without vowels: ست (a lady), تسع (it holds),
# سبع (a lion), ألف (he wrote), خمس (a fifth), عشر (a tenth). Alone, each is a number only where a statistic puts
# it: before "of" or "per cent" (سبع من, ست في المائة) or after "every" (كل عشر).
_ARABIC_HOMOGRAPHS = frozenset({"ست", "تسع", "سبع", "ألف", "خمس", "عشر"})
_ARABIC_STATISTIC_AFTER = re.compile(r"[ \u00a0]+(?:من|في المائة|في المئة|بالمائة|بالمئة)(?!\w)")
_ARABIC_STATISTIC_BEFORE = re.compile(r"(?<!\w)كل[ \u00a0]{1,4}\Z")  # read in the few characters before


def _russian_words() -> dict[str, int]:
    words = {}
    values = [*range(1, 20), *range(20, 100, 10), *range(100, 1000, 100)]
    for value in values:
        for case in _RUSSIAN_CASES:
            for gender in ("m", "f", "n"):
                words[num2words(value, lang="ru", case=case, gender=gender)] = value
    for many in (1000, 2000, 5000):  # тысяча, тысячи, тысяч in every case
        for case in _RUSSIAN_CASES:
            words[num2words(many, lang="ru", case=case).split()[-1]] = _THOUSAND
    # ё is often written е (трех for трёх)
    return {word.replace("ё", "е"): value for word, value in words.items()}


def _arabic_words() -> dict[str, int]:
    tables = Num2Word_AR()
    words = {}
    for value in range(1, 11):  # 11-19 are two words (سبعة عشر: 7 + 10)
        words[tables.arabicOnes[value]] = value
        words[tables.arabicFeminineOnes[value]] = value
    words[tables.arabicOnes[1] + "ة"] = 1  # واحدة: "one" said of a woman, as a word of its own
    for two in (tables.arabicOnes[2], tables.arabicFeminineOnes[2]):
        words[two[:-2] + "ين"] = 2  # the form after a preposition or as an object: اثنين, اثنتين
    for index, ten in enumerate(tables.arabicTens):
        value = (index + 2) * 10
        words[ten] = value
        words[ten[:-2] + "ين"] = value  # the form after a preposition or as an object: عشرين, تسعين
    for value, hundred in enumerate(tables.arabicHundreds):
        if hundred:
            words[hundred] = value * 100
            words[hundred.replace("مائة", "مئة")] = value * 100  # the newer spelling of "hundred"
    words[tables.arabicTwos[0]] = words[tables.arabicAppendedTwos[0]] = 200
    words[tables.arabicGroup[1]] = words[tables.arabicPluralGroups[1]] = _THOUSAND
    words[tables.arabicAppendedGroup[1]] = _THOUSAND
    words[tables.arabicTwos[1]] = words[tables.arabicAppendedTwos[1]] = 2 * _THOUSAND
    return words


@functools.lru_cache(maxsize=None)
def _vocabulary(language: str) -> dict[str, int]:
    return {"ru": _russian_words, "ar": _arabic_words}[language]()


def _split_and(word: str, language: str) -> tuple[str, str]:
    """(a joined Arabic "and" or "", the number word after it): وعشرون is "و" and عشرون. Not "the" (ال):
    الثلاثين, الحادي والعشرين are ordinals ("the thirtieth"); "الأيام الستة عشر", the 16 Days, is a name in
    figures.yaml."""
    key = word.lower().replace("ё", "е")
    if language == "ar" and key not in _vocabulary(language) and key.startswith(ARABIC_AND):
        return ARABIC_AND, key[1:]
    return "", key


def _word_value(word: str, language: str) -> int | None:
    return _vocabulary(language).get(_split_and(word, language)[1])


def _read_run(text: str, start: int, language: str) -> tuple[int, int, int]:
    """The number spelled by the run of number words from `start`: (value, end, how many words)."""
    total = current = count = 0
    end = start
    position = start
    while match := WORD.match(text, position):
        value = _word_value(match.group(0), language)
        if value is None and not (language == "ar" and match.group(0) == ARABIC_AND and count):
            break
        if value == _THOUSAND:
            total += max(current, 1) * _THOUSAND
            current = 0
        elif value is not None:
            current += value
        if value is not None:
            count += 1
            end = match.end()
        gap = _GAP.match(text, match.end())
        if not gap:
            break
        position = gap.end()
    return total + current, end, count


def _spelled_numbers_as_digits(text: str, language: str) -> str:
    pieces, position = [], 0
    for match in WORD.finditer(text):
        if match.start() < position or _word_value(match.group(0), language) is None:
            continue
        value, end, count = _read_run(text, match.start(), language)
        if count == 1 and (value < _LONE_WORD_BELOW or value == _THOUSAND  # "тысячи женщин": thousands of
                           or _arabic_homograph_as_word(text, match, end, language)):
            continue
        if _ORDINAL_AFTER.get(language) and _ORDINAL_AFTER[language].match(text, end):
            continue  # "двадцать первом веке": the number is the start of an ordinal
        pieces += [text[position: match.start()], _split_and(match.group(0), language)[0], str(value)]
        position = end
    return "".join(pieces) + text[position:]


def _arabic_homograph_as_word(text: str, match: re.Match, end: int, language: str) -> bool:
    word = _split_and(match.group(0), language)[1] if language == "ar" else ""
    return word in _ARABIC_HOMOGRAPHS and not (_ARABIC_STATISTIC_AFTER.match(text, end)
                                               or _ARABIC_STATISTIC_BEFORE.search(text[max(0, match.start() - 8): match.start()]))


@functools.lru_cache(maxsize=None)
def _ones_and_twos(language: str) -> dict[str, int]:
    """The words for one and two: listed for the text2num languages, num2words' for Russian and Arabic."""
    return _ONE_OR_TWO.get(language) or {w: v for w, v in _vocabulary(language).items() if v < _LONE_WORD_BELOW}


@functools.lru_cache(maxsize=None)
def _ratio_pattern(language: str) -> re.Pattern | None:
    """A one or a two before a ratio's word and a digit, at most one word between (group 1: the number word)."""
    if language not in _RATIO_WORDS:
        return None
    words = "|".join(map(re.escape, sorted(_ones_and_twos(language), key=len, reverse=True)))
    ratio = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in _RATIO_WORDS[language])
    not_a_number = r"(?<!no )(?<!every )(?<!any )(?<!some )" if language == "en" else ""  # "no one in 3 days"
    noun = _RATIO_NOUNS.get(language, r"(?!)")
    return re.compile(rf"(?i)(?<!\w){not_a_number}({words})(?=(?:\s+(?:{noun}))?\s+(?:{ratio})\s+\d{{1,3}}(?!\d))")


def _one_or_two_in_ratios(text: str, language: str) -> str:
    pattern = _ratio_pattern(language)
    if pattern is None:
        return text
    small = _ones_and_twos(language)
    return pattern.sub(lambda m: str(small[m.group(1).lower().replace("ё", "е")]), text)


@functools.lru_cache(maxsize=None)
def _fraction_pattern(language: str) -> re.Pattern:
    numerators, denominators, after, _ = _FRACTIONS[language]
    top = "|".join(map(re.escape, sorted(numerators, key=len, reverse=True)))
    bottom = "|".join(map(re.escape, sorted(denominators, key=len, reverse=True)))
    return re.compile(rf"(?i)(?<!\w)(\d+|{top})[ \u00a0-]+({bottom}){after}")


def _fractions_as_ratios(text: str, language: str) -> str:
    if language == "ar":  # the dual ثلثا is "two thirds": attached to nothing, before its noun
        words = "|".join(map(re.escape, _ARABIC_FRACTIONS))
        return re.sub(rf"(?<!\w)({words})(?!\w)", lambda m: _ARABIC_FRACTIONS[m.group(1)], text)
    if language not in _FRACTIONS:
        return text
    numerators, denominators, _, ratio_word = _FRACTIONS[language]

    def ratio(match: re.Match) -> str:
        top = match.group(1).lower()
        value = int(top) if top.isdigit() else numerators[top]
        return f"{value} {ratio_word} {denominators[match.group(2).lower()]} "
    return _fraction_pattern(language).sub(ratio, text)


def words_as_digits(text: str, language: str) -> str:
    """`text` with its numbers written as words turned into digits, in the languages read here (see the module's
    docstring); other text unchanged."""
    base = language.split("-")[0]
    text = _fractions_as_ratios(text, base)
    if base in _TEXT2NUM_LANGUAGES:
        # "pour cent" and "por ciento" are a unit, which text2num would read as the number 100: hidden from it as
        # a made-up word, then a percent sign where a number stands before it, else the words again
        text = _PERCENT_IN_WORDS.sub(" " + _UNIT_WORD, text)
        if base == "es":  # the article of "cayó un once %": text2num would read "un once" as 1 and 11
            text = _SPANISH_ARTICLE_BEFORE_PERCENT.sub("", text)
        try:
            text = alpha2digit(text, base)
        except Exception:  # noqa: BLE001 - a library's slip on odd text must not stop the guard: read as written
            pass
        text = re.sub(rf"(?<=\d)[ \u00a0]*{_UNIT_WORD}", " %", text)
        text = text.replace(_UNIT_WORD, "pour cent" if base == "fr" else "por ciento")
    elif base in ("ru", "ar"):
        text = _spelled_numbers_as_digits(text, base)
    return _one_or_two_in_ratios(text, base)
