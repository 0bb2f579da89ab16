"""Platform rules and platform-exact counting: YAML cases under tests/data/platforms/ and properties."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import platforms, twittertext
from generator.checks import check_length, report_post
from generator.errors import UsageError

DATA = Path(__file__).parent / "data" / "platforms"
COUNT_CASES = yaml.safe_load((DATA / "counts.yaml").read_text("utf-8"))
PROBLEM_CASES = yaml.safe_load((DATA / "problems.yaml").read_text("utf-8"))


def case_text(case: dict) -> str:
    return case["text"] + case.get("unit", "") * case.get("repeat", 0)


@pytest.mark.parametrize(
    "case, platform",
    [(case, name) for case in COUNT_CASES for name in case["count"]],
    ids=[f"{case['name']}-{name}" for case in COUNT_CASES for name in case["count"]],
)
def test_count(case, platform):
    assert platforms.get(platform).count(case_text(case)) == case["count"][platform]


@pytest.mark.parametrize("case", [c for c in COUNT_CASES if "bytes" in c], ids=lambda c: c["name"])
def test_bluesky_bytes(case):
    assert platforms.get("bluesky").count_bytes(case_text(case)) == case["bytes"]


@pytest.mark.parametrize("case", PROBLEM_CASES, ids=lambda c: c["name"])
def test_length_problems(case):
    problems = check_length(case_text(case), case["platform"])
    assert [p.code for p in problems] == case["codes"]
    if "message" in case:
        assert problems[0].message == case["message"]


def test_stable_api_and_rules():
    assert platforms.names() == ["bluesky", "facebook", "instagram", "linkedin", "mastodon", "threads", "x"]
    limits = {name: platforms.get(name).limit for name in platforms.names()}
    assert limits == {"x": 280, "bluesky": 300, "mastodon": 500, "threads": 500, "linkedin": 3000,
                      "instagram": 2200, "facebook": 63206}
    assert [platforms.get(n).alt_text_limit for n in ("x", "mastodon", "bluesky")] == [1000, 1500, 2000]
    assert platforms.get("instagram").max_hashtags == 5
    assert platforms.get("x").recommended_hashtags == 2
    assert platforms.get("threads").max_links == 5
    assert platforms.get("instagram").links_clickable is False
    assert [n for n in platforms.names() if platforms.get(n).supports_threads] == ["bluesky", "mastodon", "threads", "x"]
    assert platforms.get("x").card_formats == ("landscape", "square")
    assert [(f.width, f.height) for f in map(platforms.card_formats().get, platforms.get("x").card_formats)] == [
        (1200, 675), (1080, 1080)]
    assert platforms.get("linkedin").default_card_format == "linkedin"
    story = platforms.card_formats()["story"]
    assert (story.width, story.height) == (1080, 1920)
    for name in platforms.names():
        assert set(platforms.get(name).card_formats) <= set(platforms.card_formats())


def test_unknown_platform_lists_the_known_ones():
    with pytest.raises(UsageError) as raised:
        platforms.get("tiktok")
    assert str(raised.value) == ("unknown platform 'tiktok' (known: bluesky, facebook, instagram, linkedin, "
                                 "mastodon, threads, x)")


def test_close_name_gets_a_suggestion():
    with pytest.raises(UsageError, match="did you mean 'mastodon'"):
        platforms.get("mastadon")


def test_urls_found_as_x_links_them():
    urls = twittertext.extract_urls("see www.unwomen.org/en, https://t.co/abc123?x=1 and foo@bar.com")
    assert [(u.url, u.start, u.end, u.has_protocol) for u in urls] == [
        ("www.unwomen.org/en", 4, 22, False), ("https://t.co/abc123?x=1", 24, 47, True)]


# Characters for the properties: every plane, surrogates and controls included; URL material is common.
ANY_CHAR = st.characters(codec=None, min_codepoint=0, max_codepoint=0x10FFFF)
TEXTS = st.lists(st.one_of(ANY_CHAR, st.sampled_from(list("ab.:/#@ 1_-\u200d🏽") + ["https://", "x.com", "@a@b.c"])),
                 max_size=30).map("".join)


def _spans_not_counted_per_character(text: str, name: str) -> list[tuple[int, int]]:
    if name == "x":
        return [(u.start, u.end) for u in twittertext.extract_urls(twittertext.normalise(text))]
    if name == "mastodon":
        return [(start, end) for start, end, _ in platforms.mastodon_entities(text)]
    return []


def _ends_in_entity(text: str, name: str) -> bool:
    last = len(twittertext.normalise(text)) - 1 if name == "x" else len(text) - 1
    return any(start <= last < end for start, end in _spans_not_counted_per_character(text, name))


def _extends_last_cluster(text: str, char: str) -> bool:
    return bool(text) and platforms.graphemes(text + char) == platforms.graphemes(text)


@settings(max_examples=300, deadline=None)
@given(text=TEXTS, char=ANY_CHAR)
def test_count_never_decreases_when_a_character_is_appended(text, char):
    """Appending a character outside a URL never lowers a count.

    Outside a URL means: the new character lies in no URL of the new text, and the old text does not end
    in one. X autolinks and Mastodon's scheme URLs weigh 23 whatever their length, so appending can
    complete or extend one and lower the count; and appending to a text that ends in a URL can also
    break it (`x.com` weighs 23, `x.com0` weighs 6). Mastodon's `@user@domain`, counted as `@user`,
    behaves the same way. And the new character must start a new grapheme cluster:
    X weighs a whole emoji sequence 2, so completing `👨` + ZWJ with `🎤` legitimately goes from 3 to 2
    (see the counts.yaml case "an unfinished ZWJ sequence")."""
    longer = text + char
    for name in platforms.names():
        if _extends_last_cluster(text, char):
            continue
        if _ends_in_entity(longer, name) or _ends_in_entity(text, name):
            continue
        rules = platforms.get(name)
        assert rules.count(longer) >= rules.count(text), name


@settings(max_examples=200, deadline=None)
@given(text=st.text(ANY_CHAR, max_size=200))
def test_every_string_gets_a_count_and_a_check(text):
    for name in platforms.names():
        assert platforms.get(name).count(text) >= 0
        check_length(text, name)


def test_a_megabyte_of_text_gets_a_result():
    # The long `a.a.a.` chain once took twitter-text-parser minutes (a backtracking URL regex).
    text = ("Orange the World 🧡 unwomen.org #OrangeDay 日本語 مرحبا a.b.c \ud800 \x00 ") * 16_000 + "a." * 50_000
    assert len(text.encode("utf-8", "surrogatepass")) > 1_000_000
    for name in platforms.names():
        assert platforms.get(name).count(text) > platforms.get(name).limit


@pytest.mark.parametrize("piece", ["a-", "@a@b.c "])
def test_long_runs_that_once_made_checks_quadratic(piece):
    """`a-a-a-…` retried the link scheme from every word start, and `@a@b.c` mentions were each compared
    with every span found before: each took minutes on a megabyte. Both are linear now."""
    text = "Orange Day " + piece * (1_000_000 // len(piece))  # a word first: `@` would start a formula
    report = report_post(text, "mastodon")
    assert report.count > report.limit
    assert [p.code for p in report.problems] == ["length.over"]
