"""The content guards on hostile input (a script, not a test: `.venv/bin/python benchmarks/guards.py`).

A partner kit's glossary wordings are untrusted: `*a*a*a*a*a*q` or `******q` compiled into a regex with one `\\w*`
per star backtracks polynomially on a long word. The guard matches wildcard wordings word by word as globs, so
its time grows with the text. This prints the time per kilobyte at 10 kB and 100 kB for each hostile wording,
and the ratio between them (about 1 for linear time; a backtracking regex gives 100 or more).

Thread splitting gets the same treatment: a template can render any length of text, and splitting once counted
every part again for each sentence added to it (29 s for 10 kB of short sentences). It prints the time per
kilobyte of splitting 10 kB and 100 kB for X, where the thread cannot be made and the split must give up early,
and for a text that makes a full 25-part thread.

The facts guard reads every figure with the words around it (a unit, a month, a change word, the noun it is said
of) and numbers written as words: each reading looks at a bounded window, so a text made of figures is read in
linear time (it once sliced the whole rest of the text at each figure: 170 s for 100 kB of Russian number words).
It prints the time per kilobyte at 10 kB and 100 kB for a text made of figures in each language.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator import fitting, platforms  # noqa: E402
from generator.guards import facts, terminology  # noqa: E402

HOSTILE = ["*a*a*a*a*a*q", "******************************q", "a*b*c*d*e*f*g*h*", "*-*-*-*"]
TEXTS = {"one long word": lambda n: "a" * n, "many words": lambda n: ("aaaa " * (n // 5))[:n]}


def per_kilobyte(wording: str, text: str) -> float:
    entry = {"avoid": [wording], "prefer": "x", "reason": "y", "language": "en"}
    started = time.process_time()
    terminology.check_terminology(text, "en", [entry])
    return (time.process_time() - started) / (len(text) / 1000)


SPLIT_TEXTS = {"short sentences": lambda n: ("Go. " * n)[:n], "lines": lambda n: ("Word word word.\n" * n)[:n]}


def split_seconds(text: str) -> float:
    x = platforms.get("x")
    started = time.process_time()
    fitting.split_thread(text, "#OrangeTheWorld", x.count, x.limit)
    return time.process_time() - started


FIGURE_TEXTS = {"en": "92% of 5 women, seven in ten, ", "ru": "семь из десяти, 5 — женщины, ",
                "ar": "سبع من كل عشر، 5 من النساء، ", "zh": "百分之九十二的5名妇女，七成，"}


class _Message:
    id, facts = "m", ()


class _Campaign:
    facts = {}


def facts_seconds(text: str, language: str) -> float:
    started = time.process_time()
    facts.check_facts(text, _Message, _Campaign, language=language)
    return time.process_time() - started


def main() -> None:
    for name, make in TEXTS.items():
        for wording in HOSTILE:
            small, large = per_kilobyte(wording, make(10_000)), per_kilobyte(wording, make(100_000))
            print(f"{name:<14} {wording:<34} {1000 * small:7.3f} ms/kB at 10 kB, {1000 * large:7.3f} ms/kB at "
                  f"100 kB: ratio {large / small:4.1f}")
    for name, make in SPLIT_TEXTS.items():
        small, large = split_seconds(make(10_000)) / 10, split_seconds(make(100_000)) / 100
        print(f"thread split, {name:<34} {1000 * small:7.3f} ms/kB at 10 kB, {1000 * large:7.3f} ms/kB at "
              f"100 kB: ratio {large / small:4.1f}")
    for language, unit in FIGURE_TEXTS.items():
        small = facts_seconds((unit * 10_000)[:10_000], language) / 10
        large = facts_seconds((unit * 100_000)[:100_000], language) / 100
        print(f"facts guard, figures in {language:<23} {1000 * small:7.3f} ms/kB at 10 kB, {1000 * large:7.3f} ms/kB "
              f"at 100 kB: ratio {large / small:4.1f}")
    full = " ".join(f"Sentence number {n} of a long message." for n in range(150))
    print(f"thread split, a full 25-part thread ({len(full)} characters): {1000 * split_seconds(full):.0f} ms")


if __name__ == "__main__":
    main()
