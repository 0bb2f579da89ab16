"""X's own rules for URLs and length, after twitter-text (github.com/twitter/twitter-text, the JavaScript
reference implementation X's clients use): which substrings X autolinks as URLs, and the v3 weighted length.

Why not the PyPI port (twitter-text-parser 3.0.0) directly: evaluated against these rules it (1) knows
emoji only up to Emoji 12 (2019), so a newer sequence such as the phoenix 🐦‍🔥 weighs 5 instead of 2;
(2) raises UnicodeEncodeError on a lone surrogate; (3) backtracks catastrophically: 10 kB of `a.a.a.`
takes five minutes, because its URL regex retries 1,500 TLD alternatives at every label; (4) turns
CRLF into LF before counting, which the JavaScript reference does not. So we keep twitter-text's
grammar (same character classes, TLD list in data/tlds.yaml, same order of attempts, same checks) but
match domains label by label with memoisation, which is linear, and find emoji with the `emoji`
package (current RGI list). Offsets are code point indices; the JavaScript library's UTF-16 indices
give the same counts because it steps over surrogate pairs.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import emoji
import regex
import yaml

# twitter-text config/v3.json: weights are scaled by 100; these ranges weigh 1, everything else 2.
V3_LIGHT_RANGES = "\u0000-\u10ff\u2000-\u200d\u2010-\u201f\u2032-\u2037"
V3_URL_WEIGHT = 23  # transformedURLLength
V3_EMOJI_WEIGHT = 2  # an emoji sequence weighs defaultWeight (200 / scale 100) as a whole
MAX_URL_LENGTH = 4096  # twitter-text extractUrlsWithIndices: longer URLs are not links
MAX_TCO_SLUG_LENGTH = 40
MAX_DOMAIN_LABEL_LENGTH = 63  # twitter-text lib/idna.js: a DNS label, once punycode-encoded

# twitter-text regexp/*.js character groups, copied as they are (punct omits " and ` there too).
PUNCT = r"!'#%&()*+,\\\-./:;<=>?@\[\]^_{|}~$"
SPACES = "\t-\r \x85\xa0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
INVALID = "\ufffe\ufeff\uffff"
DIRECTIONAL = "\u202a-\u202e\u061c\u200e\u200f\u2066-\u2069"
LATIN_ACCENTS = "\xc0-\xd6\xd8-\xf6\xf8-\xff\u0100-\u024f\u0253\u0254\u0256\u0257\u0259\u025b\u0263\u0268\u026f\u0272\u0289\u028b\u02bb\u0300-\u036f\u1e00-\u1eff"
CYRILLIC = "\u0400-\u04ff"

_HEAVY = regex.compile(f"[^{V3_LIGHT_RANGES}]")
_INVALID_CHAR = regex.compile(f"[{INVALID}]")
# validDomainChars: anything but punctuation, spaces, invalid and directional characters.
_DOMAIN_CHAR = regex.compile(f"[^{PUNCT}{SPACES}{INVALID}{DIRECTIONAL}]")
# A domain label as validSubdomain reads it: domain characters, `_` and `-`.
_LABEL_RUN = regex.compile(f"[^{PUNCT.replace('_', '').replace(chr(92) + '-', '')}{SPACES}{INVALID}{DIRECTIONAL}]+")
_LABEL_RUN_BACKWARDS = regex.compile("(?r)" + _LABEL_RUN.pattern)
# validUrlPrecedingChars, as a look-behind: where a URL may start (besides the start of the text).
_URL_START = regex.compile(f"(?<=[^A-Za-z0-9@＠$#＃{INVALID}])[^{PUNCT}{SPACES}{INVALID}{DIRECTIONAL}]")
_PROTOCOL = regex.compile(r"https?://", regex.IGNORECASE)
_ASCII_ALNUM_RUN = regex.compile(r"[0-9A-Za-z]+")
_PUNYCODE = regex.compile(r"xn--[\-0-9a-z]+", regex.IGNORECASE)
_ASCII_LABEL_RUN = regex.compile(f"[\\-a-z0-9{LATIN_ACCENTS}]+", regex.IGNORECASE)

# validUrlPath, validUrlQueryChars and their endings: what may follow a domain.
_PATH_CHARS = f"[a-z{CYRILLIC}0-9!*';:=+,.$/%#\\[\\]\\-\u2013_~@|&{LATIN_ACCENTS}]"
_BALANCED_PARENS = f"\\((?:{_PATH_CHARS}+|(?:{_PATH_CHARS}*\\({_PATH_CHARS}+\\){_PATH_CHARS}*))\\)"
_PATH_ENDING = f"(?:[+\\-a-z{CYRILLIC}0-9=_#/{LATIN_ACCENTS}]|(?:{_BALANCED_PARENS}))"
_PATH = f"(?:(?:{_PATH_CHARS}*(?:{_BALANCED_PARENS}{_PATH_CHARS}*)*{_PATH_ENDING})|(?:@{_PATH_CHARS}+/))"
_QUERY = r"[a-z0-9!?*'@();:&=+$/%#\[\]\-_.,~|]*[a-z0-9\-_&=#/]"
_AFTER_DOMAIN = regex.compile(f"(?::[0-9]+)?(/{_PATH}*)?(\\?{_QUERY})?", regex.IGNORECASE)
_TCO = regex.compile(f"^https?://t\\.co/([a-z0-9]+)(?:\\?{_QUERY})?", regex.IGNORECASE)
_INVALID_BEFORE_SCHEMELESS = "-_./"  # invalidUrlWithoutProtocolPrecedingChars


@dataclass(frozen=True)
class Url:
    """A URL X would autolink: `text[start:end] == url`."""

    url: str
    start: int
    end: int
    has_protocol: bool


@lru_cache(maxsize=1)
def _tlds() -> tuple[frozenset, dict]:
    """ASCII TLDs as a set; internationalised ones by first character, in twitter-text's order."""
    data = yaml.safe_load(resources.files("generator").joinpath("data/tlds.yaml").read_text("utf-8"))
    ascii_tlds, idn = set(), {}
    for tld in (*data["generic"], *data["country_code"]):
        if tld.isascii():
            ascii_tlds.add(tld.lower())
        else:
            idn.setdefault(tld[0].lower(), []).append(tld.lower())
    return frozenset(ascii_tlds), idn


