"""check_post (length + links + hashtags together) and the check of a campaign's shipped messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import checks, console
from generator.errors import Severity
from generator.model import Brand, Campaign, Hashtags, Message, Schedule


def make_campaign(messages, platforms=("x", "bluesky", "instagram")) -> Campaign:
    return Campaign(
        id="orange-day", name="Orange Day", organisers=("UN Women",), summary="", url="https://www.unwomen.org",
        timezone="UTC", languages=("en", "fr"), platforms=tuple(platforms), observances=(),
        hashtags=Hashtags(required=("OrangeDay",), suggested=("OrangeTheWorld",), banned=("SexSlaves",)),
        facts={}, messages=tuple(messages), brand=Brand({}, "logo.png", Path("logo.png")), schedule=Schedule(),
    )


def test_check_post_combines_length_and_hashtags_in_order():
    campaign = make_campaign([])
    text = "a" * 270 + " #orangetheworld #SexSlaves"
    problems = checks.check_post(text, "x", campaign, where="orange-day/m1/x/en")
    assert [str(p) for p in problems] == [
        "orange-day/m1/x/en: error: x: 297/280 (17 over) [length.over]",
        "orange-day/m1/x/en: warning: x: write #OrangeTheWorld, not #orangetheworld "
        "(capitals let screen readers say the words) [hashtag.case]",
        "orange-day/m1/x/en: error: x: #SexSlaves is banned in this campaign [hashtag.banned]",
        "orange-day/m1/x/en: error: x: required hashtag missing: #OrangeDay [hashtag.required-missing]",
    ]


def test_check_post_without_campaign_checks_only_the_platform():
    assert checks.check_post("Orange the World #OrangeDay https://www.unwomen.org", "bluesky") == []


def test_report_post_numbers():
    report = checks.report_post("Hi #OrangeDay 👋", "threads")
    assert report.as_dict() == {"platform": "threads", "count": 18, "limit": 500, "remaining": 482,
                                "tags": ["OrangeDay"], "problems": []}
    assert console.post_report_lines(report) == ["threads: 18/500 (482 left); tags: #OrangeDay"]


def test_format_report_over_the_limit_with_problems():
    report = checks.report_post("a" * 291, "x")
    assert console.post_report_lines(report) == ["x: 291/280 (11 over); tags: none",
                                            "  error: x: 291/280 (11 over) [length.over]"]


def test_campaign_messages_are_checked_on_every_targeted_platform():
    messages = [
        Message("fits", {"en": "Orange the World.", "fr": "Orangez le monde."}),
        Message("too-long", {"en": "b" * 301}, short={"en": "short #end-trafficking"}, platforms=("bluesky",)),
    ]
    problems = checks.check_campaign_messages(make_campaign(messages))
    assert [(p.where, p.code, p.severity) for p in problems] == [
        ("orange-day/too-long/text/en", "length.over", Severity.ERROR),
    ]


def test_campaign_messages_report_unlinkable_tags_and_instagram_links():
    messages = [Message("m", {"en": "Read unwomen.org #end-trafficking"})]
    problems = checks.check_campaign_messages(make_campaign(messages, platforms=("x", "instagram")))
    assert [(p.code, p.message) for p in problems] == [
        ("hashtag.unlinkable", "x: links only #end, not #end-trafficking"),
        ("link.not-clickable", "instagram: links in the text are not clickable (unwomen.org); "
                               "point to the link in the bio instead"),
        ("hashtag.unlinkable", "instagram: links only #end, not #end-trafficking"),
    ]


def test_stdin_text_loses_one_line_ending_and_must_be_utf8():
    assert checks.read_stdin_text(b"hello\n") == "hello"
    assert checks.read_stdin_text(b"hello\r\n\n") == "hello\r\n"
    try:
        checks.read_stdin_text(b"ab\xff")
    except Exception as err:  # noqa: BLE001 - the type is asserted below
        assert type(err).__name__ == "InputFileError"
        assert str(err) == "<stdin>: not valid UTF-8 (byte 3)"
    else:
        raise AssertionError("invalid UTF-8 was accepted")


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "＝"])
def test_a_post_starting_like_a_spreadsheet_formula_is_an_error(start):
    problems = checks.check_length(f"{start}SUM(1;2) Orange Day", "mastodon")
    assert [p.code for p in problems] == ["text.formula-start"]
    assert f"starts with {start!r}" in problems[0].message


def test_a_formula_character_later_in_the_post_is_fine():
    assert checks.check_length("Orange Day: 1 + 1 = 2, -3, @unwomen", "mastodon") == []
