"""Hashtag extraction per platform and the hashtag checks: YAML cases under tests/data/hashtags/."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import hashtags, platforms
from generator.model import Hashtags

DATA = Path(__file__).parent / "data" / "hashtags"
EXTRACT_CASES = yaml.safe_load((DATA / "extract.yaml").read_text("utf-8"))
PROBLEM_CASES = yaml.safe_load((DATA / "problems.yaml").read_text("utf-8"))


class CampaignStub:
    """The one part of generator.model.Campaign the hashtag checks read."""

    def __init__(self, tags: dict):
        self.hashtags = Hashtags(tuple(tags.get("required", ())), tuple(tags.get("suggested", ())),
                                 tuple(tags.get("banned", ())))


@pytest.mark.parametrize(
    "case, platform",
    [(case, name) for case in EXTRACT_CASES for name in case["tags"]],
    ids=[f"{case['name']}-{name}" for case in EXTRACT_CASES for name in case["tags"]],
)
def test_extract(case, platform):
    assert hashtags.extract(case["text"], platform=platform) == case["tags"][platform]


@pytest.mark.parametrize("case", PROBLEM_CASES, ids=lambda c: c["name"])
def test_hashtag_problems(case):
    campaign = CampaignStub(case["campaign"]) if "campaign" in case else None
    problems = hashtags.check_hashtags(case["text"], case["platform"], campaign)
    assert [p.code for p in problems] == case["codes"]
    if "message" in case:
        assert problems[0].message == case["message"]


def test_extract_defaults_to_x_and_positions_point_at_the_hash():
    text = "Go ＃OrangeDay #16Days"
    assert hashtags.extract(text) == ["OrangeDay", "16Days"]
    assert [text[t.start:t.end] for t in hashtags.find(text, "bluesky")] == ["＃OrangeDay", "#16Days"]


def test_required_tags_can_be_left_to_templates():
    campaign = CampaignStub({"required": ["OrangeDay"]})
    assert hashtags.check_hashtags("No tag yet", "x", campaign, require=False) == []


@settings(max_examples=300, deadline=None)
@given(text=st.lists(st.one_of(st.characters(codec=None), st.sampled_from(list("#＃_-·.:/ a1\u200d\ufe0f\u20e3"))),
                     max_size=60).map("".join))
def test_extraction_never_raises(text):
    for name in platforms.names():
        tags = hashtags.extract(text, platform=name)
        assert all(isinstance(tag, str) and tag for tag in tags)
        hashtags.check_hashtags(text, name, CampaignStub({"required": ["OrangeDay"], "banned": ["X"]}))


def test_extraction_on_a_megabyte():
    text = "#OrangeDay #2026 #end-trafficking ＃日本 x.com/#a \ud800 \x00 " * 20_000
    assert len(text) > 1_000_000
    for name in platforms.names():
        assert len(hashtags.extract(text, platform=name)) >= 1
