"""The shipped campaigns' content itself (issue 2 item 5, issue 7 item 5): every message in the six UN
languages, every figure a sourced fact, hashtags in canonical CamelCase, texts that fit every platform,
readable brand colours and usable logos. What each campaign must keep is data in
tests/data/shipped_content/campaigns.yaml.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from PIL import Image

from generator import platforms
from generator.guards import facts, terminology
from generator.campaign import load_campaign
from generator.cards.contrast import contrast_ratio

_DATA = yaml.safe_load(
    (Path(__file__).parent / "data" / "shipped_content" / "campaigns.yaml").read_text(encoding="utf-8")
)
EXPECTED = _DATA["campaigns"]
CONTRAST_PAIRS = [tuple(pair) for pair in _DATA["contrast_pairs"]]
SHIPPED = sorted(EXPECTED)
UN_LANGUAGES = ("ar", "en", "es", "fr", "ru", "zh")
TRANSLATED_FIELDS = ("headline", "text", "short", "call_to_action")
ALL_PLATFORMS = ("x", "bluesky", "mastodon", "threads", "linkedin", "instagram", "facebook")
MINIMUM_MESSAGES = 8  # issue 2, item 5: "at least 8 messages per campaign"
# A link as long as X's t.co links (every URL counts 23 there); https://t.co/ is 13 characters, plus 10.
LINK_23 = "https://t.co/abcdefghij"
# CamelCase: capitalised words, digits allowed as a word of their own (#16Days). Screen readers need the capitals.
CAMEL_CASE = re.compile(r"^(?:[A-Z][a-z0-9]*|[0-9]+)+$")
WCAG_TEXT_MINIMUM = 4.5  # WCAG 2.2, Success Criterion 1.4.3, normal text


@pytest.fixture(scope="module")
def campaigns(repo_workspace):
    return {campaign_id: load_campaign(repo_workspace, campaign_id) for campaign_id in SHIPPED}


def translated_values(campaign):
    """(message id, field, language, value) for every translated field of every message."""
    for message in campaign.messages:
        for field in TRANSLATED_FIELDS:
            values = getattr(message, field)
            for language in UN_LANGUAGES:
                yield message.id, field, language, values.get(language)


def rgb(hex_colour: str) -> tuple[int, int, int]:
    digits = hex_colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return tuple(int(digits[i:i + 2], 16) for i in (0, 2, 4))


def test_every_campaign_file_is_shipped(repo_workspace):
    assert sorted(p.stem for p in repo_workspace.campaigns_dir.glob("*.yaml")) == SHIPPED


@pytest.mark.parametrize("campaign_id", SHIPPED)
def test_defaults_cover_six_languages_and_seven_platforms(campaigns, campaign_id):
    campaign = campaigns[campaign_id]
    assert sorted(campaign.languages) == sorted(UN_LANGUAGES)
    assert campaign.languages[0] == "en"
    assert sorted(campaign.platforms) == sorted(ALL_PLATFORMS)
    assert campaign.timezone == "America/New_York"  # UN Headquarters, for English
    # Every other language is timed for its own audience: Arabic readers are not in New York.
    assert sorted(campaign.schedule.audiences) == sorted(set(UN_LANGUAGES) - {"en"})
    assert campaign.timezone_for("ar") == "Africa/Cairo" and campaign.timezone_for("zh") == "Asia/Shanghai"
    # Five posts a week, except the 16 Days, which post every one of their sixteen days.
    assert campaign.schedule.posts_per_week == (7 if campaign_id == "sixteen-days" else 5)


@pytest.mark.parametrize("campaign_id", SHIPPED)
def test_enough_messages_each_with_link_and_call_to_action(campaigns, campaign_id):
    campaign = campaigns[campaign_id]
    assert len(campaign.messages) >= MINIMUM_MESSAGES
    for message in campaign.messages:
        assert message.link and message.link.startswith("https://"), message.id
        assert message.call_to_action, message.id


@pytest.mark.parametrize("campaign_id", SHIPPED)
def test_every_message_is_written_in_the_six_un_languages(campaigns, campaign_id):
    missing = [
        f"{message_id}.{field}.{language}"
        for message_id, field, language, value in translated_values(campaigns[campaign_id])
        if not (isinstance(value, str) and value.strip())
    ]
    assert missing == []


@pytest.mark.parametrize("campaign_id", SHIPPED)
def test_texts_carry_no_hashtags_or_links(campaigns, campaign_id):
    """Templates add hashtags and the link; written into a text they would be doubled or miscounted."""
    found = [
        f"{message_id}.{field}.{language}"
        for message_id, field, language, value in translated_values(campaigns[campaign_id])
        if re.search(r"[#＃]\w|https?://|www\.", value or "")
    ]
    assert found == []


@pytest.mark.parametrize("campaign_id", SHIPPED)
def test_every_fact_has_a_complete_source(campaigns, campaign_id):
    facts = campaigns[campaign_id].facts
    assert facts
    for fact in facts.values():
        source = fact.source
        assert source.publisher.strip() and source.title.strip(), fact.id
        assert isinstance(source.year, int) and 2000 <= source.year <= 2030, fact.id
        assert source.url.startswith("https://"), fact.id


@pytest.mark.parametrize("campaign_id", SHIPPED)
def test_fact_figures_appear_in_their_statement(campaigns, campaign_id):
    """Each figure is one the statement states (`4,000` and `4000` are the same figure)."""
    for fact in campaigns[campaign_id].facts.values():
        assert fact.figures, fact.id
        stated = {(f.value, f.percent) for f in facts.extract_figures(fact.statement)}
        for figure in fact.figures:
            assert {(f.value, f.percent) for f in facts.extract_figures(figure)} <= stated, (fact.id, figure)


@pytest.mark.parametrize("campaign_id", SHIPPED)
def test_every_fact_is_quoted_in_every_language(campaigns, campaign_id):
    """A message that references facts quotes one of their figures in each language's text, and every
    fact of the campaign is referenced by some message."""
    campaign = campaigns[campaign_id]
    referenced = set()
    for message in campaign.messages:
        referenced.update(message.facts)
        if not message.facts:
            continue
        figures = {(f.value, f.percent) for fact_id in message.facts
                   for figure in campaign.facts[fact_id].figures for f in facts.extract_figures(figure)}
        for language in UN_LANGUAGES:
            quoted = {(f.value, f.percent) for f in facts.extract_figures(message.text[language])}
            assert quoted & figures, (message.id, language)
    assert referenced == set(campaign.facts)


@pytest.mark.parametrize("campaign_id", SHIPPED)
def test_every_number_in_every_language_is_sourced(campaigns, campaign_id):
    campaign = campaigns[campaign_id]
    problems = []
    for message in campaign.messages:
        for field in TRANSLATED_FIELDS:
            for language in UN_LANGUAGES:
                text = getattr(message, field)[language]
                problems += [f"{message.id}.{field}.{language}: {p.message}"
                             for p in facts.check_facts(text, message, campaign)]
    assert problems == []


@pytest.mark.parametrize("campaign_id", SHIPPED)
def test_wording_follows_the_glossary_in_every_language(campaigns, campaign_id):
    campaign = campaigns[campaign_id]
    problems = [
        f"{message_id}.{field}.{language}: {p.message}"
        for message_id, field, language, value in translated_values(campaign)
        for p in terminology.check_terminology(value, language, campaign.terminology)
    ]
    assert problems == []


@pytest.mark.parametrize("campaign_id", SHIPPED)
def test_hashtags_are_camel_case_and_the_required_ones_are_kept(campaigns, campaign_id):
    tags = campaigns[campaign_id].hashtags
    assert list(tags.required) == EXPECTED[campaign_id]["required_hashtags"]
    assert tags.suggested and tags.banned
    for tag in (*tags.required, *tags.suggested, *tags.banned):
        assert CAMEL_CASE.match(tag), tag
    assert not {t.lower() for t in tags.banned} & {t.lower() for t in (*tags.required, *tags.suggested)}


@pytest.mark.parametrize("campaign_id", SHIPPED)
@pytest.mark.parametrize("platform_name", ALL_PLATFORMS)
def test_texts_fit_with_a_link_and_two_hashtags(campaigns, campaign_id, platform_name):
    """Each text, with a 23-character link, the required hashtag and the longest suggested one, fits the
    platform as the platform counts (X weighs CJK characters 2); the short variant fits with room to spare."""
    campaign = campaigns[campaign_id]
    platform = platforms.get(platform_name)
    tags = " ".join(f"#{t}" for t in (*campaign.hashtags.required, max(campaign.hashtags.suggested, key=len)))
    too_long = []
    for message in campaign.messages:
        for language in UN_LANGUAGES:
            for variant, text, limit in (("text", message.text[language], platform.limit),
                                         ("short", message.short[language], platform.limit - 60)):
                length = platform.count(f"{text} {LINK_23} {tags}")
                if length > limit:
                    too_long.append(f"{message.id}.{variant}.{language}: {length} > {limit}")
    assert too_long == []


@pytest.mark.parametrize("campaign_id", SHIPPED)
def test_observances_keep_their_days_and_themes(campaigns, campaign_id):
    campaign = campaigns[campaign_id]
    for observance_id, expected in EXPECTED[campaign_id]["observances"].items():
        observance = campaign.observance(observance_id)
        if "monthly" in expected:
            assert (observance.kind, observance.day) == ("monthly", expected["monthly"])
        elif "date" in expected:
            month, day = map(int, expected["date"].split("-"))
            assert (observance.kind, observance.month, observance.day) == ("date", month, day)
        else:
            start, end = (tuple(map(int, expected[k].split("-"))) for k in ("from", "to"))
            assert (observance.kind, observance.start, observance.end) == ("range", start, end)
        if "themes" in expected:  # the English text of each year's theme (the file may translate it too)
            assert {year: observance.theme(year) for year in observance.themes} == expected["themes"]
        assert observance.features, observance_id


@pytest.mark.parametrize("campaign_id", SHIPPED)
def test_brand_colours_keep_contrast_where_the_stock_cards_set_text(campaigns, campaign_id):
    colours = campaigns[campaign_id].brand.colours
    low = []
    for foreground, backdrop in CONTRAST_PAIRS:
        ratio = contrast_ratio(rgb(colours.get(foreground, foreground)), rgb(colours.get(backdrop, backdrop)))
        if ratio < WCAG_TEXT_MINIMUM:
            low.append(f"{foreground} on {backdrop}: {ratio:.2f}")
    assert low == []
    assert campaigns[campaign_id].brand.font == "Noto Sans"  # Noto covers all six scripts


def test_palettes_are_distinct(campaigns):
    backgrounds = [campaign.brand.colours["background"].upper() for campaign in campaigns.values()]
    assert len(set(backgrounds)) == len(backgrounds)


def test_orange_day_is_unite_orange(campaigns):
    assert campaigns["orange-day"].brand.colours["primary"].upper() == "#F58220"


@pytest.mark.parametrize("campaign_id", SHIPPED)
def test_logo_is_a_square_png_with_transparency(campaigns, campaign_id):
    logo_path = campaigns[campaign_id].brand.logo_path
    with Image.open(logo_path) as logo:
        assert logo.format == "PNG"
        assert logo.mode == "RGBA"
        assert logo.width == logo.height >= 256
        corners = [(0, 0), (logo.width - 1, 0), (0, logo.height - 1), (logo.width - 1, logo.height - 1)]
        assert all(logo.getpixel(corner)[3] == 0 for corner in corners)
        assert logo.getchannel("A").getextrema()[1] == 255  # and something is drawn