def _tld_end(text: str, t: int, end: int) -> int | None:
    """Where `(validGTLD|validCCTLD|validPunycode)` ends when matched at `t`, or None.

    A listed TLD must be followed by something other than [0-9a-zA-Z@+-] (twitter-text's look-ahead),
    so an ASCII TLD is always a whole run of ASCII letters and digits."""
    if t >= end:
        return None
    ascii_tlds, idn = _tlds()
    run = _ASCII_ALNUM_RUN.match(text, t, end)
    if run:
        after = run.end()
        if run.group().lower() in ascii_tlds and (after == end or text[after] not in "@+-"):
            return after
        puny = _PUNYCODE.match(text, t, end)
        return puny.end() if puny else None
    for tld in idn.get(text[t].lower(), ()):
        after = t + len(tld)
        if after <= end and text[t:after].lower() == tld:
            if after == end or not (text[after].isascii() and (text[after].isalnum() or text[after] in "@+-")):
                return after
    return None


class _Domains:
    """Greedy `label.(label.)* TLD` matching, as twitter-text's regex does it, in linear time.

    The regex takes as many `label.` as it can and then backs off one label at a time until a TLD
    follows. The best end for a chain starting at a label depends only on where that label starts,
    so it is remembered per position: each label is examined once however many starts share it."""

    def __init__(self, text: str, run: regex.Pattern, end: int, strict_labels: bool):
        self.text, self.run, self.end, self.strict = text, run, end, strict_labels
        self.memo: dict[int, int | None] = {}
        self._cached_run = (0, 0)  # (start, end) of the last label run looked up

    def _label_end(self, t: int) -> int | None:
        """End of the valid label starting at `t` when a dot follows it, else None."""
        start, stop = self._cached_run
        if not (start <= t < stop):
            match = self.run.match(self.text, t, self.end)
            if not match:
                return None
            self._cached_run = start, stop = match.span()
        if stop >= self.end or self.text[stop] != ".":
            return None
        if self.strict and not (_DOMAIN_CHAR.match(self.text[t]) and _DOMAIN_CHAR.match(self.text[stop - 1])):
            return None  # validSubdomain: a label starts and ends with a domain character
        return stop

    def best_end(self, start: int) -> int | None:
        stack, t, result = [], start, None
        while True:
            if t in self.memo:
                result = self.memo[t]
                break
            label_end = self._label_end(t)
            if label_end is None:
                self.memo[t] = None
                break
            stack.append((t, label_end))
            t = label_end + 1
        while stack:
            t, label_end = stack.pop()
            # validDomainName, the last label before the TLD, admits `-` but not `_`
            if result is None and not (self.strict and "_" in self.text[t:label_end]):
                result = _tld_end(self.text, label_end + 1, self.end)
            self.memo[t] = result
        return result


