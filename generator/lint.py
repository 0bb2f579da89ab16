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


@dataclass(frozen=True)
class Term:
    pattern: re.Pattern
    exceptions: re.Pattern | None
    prefer: str
    reason: str
    language: str
    origin: str = ""


def compile_entry(entry: dict) -> Term:
    """A glossary entry (`avoid`, `prefer`, `reason`, `language`, optional `except`) as a matcher."""
    forms = entry["avoid"] if isinstance(entry["avoid"], (list, tuple)) else [entry["avoid"]]
    language = str(entry.get("language") or "en")
    forms = sorted((str(f) for f in forms if str(f).strip()), key=len, reverse=True)  # the longest wording wins
    alternatives = [_phrase_pattern(f, english_plural=language == "en") for f in forms]
    exceptions = [_phrase_pattern(str(f)) for f in entry.get("except") or ()]
    return Term(
        pattern=re.compile("|".join(alternatives), re.IGNORECASE),
        exceptions=re.compile("|".join(exceptions), re.IGNORECASE) if exceptions else None,
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
        allowed = [m.span() for m in term.exceptions.finditer(text)] if term.exceptions else []
        for match in term.pattern.finditer(text):
            if not any(start <= match.start() and match.end() <= end for start, end in allowed):
                hits.append((match.start(), match.end(), match.group(0), term))
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
    }


_NUMBER = re.compile(
    # not inside a word or number (except after Chinese, written without spaces, 有92%的, and Arabic, whose
    # conjunctions and prepositions attach to the number, و٣), and not after a letter and a hyphen (COVID-19)
    r"(?<![^\W\u0600-\u06ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff])(?<!\d[.,])(?<![^\W\d_]-)"
    r"(\d{1,3}(?:(?:,|\.|[ \u00a0\u202f\u2009])\d{3})+(?![\d])(?:[.,]\d+)?|\d+(?:[.,]\d+)?)"
    r"(?P<percent>[ \u00a0\u202f\u2009]?(?:%|٪|％|‰)|\s(?:per\s?cent|percent|pour\s?cent|por\s?ciento|процент\w*)(?!\w))?"
)
_TIME = re.compile(r"(?<!\d)\d{1,2}:\d{2}(?!\d)")
_HAN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_HAN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}
_HAN_NUMBER = re.compile(r"(百分之)?([零〇一二两三四五六七八九十百千万亿]+)(?=(名|个|人|位|例|倍|岁|起)?)")


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
    total, section, digit = 0, 0, 0
    for char in text:
        if char in _HAN_DIGITS:
            digit = _HAN_DIGITS[char]
        elif char in ("万", "亿"):
            total = (total + section + digit) * _HAN_UNITS[char]
            section, digit = 0, 0
        else:
            section += (digit or 1) * _HAN_UNITS[char]
            digit = 0
    return total + section + digit


def extract_figures(text: str) -> list[Figure]:
    """The numbers in `text` that state something (see generator/data/figures.yaml for what does not)."""
    rules = _figure_rules()
    text = _normalise(text)
    for pattern in (_URL, _HASHTAG_OR_MENTION, _TIME, rules["named"]):
        text = _mask(text, pattern)
    figures = []
    for match in _NUMBER.finditer(text):
        after = text[match.end():]
        before = text[: match.start()]
        value, percent = _value(match.group(1)), bool(match.group("percent"))
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
        percent, measured = bool(match.group(1)), bool(match.group(3))
        value = _han_value(match.group(2))
        if percent or (measured and value != 1):  # 一名, 一个: "a", not a figure
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


def check_facts(text: str, message, campaign, where: str = "") -> list[Problem]:
    """Every figure in `text` must belong to a fact that `message` references (and so has a source)."""
    referenced = {fact_id: campaign.facts[fact_id] for fact_id in message.facts if fact_id in campaign.facts}
    allowed = set().union(*(_fact_figures(f) for f in referenced.values())) if referenced else set()
    problems, seen = [], set()
    for figure in extract_figures(text):
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
