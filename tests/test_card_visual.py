"""Visual regression: the matrix of tests/visual.py (the four stock layouts, square and landscape, in en,
ar, zh and ru) drawn and compared with the reviewed references in tests/data/cards/reference/, with a
perceptual tolerance. On a difference the test writes reference | now | difference side by side and names the
file, so a change is reviewed by looking at it; `python tools/update_card_references.py` accepts a change."""

from __future__ import annotations

import pytest
from PIL import Image

from visual import (CHANGED_SHARE, MATRIX, MEAN_TOLERANCE, difference, draw_half_size, reference_path,
                    side_by_side)


@pytest.mark.parametrize("layout, card_format, language", MATRIX, ids=["-".join(case) for case in MATRIX])
def test_card_matches_its_reviewed_reference(layout, card_format, language, tmp_path):
    reference = Image.open(reference_path(layout, card_format, language)).convert("RGB")
    drawn = draw_half_size(layout, card_format, language)
    assert drawn.size == reference.size
    mean, changed, diff = difference(reference, drawn)
    if mean > MEAN_TOLERANCE or changed > CHANGED_SHARE:
        sheet = tmp_path / f"{layout}-{card_format}-{language}-diff.png"
        side_by_side(reference, drawn, diff).save(sheet)
        pytest.fail(f"the card differs from its reference (mean {mean:.2f} levels, {changed:.2%} of pixels "
                    f"changed); look at {sheet}, then run tools/update_card_references.py if it is right")


def test_a_moved_line_is_seen():
    """The comparison is not blind: the same card shifted by 2 px (1 px at half size) fails it."""
    drawn = draw_half_size("statement", "square", "en")
    shifted = Image.new("RGB", drawn.size, drawn.getpixel((0, 0)))
    shifted.paste(drawn, (0, 1))
    mean, changed, _ = difference(drawn, shifted)
    assert mean > MEAN_TOLERANCE or changed > CHANGED_SHARE
