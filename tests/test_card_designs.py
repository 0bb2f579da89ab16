"""The designed layouts (issue 14): a quotation card, a photo card with its scrim, shapes made from the brand
where there is no photo, one type scale per layout, and a story card beside the feed card where a campaign
asks for it. Real cards are drawn and their pixels read."""

from __future__ import annotations

import io
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

from generator.campaign import load_campaign
from generator.cards import CardRequest, render_card
from generator.cards.backdrops import pattern_mask
from generator.cards.explain import explain_card
from generator.cards.layouts import find_layout
from generator.dates import choose_period
from generator.pack.build import build_pack
from generator.pack.model import PackOptions

PHOTO = Path(__file__).parent / "data" / "cards" / "photo.jpg"
LANGUAGES = ("en", "fr", "es", "ar", "ru", "zh")
PHOTO_ALT = {"en": "Women holding candles at an evening vigil."}


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    """The shipped campaigns in a workspace of their own (a photo in its assets), loaded once."""
    from conftest import REPO
    from generator.workspace import Workspace

    root = tmp_path_factory.mktemp("designs") / "workspace"
    for folder in ("campaigns", "assets", "facts"):
        shutil.copytree(REPO / folder, root / folder)
    shutil.copy(PHOTO, root / "assets" / "vigil.jpg")
    return Workspace(root.resolve())


def _with_photo(workspace, campaign, message_id):
    message = replace(campaign.message(message_id), image="vigil.jpg", image_path=workspace.assets_dir / "vigil.jpg",
                      image_alt=PHOTO_ALT)
    return message


def _png(result) -> Image.Image:
    assert result.png is not None, [str(p) for p in result.problems]
    return Image.open(io.BytesIO(result.png))


@pytest.mark.parametrize("layout, campaign_id, message_id", [
    ("statement", "sixteen-days", "orange-the-world"),
    ("figure", "orange-day", "sexual-exploitation-share"),
    ("quote", "sixteen-days", "fund-womens-movements"),
    ("photo", "orange-day", "orange-the-world"),
])
def test_every_text_of_a_layout_takes_a_size_of_its_type_scale_in_every_language(shipped, layout, campaign_id,
                                                                                  message_id):
    campaign = load_campaign(shipped, campaign_id)
    steps = set(find_layout(shipped.template_folders, layout).sizes_for(8, 400))
    sizes = {}
    for language in LANGUAGES:
        for card_format in ("square", "portrait", "landscape", "story"):
            explained = explain_card(CardRequest(campaign, message_id, language, card_format, layout,
                                                 workspace=shipped))
            assert not [p for p in explained["problems"] if p["severity"] == "error"], explained["problems"]
            for entry in explained["layers"]:
                sizes.setdefault(entry["layer"], set()).add(entry["size"])
    used = set().union(*sizes.values())
    assert used <= steps, f"sizes off the scale: {sorted(used - steps)}"
    assert len(sizes["headline" if "headline" in sizes else "quotation"]) <= 6  # a few sizes, not any


def test_the_quotation_card_shows_the_attribution_and_reads_it_in_the_alt_text(shipped):
    campaign = load_campaign(shipped, "sixteen-days")
    message = campaign.message("fund-womens-movements")
    assert campaign.brand.layout_for(message) == "quote"  # it has quote_by: the brand's quote layout
    explained = explain_card(CardRequest(campaign, message.id, "fr", "square", "quote", workspace=shipped))
    lines = {entry["layer"]: entry["lines"] for entry in explained["layers"]}
    assert lines["quote-mark"] == ["«"]
    assert lines["attribution"] == ["— Notre appel à l'action"]
    assert explained["alt_text"].endswith("— Notre appel à l'action")
    assert "«" not in explained["alt_text"]  # the decorative mark is not read out
    marks = {language: explain_card(CardRequest(campaign, message.id, language, "square", "quote", workspace=shipped))
             ["layers"][0]["lines"] for language in ("es", "en", "zh")}
    assert marks == {"es": ["«"], "en": ["“"], "zh": ["“"]}  # Spanish print takes the angle quotes (RAE)


def test_a_story_sets_the_quotation_a_step_larger_than_the_feed_card_of_the_same_width(shipped):
    """`formats.story.size`: a story fills a phone's screen, so the quote layout lets its text grow there; the
    portrait card, as wide, keeps the layer's own range."""
    campaign = load_campaign(shipped, "sixteen-days")
    sizes = {}
    for card_format in ("portrait", "story"):
        explained = explain_card(CardRequest(campaign, "fund-womens-movements", "en", card_format, "quote",
                                             workspace=shipped))
        sizes[card_format] = {entry["layer"]: (entry["size"], entry["max_size"]) for entry in explained["layers"]}
    assert sizes["portrait"]["quotation"] == (60, 60) and sizes["story"]["quotation"] == (72, 72)
    assert sizes["story"]["attribution"][0] > sizes["portrait"]["attribution"][0]


