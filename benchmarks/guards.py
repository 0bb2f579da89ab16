"""The content guards on hostile input (a script, not a test: `.venv/bin/python benchmarks/guards.py`).

A partner kit's glossary wordings are untrusted: `*a*a*a*a*a*q` or `******q` compiled into a regex with one `\\w*`
per star backtracks polynomially on a long word. The guard matches wildcard wordings word by word as globs, so
its time grows with the text. This prints the time per kilobyte at 10 kB and 100 kB for each hostile wording,
and the ratio between them (about 1 for linear time; a backtracking regex gives 100 or more).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.guards import terminology  # noqa: E402

HOSTILE = ["*a*a*a*a*a*q", "******************************q", "a*b*c*d*e*f*g*h*", "*-*-*-*"]
TEXTS = {"one long word": lambda n: "a" * n, "many words": lambda n: ("aaaa " * (n // 5))[:n]}


def per_kilobyte(wording: str, text: str) -> float:
    entry = {"avoid": [wording], "prefer": "x", "reason": "y", "language": "en"}
    started = time.process_time()
    terminology.check_terminology(text, "en", [entry])
    return (time.process_time() - started) / (len(text) / 1000)


def main() -> None:
    for name, make in TEXTS.items():
        for wording in HOSTILE:
            small, large = per_kilobyte(wording, make(10_000)), per_kilobyte(wording, make(100_000))
            print(f"{name:<14} {wording:<34} {1000 * small:7.3f} ms/kB at 10 kB, {1000 * large:7.3f} ms/kB at "
                  f"100 kB: ratio {large / small:4.1f}")


if __name__ == "__main__":
    main()
