"""Facts (`facts.unsourced`, `facts.mismatch`): every number or percentage in a published text must be a figure
of a fact the message references, so every statistic published has a source. What is not a statistic (years,
dates, ordinals, names, references such as "SDG 5") is listed in generator/data/figures.yaml. Numbers written
as words count: numberwords.py reads them in English, French, Spanish, Russian and Arabic, cn2an Chinese numerals."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field

import cn2an

from generator.errors import Problem, error
from generator.guards.numberwords import words_as_digits
from generator.guards.subjects import said_of
from generator.guards.text import CJK, HASHTAG_OR_MENTION, URL, DATA, mask, normalise, phrase_pattern
from generator.yamlfile import load_yaml

@functools.lru_cache(maxsize=1)
def _figure_rules() -> dict:
    data = load_yaml(DATA / "figures.yaml", "generator/data/figures.yaml").data
    months = {lang: sorted(map(str, names), key=len, reverse=True) for lang, names in data["months"].items()}
    month_words = "|".join(re.escape(m) for names in months.values() for m in names)
    return {
        "month_before": re.compile(rf"(?i)(?<!\w)(?:{month_words})\.?(?:\s|\u00a0)+(?:de\s+)?\Z"),
        "month_after": re.compile(rf"(?i)^(?:\s|\u00a0)*(?:de\s+)?(?:{month_words})(?!\w)"),
        "ordinal": re.compile(
            "(?i)^(?:" + "|".join(re.escape(s) for s in sorted(data["ordinal_suffixes"], key=len, reverse=True))
            + r")(?!\w)"),
        "date_marker": tuple(data["date_markers"]),
        "named": re.compile("|".join(phrase_pattern(str(n)) for n in data["named_numbers"]), re.IGNORECASE),
        # `SDG 5`, `Article 14`, `General Recommendation No. 38`, `резолюции 3449`, `第14条`: references, not figures
        "reference": _reference_pattern(data["reference_words"], data["reference_counters"],
                                        data["reference_words_zh"]),
        "phone": _phone_pattern(data["phone_words"]),
        "percent_words": re.compile(r"^[ \u00a0]*(?:" + "|".join(map(re.escape, data["percent_words"])) + ")"),
        # change words by direction: {"rise": pattern, "fall": pattern}
        "change": {direction: re.compile("|".join(
            (re.escape(word[:-1]) + r"\w*" if word.endswith("*") else re.escape(word))
            for words in by_language.values() for word in map(str, words)), re.IGNORECASE)
            for direction, by_language in data["change_words"].items()},
    }


def _phone_pattern(words) -> re.Pattern:
    """A telephone number: after a word that introduces one (with "le", "el", "al", "the" or a colon between; not
    "call on", which urges),
    or starting with 0, or digit groups joined by hyphens."""
    introducers = "|".join(re.escape(str(w)) for w in sorted(words, key=len, reverse=True))
    digits = r"\+?\d[\d \u00a0\-]*\d|\d"
    return re.compile(rf"(?i)(?:(?<!\w)|(?<=[\u4e00-\u9fff]))(?:{introducers})(?:[ \u00a0]+(?:le|el|al|the))?"
                      rf"[ \u00a0:：]*(?:{digits})|(?<!\d[ \u00a0\u202f\u2009])(?<![\w.,])0\d{{2,}}(?![\w])|\d+(?:-\d+){{2,}}")


def _reference_pattern(words, counters, chinese_words) -> re.Pattern:
    """A reference word and its number (`SDG 5`, `Article 14`, `No. 38`), or Chinese 第14条 and 目标5. Arabic words
    may carry an attached conjunction or preposition (والهدف 5), and Chinese is written without spaces, so
    neither needs a word boundary before its word."""
    words = sorted(map(str, words), key=len, reverse=True)
    arabic = [re.escape(w) for w in words if re.search(r"[\u0600-\u06ff]", w)]
    other = [re.escape(w) for w in words if not re.search(r"[\u0600-\u06ff]", w)]
    number = r"\.?[ \u00a0]*\d+(?:[.\-/]\d+)*"
    return re.compile(rf"(?i)(?:(?<!\w)(?:{'|'.join(other)})|(?:{'|'.join(arabic)})){number}"
                      rf"|第\s*[0-9零〇一二两三四五六七八九十百千]+\s*(?:{'|'.join(map(re.escape, counters))})"
                      rf"|(?:{'|'.join(map(re.escape, chinese_words))})\s*\d+(?:\.\d+)*")


_NUMBER = re.compile(
    # not inside a word or number (except after Chinese, written without spaces, 有92%的, and Arabic, whose
    # conjunctions and prepositions attach to the number, و٣), and not after a letter and a hyphen (COVID-19)
    r"(?<![^\W\u0600-\u06ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff])(?<!\d[.,])(?<![^\W\d_]-)"
    r"(\d{1,3}(?:(?:,|\.|[ \u00a0\u202f\u2009])\d{3})+(?![\d])(?:[.,]\d+)?|\d+(?:[.,]\d+)?)"
    r"(?P<percent>[ \u00a0\u202f\u2009]?(?:%|٪|％|‰)|\s(?:per\s?cent|percent|pour\s?cent|por\s?ciento|процент\w*)(?!\w))?"
)
_TIME = re.compile(r"(?<!\d)\d{1,2}:\d{2}(?!\d)")
_SCORE = re.compile(r"(?<![\d.,])\d{1,2}[:\-–比]\d{1,2}(?![\d%٪％]|[.,]\d)")  # "won 2-1", "3:1", "2比1", "2-3 days"
# 百分之九十二 (92 percent), 七成 (seven tenths: 70%), 三分之二 (two thirds), 五名 (five, counted)
_HAN_NUMBER = re.compile(r"(百分之)?([零〇一二两三四五六七八九十百千万亿]+)(?:(成)|分之([零〇一二两三四五六七八九十]+)|"
                         r"(?=(名|个|人|位|例|倍|岁|起)))?")


@dataclass(frozen=True)
class Figure:
    """A number as written (`92 %`), and its value for comparison (`92`, percent=True). A percentage is a share
    (`92% of victims`) or a change, a rise or a fall (`rose by 22%`, `+22%`; `fell by 11%`, `-11%`): none of
    them ever stands for another."""

    text: str
    value: str
    percent: bool
    change: str = ""  # "rise", "fall", or "" for a share or a count
    end: int = field(default=-1, compare=False, repr=False)  # where it ends in the text as the guard reads it

    @property
    def key(self) -> tuple:
        return self.value, self.percent, self.change

    def __str__(self) -> str:
        return self.text.strip()


def _ascii_digits(text: str) -> str:
    return "".join(str(unicodedata.decimal(c)) if c.isdigit() and not c.isascii() else c for c in text)


def _value(number: str) -> str:
    """`4,000` / `4 000` / `4.000` -> `4000`; `92,5` -> `92.5`; `92.0` -> `92`."""
    number = _ascii_digits(number)
    grouped = re.fullmatch(r"(\d{1,3}(?:[,. \u00a0\u202f\u2009]\d{3})+)([.,]\d+)?", number)
    if grouped:
        whole, decimals = re.sub(r"\D", "", grouped.group(1)), (grouped.group(2) or "")[1:]
    else:
        whole, _, decimals = number.replace(",", ".").partition(".")
    whole = whole.lstrip("0") or "0"
    decimals = decimals.rstrip("0")
    return f"{whole}.{decimals}" if decimals else whole


_HAN_DIGIT = re.compile("[零〇一二两三四五六七八九十]")


def _han_value(text: str) -> int | None:
    """九十二 -> 92, 两千 -> 2000: Chinese numerals read by cn2an; None for what is no number: a bare 千, 百 or 万
    (千方百计, 成千上万, 百分百, 千万) and what cn2an cannot read (万一, "in case")."""
    if not _HAN_DIGIT.search(text):
        return None
    try:
        return int(cn2an.cn2an(text, "smart"))
    except Exception:  # noqa: BLE001 - cn2an raises ValueError or KeyError (一亿二) on what it cannot read
        return None


# The clause a change word must stand in before a figure: back to the last sentence or clause mark, at most this far.
_CLAUSE_END = re.compile(r"[.;:!?。；：！？\n]")
_CLAUSE_CHARS = 90
# How much text around a figure its reading looks at (a clause, a month name, a unit): a bounded window, so that
# reading a text full of numbers stays linear in its length.
_AROUND = 120


def _change(before: str, after: str, rules: dict) -> str:
    """Whether the percentage is a rise or a fall ("rise", "fall"), or neither (""): a sign right before it
    (+22%, −11%), else the last change word in its clause before it, else one of the two words right after it
    ("a 120% rise")."""
    if before[-1:] == "+":
        return "rise"
    if before[-1:] in ("-", "−"):
        return "fall"
    clause = before[-_CLAUSE_CHARS:]
    ends = list(_CLAUSE_END.finditer(clause))
    clause = clause[ends[-1].end():] if ends else clause
    found = [(match.end(), direction) for direction, pattern in rules["change"].items()
             for match in pattern.finditer(clause)]
    if found:
        return max(found)[1]
    following = " ".join(after.split()[:2])
    return next((direction for direction, pattern in rules["change"].items() if pattern.match(following)), "")


def readable(text: str, language: str) -> str:
    """`text` as the guard reads it: normalised, numbers written as words in digits, and what is never a figure
    (links, tags, times, names, references) blanked out. A figure's `end` is a position in this text."""
    rules = _figure_rules()
    # names first as written ("الأيام الستة عشر"), then as they read once their number words are digits
    text = words_as_digits(mask(normalise(text), rules["named"]), language)
    for pattern in (URL, HASHTAG_OR_MENTION, _TIME, _SCORE, rules["phone"], rules["named"], rules["reference"]):
        text = mask(text, pattern)
    return text


