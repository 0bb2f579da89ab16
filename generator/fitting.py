"""Fitting a post to its platform without ever cutting it: the order of steps, and thread splitting.

A post that exceeds its platform's limit is fitted, in this order (`fit_post`; posts.py renders each step):

1. `as-written`: the message's text with required and suggested hashtags;
2. `short`: the message's short variant, when it has one;
   (`without-referral`: the same without the referral line of a message about survivors, when it has one;)
3. `without-suggested-hashtags`: the short variant (else the text) with the required hashtags only;
4. `thread`: on platforms that have threads, the full text split at sentence boundaries into numbered
   parts (`1/3` markers counted), each within the limit by the platform's own counter, required hashtags
   on the first part;

else a `length.over` error. Nothing is ever truncated: a sentence that alone exceeds a part's room means
the thread cannot be made, and the error says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

STEPS = ("as-written", "short", "without-referral", "without-suggested-hashtags", "thread")
MAX_PARTS = 25  # a longer thread is not a post any more

# A sentence ends at . ! ? … (and Arabic ؟), followed by closing quotes or brackets and a space; or at the
# full-width punctuation of Chinese and Japanese, which is not followed by a space.
_SENTENCE_END = re.compile(r"(?<=[.!?…؟][\"'”’»)\]])\s+|(?<=[.!?…؟])\s+|(?<=[。！？])")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
_CJK_PUNCTUATION = "。！？，、；：」』）"


def sentences(text: str) -> list[tuple[int, str]]:
    """(paragraph number, sentence) in order; a link or hashtag line is a paragraph of its own."""
    units = []
    for number, paragraph in enumerate(p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()):
        for line in paragraph.split("\n"):
            for sentence in _SENTENCE_END.split(line.strip()):
                if sentence.strip():
                    units.append((number, sentence.strip()))
    return units


def _join(units: list[tuple[int, str]]) -> str:
    out, previous = "", None
    for paragraph, sentence in units:
        if previous is None:
            out = sentence
        elif paragraph != previous:
            out += "\n\n" + sentence
        elif _CJK.search(out[-1:]) or out[-1:] in _CJK_PUNCTUATION:
            out += sentence  # Chinese sentences follow each other without a space
        else:
            out += " " + sentence
        previous = paragraph
    return out


def _part(units, first_extra: str, index: int, total: int) -> str:
    text = _join(units)
    if index == 1 and first_extra:
        text = f"{text}\n\n{first_extra}" if text else first_extra
    # Chinese and Japanese put no space between a sentence and what follows it: the marker follows directly.
    separator = "" if _CJK.search(text[-1:]) or text[-1:] in _CJK_PUNCTUATION else " "
    return f"{text}{separator}{index}/{total}"


def _pack(units, first_extra: str, total: int, count, limit: int) -> list[str] | None:
    """Greedy packing for `total` markers: each part takes as many sentences as fit. None when a single
    sentence cannot fit a part; stops once there are more than MAX_PARTS parts (the thread cannot be made).

    The sentences a part can take are found by galloping then halving, so each part is counted a logarithmic
    number of times rather than once per sentence (which made a long text of short sentences quadratic)."""
    parts, start = [], 0
    while start < len(units) and len(parts) <= MAX_PARTS:
        index = len(parts) + 1

        def fits(end: int) -> bool:
            return count(_part(units[start:end], first_extra, index, total)) <= limit

        if not fits(start + 1):
            return None
        good, step = start + 1, 1  # `good` fits; look for the first end that does not
        while good + step <= len(units) and fits(good + step):
            good, step = good + step, step * 2
        bad = min(good + step, len(units) + 1)
        while bad - good > 1:
            middle = (good + bad) // 2
            good, bad = (middle, bad) if fits(middle) else (good, middle)
        parts.append(_part(units[start:good], first_extra, index, total))
        start = good
    return parts


def split_thread(text: str, first_extra: str, count, limit: int) -> tuple[str, ...] | None:
    """`text` as numbered parts within `limit` by `count` (the platform's counter), `first_extra` (the
    required hashtags) closing the first part. None when it cannot be done without cutting a sentence.

    The marker width depends on the number of parts, so packing is retried with more markers until the
    packing needs exactly as many parts as its markers say.
    """
    units = sentences(text)
    if not units:
        return None
    total = 2
    while total <= MAX_PARTS:
        parts = _pack(units, first_extra, total, count, limit)
        if parts is None or len(parts) > MAX_PARTS:  # more markers only make the parts longer
            return None
        if len(parts) == total:
            return tuple(parts)
        if len(parts) < total:  # fewer parts than markers said: the text fits in fewer; repack exactly
            exact = _pack(units, first_extra, len(parts), count, limit)
            return tuple(exact) if exact is not None and len(exact) == len(parts) > 1 else None
        # Wider markers never need fewer parts, so no count between `total` and len(parts) can come out exact.
        total = len(parts)
    return None


def remove_line(text: str, line: str) -> str:
    """`text` without one occurrence of `line` (the hashtag line moved to the first part of a thread)."""
    if not line:
        return text
    index = text.rfind(line)
    if index < 0:
        return text
    return re.sub(r"\n{3,}", "\n\n", (text[:index] + text[index + len(line):])).strip()


@dataclass(frozen=True)
class Fitted:
    """The outcome of fitting: the step that fitted (the last tried when none did), the rendered text and its
    parts (one unless a thread), and the steps tried, in order, for the message when nothing fitted."""

    step: str
    source: str
    parts: tuple[str, ...]
    tried: tuple[str, ...]


def fit_post(renderer, rules, required: tuple, every_tag: tuple) -> Fitted:
    """Try the steps in order until the post fits `rules` (a platforms.Platform).

    `renderer` renders one step: `renderer.render(body, tags)` is the post with that body and hashtags,
    `renderer.hashtag_line(body, tags)` the line of hashtags in it; `renderer.full` and `renderer.short` are
    the message's texts (short may be None). `required` are the tags that always stay; `every_tag` adds the
    suggested ones (and a partner's) after them.
    """
    referral = getattr(renderer, "referral", None) is not None
    attempts = [("as-written", renderer.full, every_tag, referral)]
    if renderer.short:
        attempts.append(("short", renderer.short, every_tag, referral))
    if referral:
        attempts.append(("without-referral", renderer.short or renderer.full, every_tag, False))
    if every_tag != required:
        attempts.append(("without-suggested-hashtags", renderer.short or renderer.full, required, False))
    tried = tuple(name for name, *_ in attempts) + (("thread",) if rules.supports_threads else ())
    step, source = "", ""
    for step, body, tags, with_referral in attempts:
        renderer.with_referral = with_referral
        source = renderer.render(body, tags)
        if rules.count(source) <= rules.limit:
            return Fitted(step, source, (source,), tried)
    renderer.with_referral = referral  # a thread has room for the help line
    threaded = _thread(renderer, rules, required) if rules.supports_threads else None
    if threaded:
        return Fitted("thread", *threaded, tried)
    return Fitted(step, source, (source,), tried)


def _thread(renderer, rules, required) -> tuple[str, tuple[str, ...]] | None:
    """The full text (else the short one) as a thread; (the unsplit text, the parts) or None."""
    for body in (renderer.full, renderer.short):
        if not body:
            continue
        source = renderer.render(body, required)
        line = renderer.hashtag_line(body, required)
        parts = split_thread(remove_line(source, line), line, rules.count, rules.limit)
        if parts:
            return source, parts
    return None
