"""The campaign's brand on cards: its logo stays (partners add theirs beside it), the logo is visible on the
campaign's own colours, `brand.font` sets the Latin family, the hashtag strip fits like posts do, and a layout
box that cannot hold its max_lines is flagged."""

from __future__ import annotations

import dataclasses

import pytest
from PIL import Image

from cardsupport import WORKSPACE, build_campaign
from generator.campaign import load_campaign, load_campaign_with_warnings
from generator.cards.draw import plan_card
from generator.cards import CardRequest, render_card
from generator.cards.resolve import Resolver
from generator.cards.contrast import contrast_ratio
from generator.errors import InputFileError
from generator.cards.fonts import library
from generator.cards.layouts import load_layout
from generator.platforms import card_formats
from generator.model import Hashtags

ORANGE = (245, 130, 32)  # #F58220, orange-day's statement background
PARTNER_LOGO = WORKSPACE.root / "partners" / "example-ngo" / "logo.png"
LONG_TAGS = ("EndViolenceAgainstWomen", "EndHumanTrafficking", "GenderBasedViolence", "OrangeTheWorld")


def plan_for(campaign, **extra):
    request = CardRequest(campaign, "seven-in-ten", extra.pop("language", "en"), extra.pop("format", "square"),
                          extra.pop("layout", "statement"), platforms=(), workspace=WORKSPACE, **extra)
    spec = Resolver().resolve(request).spec
    return spec, plan_card(spec, library())


def image_ops(plan) -> dict:
    return {op[2]: op[3] for op in plan.ops if op[0] == "image"}  # display name -> box


# -- logos -------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("layout", ["statement", "figure"])
def test_the_partner_logo_is_drawn_beside_the_campaign_logo_never_instead(layout):
    campaign = build_campaign()
    _, alone = plan_for(campaign, layout=layout)
    assert list(image_ops(alone)) == ["assets/logos/orange-day.png"]  # no partner: nothing in its layer
    spec, cobranded = plan_for(campaign, layout=layout, logo=PARTNER_LOGO)
    boxes = image_ops(cobranded)
    assert list(boxes) == ["assets/logos/orange-day.png", "partners/example-ngo/logo.png"]
    assert boxes["assets/logos/orange-day.png"] == image_ops(alone)["assets/logos/orange-day.png"]  # locked, kept
    assert boxes["partners/example-ngo/logo.png"] == spec.layout.layer("partner-logo").box.pixels(card_formats()["square"],
                                                                                               "safe")


def test_the_orange_day_logo_has_a_plate_that_shows_on_the_campaign_orange():
    logo = Image.open(WORKSPACE.assets_dir / "logos" / "orange-day.png").convert("RGBA")
    centre = logo.width // 2
    rim = logo.getpixel((centre, round(logo.height * 0.03)))  # just inside the disc's outer edge
    assert rim[3] == 255 and contrast_ratio(rim[:3], ORANGE) >= 3  # WCAG 2.x non-text contrast


# -- brand font ----------------------------------------------------------------------------------------------------
def test_brand_font_sets_the_latin_family():
    campaign = build_campaign()
    spec, plan = plan_for(dataclasses.replace(campaign, brand=dataclasses.replace(campaign.brand,
                                                                                 font="Arabic Latin Sans")))
    assert spec.latin == "arabic"
    assert {op[4] for op in plan.ops if op[0] == "text"} == {"arabic"}
    _, default = plan_for(campaign)
    assert {op[4] for op in default.ops if op[0] == "text"} == {"sans"}


def test_an_unknown_brand_font_is_an_error_naming_the_campaign_line():
    loaded = load_campaign_with_warnings(WORKSPACE, "orange-day")
    shipped = loaded.campaign
    campaign = dataclasses.replace(shipped, brand=dataclasses.replace(shipped.brand, font="Roboto"))
    with pytest.raises(InputFileError) as raised:
        render_card(CardRequest(campaign, campaign.messages[0].id, workspace=WORKSPACE, platforms=(),
                                source=loaded.source))
    where = loaded.source.location(("brand", "font"))
    assert str(raised.value).startswith(f"campaigns/orange-day.yaml:{where.line}:{where.col}: brand.font: the font "
                                        "family 'Roboto' is not in ")
    assert "families there: Arabic Latin Sans, Noto Sans, Noto Sans CJK SC" in str(raised.value)


# -- hashtag strip -------------------------------------------------------------------------------------------------
def strip_drawn(plan) -> str:
    return " ".join(op[3] for op in plan.ops if op[0] == "text" and op[3].startswith("#"))


def with_tags(required, suggested):
    return dataclasses.replace(build_campaign(), hashtags=Hashtags(tuple(required), tuple(suggested)))


def test_the_hashtag_strip_drops_suggested_tags_from_the_end_until_it_fits():
    spec, plan = plan_for(with_tags(["OrangeDay"], LONG_TAGS))
    assert plan.problems == []
    drawn = strip_drawn(plan)
    every = "#OrangeDay " + " ".join(f"#{tag}" for tag in LONG_TAGS)
    assert spec.texts["hashtags"] == every  # the whole strip does not fit the square's width at 22 px...
    assert drawn.startswith("#OrangeDay #EndViolenceAgainstWomen") and every.startswith(drawn) and drawn != every


def test_a_strip_that_fits_keeps_every_tag():
    _, plan = plan_for(with_tags(["OrangeDay"], ["EndViolence"]))
    assert strip_drawn(plan) == "#OrangeDay #EndViolence"


def test_required_tags_that_do_not_fit_are_an_overflow():
    _, plan = plan_for(with_tags(LONG_TAGS + ("OrangeDay",), ["Extra"]))
    [problem] = plan.problems
    assert problem.code == "card.overflow" and problem.where.endswith(": hashtags")
    assert "#Extra" not in problem.message


# -- layout capacity -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["statement", "figure"])
def test_shipped_layouts_have_no_warnings(name):
    assert load_layout(WORKSPACE.template_file(f"cards/{name}.yaml")).warnings == ()


def test_a_box_that_cannot_hold_max_lines_at_min_size_is_a_warning(tmp_path):
    path = tmp_path / "tight.yaml"
    path.write_text("layers:\n  - id: source\n    type: source\n    box: {x: 0, y: 0.9, w: 1, h: 0.08}\n"
                    "    size: {min: 18, max: 24}\n    max_lines: 2\n"
                    "    formats:\n      linkedin: {box: {x: 0, y: 0.9, w: 1, h: 0.08}, max_lines: 1}\n",
                    encoding="utf-8")
    layout = load_layout(path, "tight.yaml")
    # 0.08 of the linkedin safe area (523 px) is 42 px: one line at 18 px (22 px) fits, two (44 px) do not;
    # every other format's box is at least 45 px high
    assert layout.warnings == ()
    path.write_text(path.read_text(encoding="utf-8").replace("max_lines: 1}", "max_lines: 2}"), encoding="utf-8")
    [warning] = load_layout(path, "tight.yaml").warnings
    assert not warning.is_error and warning.code == "card-layout.max-lines"
    assert str(warning) == ("tight.yaml:2:5: layers[0]: warning: layer 'source' in the linkedin format: the box is "
                            "42 px high, 2 lines at the minimum size 18 px need 44 px; give the box at least that "
                            "height or max_lines 1 (per format: formats.linkedin.max_lines) [card-layout.max-lines]")