def extract_figures(text: str, language: str = "en") -> list[Figure]:
    """The numbers in `text` that state something (see generator/data/figures.yaml for what does not), those
    written as words included."""
    return _figures_in(readable(text, language))


def _figures_in(text: str) -> list[Figure]:
    rules = _figure_rules()
    figures = []
    for match in _NUMBER.finditer(text):
        after = text[match.end(): match.end() + _AROUND]
        before = text[max(0, match.start() - _AROUND): match.start()]
        value, percent = _value(match.group(1)), bool(match.group("percent"))
        if not percent and rules["percent_words"].match(after):
            percent = True  # the Arabic UN style: "92 في المائة" is 92%
        if not percent:
            if rules["ordinal"].match(after) or after[:1] in rules["date_marker"]:
                continue
            if after[:1].isalpha() and not CJK.match(after[:1]):
                continue  # a name such as 4G or 10x
            if re.fullmatch(r"(19|20)\d\d", value):
                continue  # a year
            if rules["month_before"].search(before) or rules["month_after"].match(after):
                continue  # a date
        figures.append(Figure(match.group(0), value, percent, _change(before, after, rules) if percent else "",
                              match.end()))
    for match in _HAN_NUMBER.finditer(text):
        percent, tenths, parts, measured = bool(match.group(1)), match.group(3), match.group(4), match.group(5)
        value = _han_value(match.group(2))
        if value is None or (parts and _han_value(parts) is None):
            continue
        end = match.end()
        if tenths:  # 七成 is 70%
            figures.append(Figure(match.group(0), str(value * 10), True, end=end))
        elif parts:  # 三分之二: two (parts) of three
            figures += [Figure(match.group(0), str(_han_value(parts)), False, end=end),
                        Figure(match.group(0), str(value), False, end=end)]
        elif percent or (measured and value != 1):  # 一名, 一个: "a", not a figure
            change = _change(text[max(0, match.start() - _AROUND): match.start()],
                             text[match.end(): match.end() + _AROUND], rules) if percent else ""
            figures.append(Figure(match.group(0), str(value), percent, change, end))
    return figures


