"""Terminology (`terms.avoid`): wording the glossary (generator/data/glossary.yaml, extended by campaigns and
partners) says to avoid, with the preferred wording and the reason. Wordings with `*` are matched word by word as
globs, so a partner's hostile wording cannot make the guard backtrack."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from generator.errors import Problem, error
from generator.guards.text import CJK, URL, DATA, mask, normalise, phrase_pattern
from generator.yamlfile import load_yaml

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
        plain = [f for f in forms if "*" not in f or CJK.search(f)]
        wild = [f for f in forms if "*" in f and not CJK.search(f)]
        pattern = "|".join(phrase_pattern(f, english_plural=english_plural) for f in plain)
        return cls(re.compile(pattern, re.IGNORECASE) if pattern else None,
                   tuple(_form_tokens(normalise(f)) for f in wild), english_plural)

    def spans(self, text: str, tokens: list | None = None) -> list[tuple[int, int]]:
        """Where the wording stands in `text`; `tokens` is Tokens(text), when the caller has it already."""
        found = [m.span() for m in self.plain.finditer(text)] if self.plain is not None else []
        if self.wildcards:
            tokens = Tokens(text) if tokens is None else tokens
            for form in self.wildcards:
                found += self._wildcard_spans(form, tokens, text)
        return found

    def _wildcard_spans(self, form, tokens, text) -> list[tuple[int, int]]:
        words, gaps = form
        # The letters before a word's first `*` must start the token: a cheap test that leaves _glob only the
        # few tokens that may match, so a long text costs little per wording.
        heads = [word.partition("*")[0] for word in words]
        # A first word that starts with `*` (Arabic forms take prefixes: *عاهر*) must still contain its longest
        # run of letters: a substring test, so only the tokens that may match reach _glob.
        needle = max(words[0].split("*"), key=len)
        spans = []
        last_first = len(tokens) - len(words)
        starting = tokens.starting(heads[0][:1])
        for first in [i for i in starting if i <= last_first and tokens[i][2].startswith(heads[0])
                      and needle in tokens[i][2]]:
            for index, word in enumerate(words):
                start, end, token = tokens[first + index]
                if index and not _gap_fits(text[tokens[first + index - 1][1]:start], gaps[index]):
                    break  # a gap where the wording has none, or none where it has one
                last = index == len(words) - 1
                if not token.startswith(heads[index]) or not (
                        _glob(word, token) or (last and self.english_plural and not word.endswith("*")
                                               and any(_glob(word + ending, token) for ending in ("s", "es")))):
                    break
            else:
                spans.append((tokens[first][0], tokens[first + len(words) - 1][1]))
        return spans


class Tokens(list):
    """(start, end, case-folded token) of a text, read once for every wildcard wording, with the positions of
    the tokens by their first character, so a wording looks only where its first letters stand."""

    def __init__(self, text: str):
        super().__init__((m.start(), m.end(), m.group(0).casefold()) for m in _TOKEN.finditer(text))
        self._by_initial: dict[str, list[int]] = {}
        for index, (_, _, token) in enumerate(self):
            self._by_initial.setdefault(token[:1], []).append(index)

    def starting(self, initial: str) -> list[int]:
        """The positions of the tokens starting with `initial` (every position for "")."""
        return self._by_initial.get(initial, []) if initial else list(range(len(self)))



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
            words.append(re.sub(r"\*+", "*", match.group(0)).casefold())  # `***` is one `*`; tokens are folded
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
    text = mask(normalise(text), URL)
    terms = [*glossary(), *(compile_entry(entry) for entry in extra_entries)]
    hits = []  # (start, end, found, term): the longest wording wins where two entries overlap
    tokens = Tokens(text)
    for term in terms:
        if term.language not in (language, "*"):
            continue
        allowed = term.exceptions.spans(text, tokens) if term.exceptions else []
        for start, end in term.pattern.spans(text, tokens):
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