def _ascii_domains(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """validAsciiDomain found within text[start:end], left to right, without overlaps."""
    found, domains, q = [], _Domains(text, _ASCII_LABEL_RUN, end, strict_labels=False), start
    while q < end:
        run = _ASCII_LABEL_RUN.search(text, q, end)
        if not run:
            break
        # Every start inside this run shares its first label's end, hence its result.
        stop = domains.best_end(run.start())
        if stop is not None:
            found.append((run.start(), stop))
            q = stop
        else:
            q = run.end()
    return found


def _punycode_valid(domain: str) -> bool:
    """twitter-text lib/idna.js toAscii: every label encodes to 1..63 ASCII characters."""
    if domain[:4].lower() == "xn--" and not _ascii_domains(domain, 0, len(domain)):
        return False
    for label in domain.split("."):
        try:
            encoded = label if label.isascii() else "xn--" + label.encode("punycode").decode("ascii")
        except (UnicodeError, ValueError):
            return False
        if not 1 <= len(encoded) <= MAX_DOMAIN_LABEL_LENGTH:
            return False
    return True


def extract_urls(text: str, without_protocol: bool = True) -> list[Url]:
    """The URLs X autolinks, in order (twitter-text extractUrlsWithIndices)."""
    return list(_extract_urls_cached(text, without_protocol))


# Counting, link and hashtag checks of one post all need its URLs: remember the last few texts' URLs.
@lru_cache(maxsize=32)
def _extract_urls_cached(text: str, without_protocol: bool) -> tuple[Url, ...]:
    return tuple(_extract_urls(text, without_protocol))


def _extract_urls(text: str, without_protocol: bool) -> list[Url]:
    if not text or ("." not in text if without_protocol else ":" not in text):
        return []
    n, urls = len(text), []
    domains = _Domains(text, _LABEL_RUN, n, strict_labels=True)
    pos = 0
    while pos < n:
        match = _match_url(text, pos, domains)
        if match is None:
            break
        before, start, protocol, domain_end, stop, has_path = match
        pos = stop
        url, domain = text[start:stop], text[start + len(protocol):domain_end]
        if not _punycode_valid(domain) or len(protocol or "https://") + len(url) > MAX_URL_LENGTH:
            continue
        if not protocol:
            if not without_protocol or (before and before in _INVALID_BEFORE_SCHEMELESS):
                continue
            pieces = _ascii_domains(text, start, domain_end)
            if not pieces:
                continue
            urls.extend(Url(text[a:b], a, b, False) for a, b in pieces[:-1])
            a, b = pieces[-1]
            if has_path:  # the path (and what follows it) belongs to the last piece
                b = stop
            urls.append(Url(text[a:b], a, b, False))
        else:
            tco = _TCO.match(url)
            if tco:
                if len(tco.group(1)) > MAX_TCO_SLUG_LENGTH:
                    continue
                stop = start + tco.end()
                url = text[start:stop]
            urls.append(Url(url, start, stop, True))
    return urls


def _match_url(text: str, pos: int, domains: _Domains):
    """The next extractUrl match at or after `pos`: (preceding char, url start, protocol, domain end, end).

    The regex consumes one preceding character and tries the URL right after it; only at the very
    start of the text may the URL begin at 0, tried after the URL at 1 as the alternation orders it."""
    if pos == 0:
        for start in ([1] if _URL_START.match(text, 1) else []) + [0]:
            url = _url_at(text, start, domains)
            if url is not None:
                return (text[start - 1] if start else "", start, *url)
        pos = 1
    while True:
        pos = _skip_to_next_dot(text, pos)
        if pos is None:
            return None
        found = _URL_START.search(text, pos + 1)
        if not found:
            return None
        start = found.start()
        url = _url_at(text, start, domains)
        if url is not None:
            return (text[start - 1], start, *url)
        pos = _resume_after_failure(text, start)


def _skip_to_next_dot(text: str, pos: int) -> int | None:
    """A URL's domain holds a dot, and its first label is the label run just before a dot, with at most
    `https://` before that run: starts further back cannot succeed, so the scan jumps over them."""
    dot = text.find(".", pos + 1)
    if dot < 0:
        return None
    run = _LABEL_RUN_BACKWARDS.match(text, pos + 1, dot)
    run_start = run.start() if run else dot
    return max(pos, run_start - len("https://") - 1)


def _resume_after_failure(text: str, start: int) -> int:
    """Where to look next once no URL starts at `start`.

    Inside a run of non-ASCII letters every character may start a URL, but all such starts share the
    run's end and so the same domain chain; they can only differ near a `_` (which the last label may
    not hold) or where `http` begins in the run's last characters."""
    run = _LABEL_RUN.match(text, start)
    if not run:
        return start
    last_underscore = text.rfind("_", start, run.end())
    return max(start, run.end() - len("https"), last_underscore)


def _url_at(text: str, start: int, domains: _Domains):
    protocol_match = _PROTOCOL.match(text, start)
    protocol = protocol_match.group() if protocol_match else ""
    domain_start = start + len(protocol)
    if domain_start >= len(text) or not _DOMAIN_CHAR.match(text, domain_start):
        return None
    domain_end = domains.best_end(domain_start)
    if domain_end is None:
        return None
    # Paths longer than MAX_URL_LENGTH make the URL invalid anyway; the window keeps the path regex linear.
    tail = _AFTER_DOMAIN.match(text, domain_end, min(len(text), domain_end + MAX_URL_LENGTH + 1))
    return protocol, domain_end, tail.end(), bool(tail.group(1))


@lru_cache(maxsize=1)
def _emoji_material() -> regex.Pattern:
    """Runs of characters that occur in some emoji: only these need the (slower) emoji matcher."""
    chars = sorted({char for sequence in emoji.EMOJI_DATA for char in sequence})
    return regex.compile("[" + "".join(regex.escape(char) for char in chars) + "]+")


def extract_emoji(text: str) -> list[tuple[int, int]]:
    """Spans of emoji sequences (ZWJ sequences, flags, keycaps, skin tones count as one), after the
    `emoji` package's list of Unicode's recommended (RGI) emoji, including text-default ones like ©."""
    return list(_extract_emoji_cached(text))


@lru_cache(maxsize=32)
def _extract_emoji_cached(text: str) -> tuple[tuple[int, int], ...]:
    if text.isascii() and not any(char in text for char in "#*0123456789"):
        return ()
    spans = []
    for run in _emoji_material().finditer(text):
        if len(run.group()) == 1 and run.group().isascii():
            continue  # a lone digit, # or * is not an emoji
        base = run.start()
        spans.extend((base + item["match_start"], base + item["match_end"]) for item in emoji.emoji_list(run.group()))
    return tuple(spans)


def invalid_characters(text: str) -> list[int]:
    """Positions of the characters twitter-text rejects in a post (U+FFFE, U+FEFF, U+FFFF)."""
    return [m.start() for m in _INVALID_CHAR.finditer(text)]


def normalise(text: str) -> str:
    """NFC, as parseTweet does first (CPython leaves a lone surrogate as it is)."""
    return unicodedata.normalize("NFC", text)


def weighted_length(text: str) -> int:
    """twitter-text parseTweet(text).weightedLength with the v3 configuration."""
    text = normalise(text)
    entities = {url.start: (url.end, V3_URL_WEIGHT) for url in extract_urls(text)}
    for start, stop in extract_emoji(text):
        if _TEXT_STYLE_CHARACTER.fullmatch(text, start, stop):
            continue  # twitter-text (twemoji's list) takes a bare © or ® as text: only with U+FE0F an emoji
        entities.setdefault(start, (stop, V3_EMOJI_WEIGHT))
    total, pos = 0, 0
    for start in sorted(entities):
        if start < pos:
            continue  # an emoji inside a URL
        stop, weight = entities[start]
        total += _plain_weight(text, pos, start) + weight
        pos = stop
    return total + _plain_weight(text, pos, len(text))


_TEXT_STYLE_CHARACTER = regex.compile(r"\P{Emoji_Presentation}")


def _plain_weight(text: str, start: int, stop: int) -> int:
    return (stop - start) + len(_HEAVY.findall(text, start, stop))