def fact_keys(fact) -> set[tuple]:
    """The keys (value, percent, change) of the fact's figures, as figures in a text are compared with them."""
    return set().union(*(_keys_of(str(figure)) for figure in fact.figures))


@functools.lru_cache(maxsize=1024)  # a fact's figures are read again for every figure of every post checked
def _keys_of(written: str) -> frozenset[tuple]:
    """The keys a fact's figure as written (`"92%"`, `"-11%"`, `"5"`) stands for."""
    keys = {f.key for f in extract_figures(written)}
    bare = _ascii_digits(written).strip()
    if re.fullmatch(r"\d+", bare):
        keys.add((_value(bare), False, ""))  # a fact may list a year or an ordinal-looking figure on purpose
    return frozenset(keys)


def check_facts(text: str, message, campaign, where: str = "", language: str = "en") -> list[Problem]:
    """Every figure in `text` (in `language`, whose number words count too) must belong to a fact that `message`
    references (and so has a source)."""
    referenced = {fact_id: campaign.facts[fact_id] for fact_id in message.facts if fact_id in campaign.facts}
    allowed = set().union(*(fact_keys(f) for f in referenced.values())) if referenced else set()
    problems, seen = [], set()
    text = readable(text, language)
    for figure in _figures_in(text):
        key = figure.key
        if key in allowed:
            problems += _swapped(figure, text, language, referenced.values(), where)
            continue
        if key in seen:
            continue
        seen.add(key)
        elsewhere = sorted(fid for fid, f in campaign.facts.items() if fid not in referenced and key in fact_keys(f))
        if elsewhere:
            problems.append(error(
                "facts.unsourced",
                f"'{figure}' is a figure of fact {', '.join(elsewhere)}, which message '{message.id}' does not "
                f"reference: add it to the message's facts", where))
        elif referenced:
            listed = "; ".join(f"{fid}: {', '.join(map(str, f.figures))}" for fid, f in referenced.items())
            problems.append(error(
                "facts.mismatch",
                f"'{figure}' matches no figure of the message's facts ({listed})", where))
        else:
            problems.append(error(
                "facts.unsourced",
                f"'{figure}' has no source: message '{message.id}' references no fact with this figure", where))
    return problems


def _swapped(figure: Figure, text: str, language: str, facts, where: str) -> list[Problem]:
    """`facts.swapped`: the figure is said of a noun that its fact gives another figure for ("2 are women" when
    the fact says 5 women and 2 girls)."""
    noun = said_of(text, figure.end, language)
    if noun is None:
        return []
    for fact in facts:
        said = {subject: _keys_of(written) for written, subject in fact.subjects}
        if noun in said and figure.key not in said[noun] and any(figure.key in keys for keys in said.values()):
            described = " and ".join(f"{written} for {subject}" for written, subject in fact.subjects)
            return [error("facts.swapped", f"'{figure}' is said of {noun} here, but fact {fact.id} gives {described}",
                          where)]
    return []

