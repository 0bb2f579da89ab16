"""Redraw the visual regression references (tests/data/cards/reference/) after a reviewed change to a layout, a
font or the renderer: `.venv/bin/python tools/update_card_references.py`. Look at each one it writes."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from visual import MATRIX, REFERENCES, draw_half_size, reference_path  # noqa: E402


def main() -> None:
    REFERENCES.mkdir(parents=True, exist_ok=True)
    for layout, card_format, language in MATRIX:
        path = reference_path(layout, card_format, language)
        draw_half_size(layout, card_format, language).save(path, optimize=True)
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
