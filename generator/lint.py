"""Content guards run on every rendered post: terminology, facts, links (and UTM tagging of links).

- terminology (`terms.avoid`): wording the glossary (generator/data/glossary.yaml, extended by campaigns and
  partners) says to avoid, with the preferred wording and the reason;
- facts (`facts.unsourced`, `facts.mismatch`): every number or percentage in a post must be a figure of a
  fact the message references, so every statistic published has a source; what is not a statistic
  (years, dates, ordinals, names) is listed in generator/data/figures.yaml;
- links (`link.insecure`, `link.malformed`): https only, well-formed.

Each check returns Problems (errors); none prints or raises for content.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import cn2an
from text_to_num import alpha2digit

from generator.errors import Problem, error
from generator.yamlfile import load_yaml

DATA = Path(__file__).parent / "data"
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_SEPARATOR = r"[\s\u00a0\u202f\u2009\-]+"  # between words of a phrase: spaces, no-break spaces, hyphens
# The scheme is bounded (real ones are short): unbounded, `a-a-a-…` retried the scheme from every word start,
# quadratic on long text.
_URL = re.compile(r"(?i)\b(?:[a-z][a-z0-9+.\-]{0,31}://|www\.)[^\s<>\"“”«»]+")
_TRAILING = ".,;:!?'\"’)]}»。，；：！？、）"
_HASHTAG_OR_MENTION = re.compile(r"[#＃@]\w+")


def _normalise(text: str) -> str:
    """NFC, and typographic apostrophes as plain ones, so `lovers’ quarrel` matches `lovers' quarrel`."""
    return unicodedata.normalize("NFC", text).replace("’", "'").replace("ʼ", "'")


def _mask(text: str, pattern: re.Pattern) -> str:
    """Blank out matches (same length, so positions stay) to keep them away from a check."""
    return pattern.sub(lambda m: " " * len(m.group(0)), text)


def _phrase_pattern(form: str, *, english_plural: bool = False) -> str:
    """A glossary form as a regex: `*` is any letters; words may be joined by spaces, no-break spaces or
    hyphens; whole words only, except for Chinese (written without spaces)."""
    words = _normalise(form).split()
    parts = []
    for index, word in enumerate(words):
        piece = re.escape(word).replace(r"\*", r"\w*")
        if english_plural and index == len(words) - 1 and not word.endswith("*"):
            piece += "(?:s|es)?"
        parts.append(piece)
    body = _SEPARATOR.join(parts)
    if _CJK.search(form):
        return body
    return rf"(?<!\w){body}(?!\w)"


# --- terminology ------------------------------------------------------------------------------------------


# Text as tokens for wildcard wordings: words, single marks (an apostrophe) and the gaps between them. Between
# the words of a wording a gap may be spaces, no-break spaces or hyphens; a hyphen written inside a wording's
# word (девочк*-невест*) must be a hyphen in the text.
_TOKEN = re.compile(r"\w+|[^\w\s\u00a0\u202f\u2009\-]")
_FORM_TOKEN = re.compile(r"[\w*]+|[^\w*]")
_GAP = re.compile(r"[\s\u00a0\u202f\u2009\-]+")
TIGHT, HYPHEN, SPACED = "", "-", " "  # what may stand between two tokens of a wording


def _glob(pattern: str, word: str) -> bool:
    """Whether `word` is `pattern` with each `*` standing for any letters, case-insensitively. Two pointers and
    the last star to return to: time grows with the word's length times the pattern's, never exponentially, so a
    hostile `*a*a*a*q` cannot hang the guard (a regex with one `\\w*` per star backtracks polynomially)."""
    pattern, word = pattern.casefold(), word.casefold()
    p = w = 0
    star, resume = -1, 0
    while w < len(word):
        if p < len(pattern) and pattern[p] != "*" and pattern[p] == word[w]:
            p, w = p + 1, w + 1
        elif p < len(pattern) and pattern[p] == "*":
            star, resume, p = p, w, p + 1
        elif star >= 0:
            p, resume = star + 1, resume + 1
            w = resume
        else:
            return False
    return all(char == "*" for char in pattern[p:])


@dataclass(frozen=True)
class Wording:
    """The forms of a glossary entry, found in text: plain forms by one regex, forms with `*` token by token
    (_glob), so that no wording, a partner's included, can make the guard backtrack for ever."""

    plain: re.Pattern | None
    wildcards: tuple  # of (form tokens, the gap before each: TIGHT, HYPHEN or SPACED)
    english_plural: bool = False

    @classmethod
    def of(cls, forms, english_plural: bool = False) -> "Wording":
        plain = [f for f in forms if "*" not in f or _CJK.search(f)]
        wild = [f for f in forms if "*" in f and not _CJK.search(f)]
        pattern = "|".join(_phrase_pattern(f, english_plural=english_plural) for f in plain)
        return cls(re.compile(pattern, re.IGNORECASE) if pattern else None,
                   tuple(_form_tokens(_normalise(f)) for f in wild), english_plural)

    def spans(self, text: str) -> list[tuple[int, int]]:
        found = [m.span() for m in self.plain.finditer(text)] if self.plain is not None else []
        if self.wildcards:
            tokens = [(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(text)]
            for form in self.wildcards:
                found += self._wildcard_spans(form, tokens, text)
        return found

    def _wildcard_spans(self, form, tokens, text) -> list[tuple[int, int]]:
        words, gaps = form
        spans = []
        for first in range(len(tokens) - len(words) + 1):
            for index, word in enumerate(words):
                start, end, token = tokens[first + index]
                if index and not _gap_fits(text[tokens[first + index - 1][1]:start], gaps[index]):
                    break  # a gap where the wording has none, or none where it has one
                last = index == len(words) - 1
                if not (_glob(word, token) or (last and self.english_plural and not word.endswith("*")
                                               and any(_glob(word + ending, token) for ending in ("s", "es")))):
                    break
            else:
                spans.append((tokens[first][0], tokens[first + len(words) - 1][1]))
        return spans


def _gap_fits(gap: str, wanted: str) -> bool:
    if wanted == TIGHT:
        return gap == ""
    if wanted == HYPHEN:
        return gap == "-"
    return bool(gap) and bool(_GAP.fullmatch(gap))


def _form_tokens(form: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A wording's tokens and the gap before each (l'esclave*: l ' esclave*, tight; sex slave: spaced)."""
    words, gaps = [], []
    for position, piece in enumerate(form.split()):
        gap = SPACED
        for match in _FORM_TOKEN.finditer(piece):
            if match.group(0) == "-":
                gap = HYPHEN
                continue
            words.append(re.sub(r"\*+", "*", match.group(0)))  # `***` is one `*`
            gaps.append(gap if (position or words[:-1]) else TIGHT)
            gap = TIGHT
    return tuple(words), tuple(gaps)


@dataclass(frozen=True)
class Term:
    pattern: Wording
    exceptions: Wording | None
    prefer: str
    reason: str
    language: str
    origin: str = ""


def compile_entry(entry: dict) -> Term:
    """A glossary entry (`avoid`, `prefer`, `reason`, `language`, optional `except`) as a matcher."""
    forms = entry["avoid"] if isinstance(entry["avoid"], (list, tuple)) else [entry["avoid"]]
    language = str(entry.get("language") or "en")
    forms = sorted((str(f) for f in forms if str(f).strip()), key=len, reverse=True)  # the longest wording wins
    exceptions = [str(f) for f in entry.get("except") or () if str(f).strip()]
    return Term(
        pattern=Wording.of(forms, english_plural=language == "en"),
        exceptions=Wording.of(exceptions) if exceptions else None,
        prefer=str(entry.get("prefer") or ""),
        reason=str(entry.get("reason") or ""),
        language=language,
        origin=str(entry.get("origin") or ""),
    )


@functools.lru_cache(maxsize=1)
def glossary() -> tuple[Term, ...]:
    """The shipped glossary, compiled once."""
    document = load_yaml(DATA / "glossary.yaml", "generator/data/glossary.yaml")
    return tuple(compile_entry(entry) for entry in document.data["entries"])


def check_terminology(text: str, language: str, extra_entries=(), where: str = "") -> list[Problem]:
    """`terms.avoid` for every glossary wording found in `text` (links, hashtags' `#` excepted)."""
    text = _mask(_normalise(text), _URL)
    terms = [*glossary(), *(compile_entry(entry) for entry in extra_entries)]
    hits = []  # (start, end, found, term): the longest wording wins where two entries overlap
    for term in terms:
        if term.language not in (language, "*"):
            continue
        allowed = term.exceptions.spans(text) if term.exceptions else []
        for start, end in term.pattern.spans(text):
            if not any(a_start <= start and end <= a_end for a_start, a_end in allowed):
                hits.append((start, end, text[start:end], term))
    problems, seen, covered = [], set(), []
    for start, end, found, term in sorted(hits, key=lambda hit: (hit[0], hit[0] - hit[1])):
        if any(start < c_end and c_start < end for c_start, c_end in covered):
            continue
        covered.append((start, end))
        if (found.lower(), term.prefer) in seen:
            continue
        seen.add((found.lower(), term.prefer))
        problems.append(error("terms.avoid", f'"{found}": use "{term.prefer}" instead; {term.reason}', where))
    return problems


# --- facts ------------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _figure_rules() -> dict:
    data = load_yaml(DATA / "figures.yaml", "generator/data/figures.yaml").data
    months = {lang: sorted(map(str, names), key=len, reverse=True) for lang, names in data["months"].items()}
    month_words = "|".join(re.escape(m) for names in months.values() for m in names)
    return {
        "month_before": re.compile(rf"(?i)(?<!\w)(?:{month_words})\.?(?:\s|\u00a0)+(?:de\s+)?$"),
        "month_after": re.compile(rf"(?i)^(?:\s|\u00a0)*(?:de\s+)?(?:{month_words})(?!\w)"),
        "ordinal": re.compile(
            "(?i)^(?:" + "|".join(re.escape(s) for s in sorted(data["ordinal_suffixes"], key=len, reverse=True))
            + r")(?!\w)"),
        "date_marker": tuple(data["date_markers"]),
        "named": re.compile("|".join(_phrase_pattern(str(n)) for n in data["named_numbers"]), re.IGNORECASE),
        # `SDG 5`, `Article 14`, `General Recommendation No. 38`, `резолюции 3449`, `第14条`: references, not figures
        "reference": _reference_pattern(data["reference_words"], data["reference_counters"]),
        "percent_words": re.compile(r"^[ \u00a0]*(?:" + "|".join(map(re.escape, data["percent_words"])) + ")"),
    }


def _reference_pattern(words, counters) -> re.Pattern:
    """A reference word and its number (`SDG 5`, `Article 14`, `No. 38`), or Chinese 第14条. Arabic words may
    carry an attached conjunction or preposition (والهدف 5), so they need no word boundary before them."""
    words = sorted(map(str, words), key=len, reverse=True)
    arabic = [re.escape(w) for w in words if re.search(r"[\u0600-\u06ff]", w)]
    other = [re.escape(w) for w in words if not re.search(r"[\u0600-\u06ff]", w)]
    number = r"\.?[ \u00a0]*\d+(?:[.\-/]\d+)*"
    return re.compile(rf"(?i)(?:(?<!\w)(?:{'|'.join(other)})|(?:{'|'.join(arabic)})){number}"
                      rf"|第\s*[0-9零〇一二两三四五六七八九十百千]+\s*(?:{'|'.join(map(re.escape, counters))})")


_NUMBER = re.compile(
    # not inside a word or number (except after Chinese, written without spaces, 有92%的, and Arabic, whose
    # conjunctions and prepositions attach to the number, و٣), and not after a letter and a hyphen (COVID-19)
    r"(?<![^\W\u0600-\u06ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff])(?<!\d[.,])(?<![^\W\d_]-)"
    r"(\d{1,3}(?:(?:,|\.|[ \u00a0\u202f\u2009])\d{3})+(?![\d])(?:[.,]\d+)?|\d+(?:[.,]\d+)?)"
    r"(?P<percent>[ \u00a0\u202f\u2009]?(?:%|٪|％|‰)|\s(?:per\s?cent|percent|pour\s?cent|por\s?ciento|процент\w*)(?!\w))?"
)
_TIME = re.compile(r"(?<!\d)\d{1,2}:\d{2}(?!\d)")
_NUMBER_WORD_LANGUAGES = ("en", "fr", "es")  # what text2num reads among the campaigns' languages
# 百分之九十二 (92 percent), 七成 (seven tenths: 70%), 三分之二 (two thirds), 五名 (five, counted)
_HAN_NUMBER = re.compile(r"(百分之)?([零〇一二两三四五六七八九十百千万亿]+)(?:(成)|分之([零〇一二两三四五六七八九十]+)|"
                         r"(?=(名|个|人|位|例|倍|岁|起)))?")


@dataclass(frozen=True)
class Figure:
    """A number as written (`92 %`), and its value for comparison (`92`, percent=True)."""

    text: str
    value: str
    percent: bool

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


def _han_value(text: str) -> int:
    """九十二 -> 92, 两千 -> 2000: Chinese numerals read by cn2an."""
    return int(cn2an.cn2an(text, "smart"))


def _words_as_digits(text: str, language: str) -> str:
    """Numbers written as words, as digits, so the facts guard sees them: "seven in ten" -> "7 in 10", "sept sur
    dix" -> "7 sur 10" (text2num; one and two stay words, as in "no one", "one day"). Chinese numerals are read
    apart (_HAN_NUMBER); Russian and Arabic number words are not read yet (no maintained library here)."""
    base = language.split("-")[0]
    return alpha2digit(text, base) if base in _NUMBER_WORD_LANGUAGES else text


def extract_figures(text: str, language: str = "en") -> list[Figure]:
    """The numbers in `text` that state something (see generator/data/figures.yaml for what does not), those
    written as words included."""
    rules = _figure_rules()
    text = _words_as_digits(_normalise(text), language)
    for pattern in (_URL, _HASHTAG_OR_MENTION, _TIME, rules["named"], rules["reference"]):
        text = _mask(text, pattern)
    figures = []
    for match in _NUMBER.finditer(text):
        after = text[match.end():]
        before = text[: match.start()]
        value, percent = _value(match.group(1)), bool(match.group("percent"))
        if not percent and rules["percent_words"].match(after):
            percent = True  # the Arabic UN style: "92 في المائة" is 92%
        if not percent:
            if rules["ordinal"].match(after) or after[:1] in rules["date_marker"]:
                continue
            if after[:1].isalpha() and not _CJK.match(after[:1]):
                continue  # a name such as 4G or 10x
            if re.fullmatch(r"(19|20)\d\d", value):
                continue  # a year
            if rules["month_before"].search(before) or rules["month_after"].match(after):
                continue  # a date
        figures.append(Figure(match.group(0), value, percent))
    for match in _HAN_NUMBER.finditer(text):
        percent, tenths, parts, measured = bool(match.group(1)), match.group(3), match.group(4), match.group(5)
        value = _han_value(match.group(2))
        if tenths:  # 七成 is 70%
            figures.append(Figure(match.group(0), str(value * 10), True))
        elif parts:  # 三分之二: two (parts) of three
            figures += [Figure(match.group(0), str(_han_value(parts)), False), Figure(match.group(0), str(value), False)]
        elif percent or (measured and value != 1):  # 一名, 一个: "a", not a figure
            figures.append(Figure(match.group(0), str(value), percent))
    return figures


def _fact_figures(fact) -> set[tuple[str, bool]]:
    keys = set()
    for figure in fact.figures:
        keys.update((f.value, f.percent) for f in extract_figures(str(figure)))
        bare = _ascii_digits(str(figure)).strip()
        if re.fullmatch(r"\d+", bare):
            keys.add((_value(bare), False))  # a fact may list a year or an ordinal-looking figure on purpose
    return keys


def check_facts(text: str, message, campaign, where: str = "", language: str = "en") -> list[Problem]:
    """Every figure in `text` (in `language`, whose number words count too) must belong to a fact that `message`
    references (and so has a source)."""
    referenced = {fact_id: campaign.facts[fact_id] for fact_id in message.facts if fact_id in campaign.facts}
    allowed = set().union(*(_fact_figures(f) for f in referenced.values())) if referenced else set()
    problems, seen = [], set()
    for figure in extract_figures(text, language):
        key = (figure.value, figure.percent)
        if key in allowed or key in seen:
            continue
        seen.add(key)
        elsewhere = sorted(fid for fid, f in campaign.facts.items() if fid not in referenced and key in _fact_figures(f))
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


# --- links ------------------------------------------------------------------------------------------------

_HOST_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def find_links(text: str) -> list[str]:
    """The links in a post, without the punctuation that ends the sentence around them."""
    links = []
    for match in _URL.finditer(text):
        link = match.group(0)
        while link and link[-1] in _TRAILING:
            closing = {")": "(", "]": "[", "}": "{"}.get(link[-1])
            if closing and link.count(closing) >= link.count(link[-1]):
                break  # a bracket the link opened itself: part of it (Wikipedia's Traite_(humaine))
            link = link[:-1]
        links.append(link)
    return links


def link_problem(link: str) -> tuple[str, str] | None:
    """(code, reason) when `link` is not a well-formed https link, else None."""
    scheme = link.split("://", 1)[0].lower() if "://" in link else ""
    if not scheme:
        return "link.malformed", f"'{link}' has no scheme: write https://{link}"
    if scheme == "http":
        return "link.insecure", f"'{link}' is not secure: use https://"
    if scheme != "https":
        return "link.malformed", f"'{link}' uses '{scheme}://': only https:// links are allowed"
    try:
        parts = urlsplit(link)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in range
        host = (parts.hostname or "").encode("idna").decode("ascii")
    except (ValueError, UnicodeError):
        return "link.malformed", f"'{link}' is not a well-formed link"
    labels = host.split(".")
    if len(labels) < 2 or not all(_HOST_LABEL.match(label) for label in labels) or labels[-1].isdigit():
        return "link.malformed", f"'{link}' has no valid host name"
    if re.search(r"[\\<>{}|^`\s]", link):
        return "link.malformed", f"'{link}' contains characters a link cannot hold"
    return None


def check_links(text: str, where: str = "") -> list[Problem]:
    """`link.insecure` for http://, `link.malformed` for anything else that is not a well-formed https link."""
    problems = []
    for link in dict.fromkeys(find_links(text)):
        found = link_problem(link)
        if found:
            problems.append(error(found[0], found[1], where))
    return problems


def add_utm(link: str, utm: dict, platform: str) -> str:
    """`link` with the campaign's UTM parameters (`{platform}` replaced); parameters already present win."""
    if not utm or not link:
        return link
    parts = urlsplit(link)
    query = parse_qsl(parts.query, keep_blank_values=True)
    present = {key for key, _ in query}
    query += [(key, str(value).replace("{platform}", platform)) for key, value in utm.items() if key not in present]
    return urlunsplit(parts._replace(query=urlencode(query, quote_via=quote)))
