"""Right-to-left cards: an Arabic line is one bidi paragraph (the merged Arabic font covers digits, '%' and
Latin), so figures and Latin words land where the Unicode bidi algorithm puts them; hashtags and citations
are isolated so their '#' and ')' stay in place."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

from cardsupport import WORKSPACE, build_campaign
from generator.cards.draw import plan_card
from generator.cards import CardRequest, render_card
from generator.cards.resolve import Resolver, card_context
from generator.cards.fonts import BIDI_CONTROLS, library

FIGURE_FIRST = "92% من النساء"  # logically: the figure, then "of women"
WORD_THEN_FIGURE = "النساء 92%"  # logically: "women", then the figure


def arabic_request(headline: str, **extra) -> CardRequest:
    return CardRequest(build_campaign(), "seven-in-ten", "ar", "square", "statement", platforms=(),
                       workspace=WORKSPACE, texts={"headline": headline}, **extra)


def headline_ops(headline: str) -> list:
    plan = plan_card(Resolver().resolve(arabic_request(headline)).spec, library())
    assert plan.problems == []
    sizes = {op[6] for op in plan.ops if op[0] == "text"}
    return [op for op in plan.ops if op[0] == "text" and op[6] == max(sizes)]  # the headline is the largest


def test_an_arabic_line_with_a_figure_is_one_run_drawn_right_to_left():
    [line] = headline_ops(FIGURE_FIRST)
    assert line[3] == FIGURE_FIRST and line[4] == "arabic" and line[8] == "rtl"


MIXED = "النساء 92% من"  # "women, 92% of": a figure between Arabic words, on one line


def ink_spans(image: Image.Image) -> list[tuple[int, int]]:
    """Runs of consecutive pixel columns holding dark ink (glyphs, or joined groups of Arabic letters)."""
    grey = image.convert("L")
    columns = [x for x in range(grey.width) if min(grey.getpixel((x, y)) for y in range(grey.height)) < 128]
    spans: list[list[int]] = []
    for x in columns:
        if spans and x == spans[-1][1] + 1:
            spans[-1][1] = x
        else:
            spans.append([x, x])
    return [tuple(span) for span in spans]


def test_a_figure_between_arabic_words_lands_where_the_bidi_algorithm_puts_it():
    """By pixel columns: the card's headline against the whole line shaped as ONE right-to-left paragraph by
    raqm/FriBiDi (UAX #9: '%92' right after 'من', the space between the figure and 'النساء'). Laid out run
    by run per font, the '%' stuck to 'من' and the space fell between it and the digits."""
    [line] = headline_ops(MIXED)
    size = line[6]
    png = render_card(arabic_request(MIXED)).png
    box = (72, 72 + round(0.19 * 936), 72 + 936, 72 + round(0.46 * 936))  # statement's headline, square
    card = Image.open(io.BytesIO(png)).crop(box)
    reference = Image.new("RGB", card.size, (255, 255, 255))
    ImageDraw.Draw(reference).text((card.width, card.height // 2), MIXED, font=library().face("arabic", "bold", size),
                                   fill=(0, 0, 0), anchor="rm", direction="rtl", language="ar")
    drawn, expected = ink_spans(card), ink_spans(reference)
    assert len(drawn) == len(expected) >= 6
    assert all(abs(a - c) <= 2 and abs(b - d) <= 2 for (a, b), (c, d) in zip(drawn, expected)), (drawn, expected)


def test_the_digits_sit_left_of_the_arabic_word_before_them():
    """'النساء 92': right-aligned, the word keeps the right edge; the digits that follow it go to its left."""
    [with_digits] = headline_ops("النساء 92")
    [word] = headline_ops("النساء")
    assert with_digits[6] == word[6]  # same size: the word's pixels can be compared
    box = (72, 72 + round(0.19 * 936), 72 + 936, 72 + round(0.46 * 936))
    spans = [ink_spans(Image.open(io.BytesIO(render_card(arabic_request(text)).png)).crop(box))
             for text in ("النساء 92", "النساء")]
    assert abs(spans[0][-1][1] - spans[1][-1][1]) <= 2  # the word at the right edge, the paragraph's start
    assert spans[0][0][1] < spans[1][0][0]  # the digits left of it


def test_hashtags_and_citations_are_isolated_in_arabic_and_alt_text_has_no_controls():
    campaign = build_campaign()
    message = campaign.message("seven-in-ten")
    context = card_context(campaign, message, "ar", "square")
    assert context["hashtags"] == "\u2068#OrangeDay\u2069 \u2068#EndViolenceAgainstWomen\u2069"
    # the Arabic comma between publisher and title, the isolate keeping the Latin title in its own run
    assert "\u2068UNODC، Global Report on Trafficking in Persons 2020 (2021)\u2069" in context["source"]
    assert card_context(campaign, message, "en", "square")["hashtags"] == "#OrangeDay #EndViolenceAgainstWomen"
    result = render_card(CardRequest(campaign, "seven-in-ten", "ar", "square", "statement", platforms=(),
                                     workspace=WORKSPACE))
    assert result.ok and not set(result.alt_text) & BIDI_CONTROLS


def test_a_citation_cut_by_a_line_break_stays_isolated_on_both_lines():
    long_source = "المصدر: \u2068" + "United Nations Office on Drugs and Crime " * 3 + "(2021)\u2069"
    request = CardRequest(build_campaign(), "seven-in-ten", "ar", "square", "statement", platforms=(),
                          workspace=WORKSPACE, texts={"source": long_source})
    plan = plan_card(Resolver().resolve(request).spec, library())
    source_lines = [op[3] for op in plan.ops if op[0] == "text" and "Crime" in op[3]]
    assert len(source_lines) == 2
    assert source_lines[0].endswith("\u2069") and source_lines[1].startswith("\u2068")
