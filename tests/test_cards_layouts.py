"""Card layouts as data (the stock templates/cards/*.yaml) and the WCAG contrast rules: table-driven cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import stock
from generator.cards.contrast import contrast_ratio, minimum_ratio, parse_hex
from generator.errors import CampaignGenError
from generator.cards.layouts import available_layouts, find_layout, load_layout
from generator.platforms import card_formats
from generator.yamlfile import load_yaml

DATA = Path(__file__).resolve().parent / "data" / "cards"
BAD_LAYOUTS = load_yaml(DATA / "bad_layouts.yaml", expect_mapping=False).data
CONTRAST = load_yaml(DATA / "contrast.yaml").data


@pytest.mark.parametrize("case", BAD_LAYOUTS, ids=[case["name"] for case in BAD_LAYOUTS])
def test_bad_layout_is_one_line_error_with_its_place(tmp_path, case):
    folder = tmp_path / "templates" / "cards"
    folder.mkdir(parents=True)
    (folder / "broken.yaml").write_text(case["layout"], encoding="utf-8")
    with pytest.raises(CampaignGenError) as raised:
        find_layout([tmp_path / "templates"], "broken", display_root=tmp_path)
    assert str(raised.value) == case["error"]


def test_unknown_layout_names_the_known_ones():
    with pytest.raises(CampaignGenError) as raised:
        find_layout([stock.TEMPLATES], "statment")
    assert "unknown card layout 'statment'" in str(raised.value)
    assert "did you mean 'statement'?" in str(raised.value)


@pytest.mark.parametrize("name", available_layouts(stock.TEMPLATES))
def test_shipped_layouts_load_and_stay_inside_every_format(name):
    layout = load_layout(stock.TEMPLATES / "cards" / f"{name}.yaml")
    for card_format in card_formats().values():
        for layer in layout.layers:
            left, top, width, height = layer.box_for(card_format.name).pixels(card_format, layer.area)
            assert left >= 0 and top >= 0 and width > 0 and height > 0
            assert left + width <= card_format.width and top + height <= card_format.height


def test_at_least_two_layouts_ship_and_lock_the_brand_layers():
    assert {"statement", "figure"} <= set(available_layouts(stock.TEMPLATES))
    statement = load_layout(stock.TEMPLATES / "cards" / "statement.yaml")
    assert statement.locked_layers == ("band", "logo", "source", "hashtags")


def test_formats_match_the_platform_sizes():
    sizes = {name: (f.width, f.height) for name, f in card_formats().items()}
    assert sizes == {"square": (1080, 1080), "portrait": (1080, 1350), "landscape": (1200, 675),
                     "linkedin": (1200, 627), "story": (1080, 1920)}
    assert card_formats()["story"].safe[0] >= 250 and card_formats()["story"].safe[2] >= 250


def test_every_platform_names_only_known_card_formats():
    from generator import platforms

    for name in platforms.names():
        rules = platforms.get(name)
        assert rules.card_formats and set(rules.card_formats) <= set(card_formats()), name
        assert rules.default_card_format == rules.card_formats[0]


@pytest.mark.parametrize("case", CONTRAST["ratios"], ids=lambda c: f"{c['text']} on {c['behind']}")
def test_contrast_ratio(case):
    ratio = contrast_ratio(parse_hex(case["text"]), parse_hex(case["behind"]))
    assert round(ratio, 2) == case["ratio"]


@pytest.mark.parametrize("case", CONTRAST["minimums"], ids=lambda c: f"{c['size']}px bold={c['bold']}")
def test_minimum_ratio_by_size(case):
    assert minimum_ratio(case["size"], case["bold"]) == case["minimum"]