def test_the_photo_card_draws_the_photo_under_a_scrim_and_describes_it_first(shipped):
    campaign = load_campaign(shipped, "orange-day")
    message = _with_photo(shipped, campaign, "orange-the-world")
    assert campaign.brand.layout_for(message) == "photo"
    result = render_card(CardRequest(campaign, message, "en", "portrait", "photo", workspace=shipped))
    card = _png(result).convert("RGB")
    assert result.alt_text.startswith("Women holding candles at an evening vigil. Orange the world.")
    assert _png(result).mode == "RGB"  # a photo's shades are kept, not banded by a palette
    top, foot = card.crop((0, 200, 1080, 400)), card.crop((0, 1000, 1080, 1100))
    assert len(top.getcolors(1 << 20)) > 5000  # the photo shows at the top ...
    assert _mean_luminance(foot) < _mean_luminance(top) * 0.6  # ... darkened at the foot behind the text
    assert not [p for p in result.problems if p.code == "card.contrast"]


def test_contrast_is_measured_on_the_photo_itself_without_a_scrim(shipped, tmp_path):
    """The same photo card without its scrim: white text on the bright photo is refused, as measured on the
    composited pixels, not on the layout's colours."""
    layout = shipped.template_file("cards/photo.yaml").read_text(encoding="utf-8")
    start = layout.index("  - id: scrim")
    unscreened = layout[:start] + layout[layout.index("  - id: logo"):]
    partner = tmp_path / "kit"
    (partner / "templates" / "cards").mkdir(parents=True)
    (partner / "templates" / "cards" / "photo.yaml").write_text(unscreened, encoding="utf-8")
    campaign = load_campaign(shipped, "orange-day")
    message = _with_photo(shipped, campaign, "orange-the-world")
    result = render_card(CardRequest(campaign, message, "en", "portrait", "photo", workspace=shipped,
                                     partner_dir=partner))
    assert any(p.code == "card.contrast" for p in result.problems)


def test_without_a_photo_the_photo_card_shows_the_brand_rings(shipped):
    campaign = load_campaign(shipped, "orange-day")
    result = render_card(CardRequest(campaign, "orange-the-world", "en", "square", "photo", workspace=shipped))
    card = _png(result).convert("RGB")
    assert result.alt_text.startswith("Orange the world.")  # no photo: nothing described
    data = card.crop((540, 0, 1080, 540)).tobytes()
    ring_pixels = sum(1 for r, g in zip(data[0::3], data[1::3]) if r > g + 40)
    assert ring_pixels > 1000  # the orange rings reach across the purple card, above the scrim's dark foot


def test_shapes_mirror_for_right_to_left_cards_and_are_deterministic():
    mask = pattern_mask("rings", (400, 300))
    assert mask.tobytes() == pattern_mask.__wrapped__("rings", (400, 300)).tobytes()  # drawn again, not kept
    mirrored = pattern_mask("rings", (400, 300), mirrored=True)
    assert mirrored.tobytes() == mask.transpose(Image.Transpose.FLIP_LEFT_RIGHT).tobytes()
    assert mask.getpixel((399, 299)) == 0 and mask.getbbox()[2] == 400  # centred beyond the bottom end corner
    for pattern in ("stripes", "dots"):
        assert pattern_mask(pattern, (200, 200)).getbbox() is not None


def test_flat_cards_keep_every_main_colour_exact_in_their_palette(shipped):
    """The orange-day logo's white must come out white, not the near-white a palette cell would give it."""
    campaign = load_campaign(shipped, "orange-day")
    result = render_card(CardRequest(campaign, "orange-the-world", "en", "landscape", "statement",
                                     workspace=shipped))
    card = _png(result)
    assert card.mode == "P"
    colours = {colour for _, colour in card.convert("RGB").getcolors(1 << 16)}
    assert {(255, 255, 255), (0xF5, 0x82, 0x20)} <= colours


def test_instagram_posts_carry_a_story_card_when_the_campaign_asks(shipped, tmp_path):
    options = PackOptions(choose_period("2026-W50", None, None), campaign_ids=("sixteen-days",),
                          platforms=("instagram", "x"), languages=("en",), out_dir=tmp_path, jobs=1)
    pack = build_pack(shipped, options)
    instagram = [post for post in pack.posts if post.slot.platform == "instagram"]
    x_posts = [post for post in pack.posts if post.slot.platform == "x"]
    assert instagram and all(post.card_formats == ("portrait", "story") for post in instagram)
    assert all(post.card_formats == ("landscape",) for post in x_posts)
    story = Image.open(Path(pack.folder) / instagram[0].card_files[1])
    assert story.size == (1080, 1920)
    preview = (Path(pack.folder) / "index.html").read_text(encoding="utf-8")
    assert f'<a href="{instagram[0].card_files[1]}">story</a>' in preview


def _mean_luminance(image: Image.Image) -> float:
    pixels = image.convert("L").tobytes()
    return sum(pixels) / len(pixels)
