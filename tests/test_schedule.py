"""The schedule: observance days, weekly rotation, local times with offsets, ISO weeks."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
import yaml

from generator.campaign import load_campaign
from generator.errors import UsageError
from generator.dates import coming_week, date_range, parse_week, past_period_warning
from generator.schedule import schedule_campaign, schedule_campaigns

ROTATION = """
  - id: m{n}
    text:
      en: Message number {word}.
"""
WORDS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]


@pytest.fixture
def campaign(make_workspace, minimal_campaign_text):
    # Ten more messages, appended to the messages list (the section just before brand:).
    extra = "".join(ROTATION.format(n=n, word=WORDS[n]) for n in range(10)).lstrip("\n")
    text = minimal_campaign_text.replace("brand:", extra + "brand:", 1)
    return load_campaign(make_workspace({"minimal.yaml": text}), "minimal")


WEEKS = yaml.safe_load((Path(__file__).parent / "data" / "calendar" / "weeks.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", WEEKS["valid"], ids=lambda c: c["text"])
def test_parse_week(case):
    period = parse_week(case["text"])
    assert (period.start, period.end, period.label) == (case["start"], case["end"], case["label"])


@pytest.mark.parametrize("case", WEEKS["invalid"], ids=lambda c: c["text"])
def test_parse_week_explains_the_expected_form(case):
    with pytest.raises(UsageError) as caught:
        parse_week(case["text"], today=case.get("today", date(2026, 12, 1)))
    assert str(caught.value) == case["error"]


@pytest.mark.parametrize("case", WEEKS["past"], ids=lambda c: f"{c['text']}-{c['today']}")
def test_a_past_week_is_said_to_be_past(case):
    assert past_period_warning(parse_week(case["text"]), case["today"]) == case["warning"]


def test_coming_week_is_next_monday_to_sunday():
    assert coming_week(date(2026, 11, 22)).label == "2026-W48"  # a Sunday
    assert coming_week(date(2026, 11, 23)).start == date(2026, 11, 30)  # a Monday: the week after


def test_date_range_ending_before_it_starts():
    with pytest.raises(UsageError) as caught:
        date_range(date(2026, 12, 1), date(2026, 11, 1))
    assert str(caught.value) == "the date range ends (2026-11-01) before it starts (2026-12-01)"


def test_known_week(campaign):
    # W48 of 2026 holds Orange Day (Wed 25 Nov, featuring 'solidarity') inside the 16 Days (no features).
    # Week 1351 since 2001-01-01 starts its rotation at position 1351 * 5 % 12 = 11 (m9) and skips the
    # featured 'solidarity' on its regular days.
    slots = schedule_campaign(campaign, parse_week("2026-W48"), platforms=["x"], languages=["en"])
    assert [(s.local_time, s.message_id, s.observance.observance_id if s.observance else None) for s in slots] == [
        ("2026-11-23T10:00:00+01:00", "m9", None),
        ("2026-11-24T10:00:00+01:00", "detection", None),
        ("2026-11-25T10:00:00+01:00", "solidarity", "orange-day"),
        ("2026-11-26T10:00:00+01:00", "m0", None),
        ("2026-11-27T10:00:00+01:00", "m1", None),
    ]


def test_summer_time_offset(campaign):
    slots = schedule_campaign(campaign, parse_week("2026-W30"), platforms=["x"], languages=["en"])
    assert slots[0].local_time.endswith("+02:00")  # Vienna in July


def test_consecutive_weeks_do_not_repeat_while_alternatives_remain(campaign):
    previous = None
    for week in range(1, 53):
        period = parse_week(f"2027-W{week:02d}")
        messages = {s.message_id for s in schedule_campaign(campaign, period, ["x"], ["en"]) if s.observance is None}
        if previous is not None:
            assert not messages & previous, f"week {week} repeats {messages & previous}"
        previous = messages


def test_every_platform_and_language(campaign):
    slots = schedule_campaign(campaign, parse_week("2026-W48"))
    assert {(s.platform, s.language) for s in slots} == {(p, l) for p in ("x", "mastodon") for l in ("en", "fr")}
    assert len(slots) == 5 * 2 * 2


def test_same_week_same_schedule(campaign):
    period = parse_week("2026-W31")
    assert schedule_campaign(campaign, period) == schedule_campaign(campaign, period)


def test_a_kept_schedule_serves_only_the_very_same_campaign(campaign):
    """Schedules are kept in the process under the campaign's repr (`serve` schedules after every save): a
    campaign that differs in anything is scheduled anew."""
    period = parse_week("2026-W31")
    first = schedule_campaigns([campaign], period)
    assert first == schedule_campaign(campaign, period) and schedule_campaigns([campaign], period) == first
    fewer = replace(campaign, schedule=replace(campaign.schedule, posts_per_week=1))
    assert schedule_campaigns([fewer], period) == schedule_campaign(fewer, period) != first
    assert schedule_campaigns([campaign], period, ["x"], ["fr"]) == schedule_campaign(campaign, period, ["x"], ["fr"])


def test_a_day_gets_the_same_message_in_a_range_as_in_its_week(campaign):
    week = schedule_campaign(campaign, parse_week("2026-W48"), ["x"], ["en"])
    for start, end in [(date(2026, 11, 25), date(2026, 11, 26)), (date(2026, 11, 26), date(2026, 12, 2))]:
        ranged = schedule_campaign(campaign, date_range(start, end), ["x"], ["en"])
        in_week = [s for s in week if start <= s.day <= end]
        assert [(s.day, s.message_id) for s in ranged if s.day <= date(2026, 11, 29)] == \
            [(s.day, s.message_id) for s in in_week]


def test_a_message_worded_for_an_observance_is_posted_only_during_it(make_workspace, minimal_campaign_text):
    text = minimal_campaign_text.replace("  - id: detection\n", "  - id: detection\n    only_during: [world-day]\n")
    text = text.replace("    date: 07-30\n", "    date: 07-30\n    features: [detection]\n")
    campaign = load_campaign(make_workspace({"minimal.yaml": text}), "minimal")
    year = [s for s in schedule_campaign(campaign, date_range(date(2026, 1, 1), date(2026, 12, 31)), ["x"], ["en"])]
    assert sorted({s.day for s in year if s.message_id == "detection"}) == [date(2026, 7, 30)]
    assert len([s for s in year if s.observance is None]) > 200  # the rest of the year still posts


def test_only_during_names_a_known_observance(make_workspace, minimal_campaign_text):
    from generator.errors import InvalidInput

    text = minimal_campaign_text.replace("  - id: detection\n", "  - id: detection\n    only_during: [world-days]\n")
    with pytest.raises(InvalidInput) as caught:
        load_campaign(make_workspace({"minimal.yaml": text}), "minimal")
    assert str(caught.value) == ("campaigns/minimal.yaml:42:19: messages[1].only_during[0]: unknown observance "
                                 "'world-days'; known: orange-day, world-day, sixteen-days")


def test_stagger_moves_a_clashing_post_on_and_warns_when_the_day_runs_out():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from generator.schedule import Slot, stagger

    vienna = ZoneInfo("Europe/Vienna")
    at = lambda hour, minute: datetime(2026, 11, 25, hour, minute, tzinfo=vienna)  # noqa: E731
    slots = [Slot(at(10, 0), "b-campaign", "x", "en", "m1"), Slot(at(10, 0), "a-campaign", "x", "en", "m2"),
             Slot(at(10, 0), "a-campaign", "x", "fr", "m2"),  # another account: keeps its time
             Slot(at(23, 45), "a-campaign", "mastodon", "en", "m3"), Slot(at(23, 45), "b-campaign", "mastodon", "en", "m4")]
    placed, problems = stagger(slots)
    assert [(s.campaign_id, s.platform, s.language, s.when.strftime("%H:%M")) for s in placed] == [
        ("a-campaign", "x", "en", "10:00"), ("a-campaign", "x", "fr", "10:00"), ("b-campaign", "x", "en", "10:30"),
        ("a-campaign", "mastodon", "en", "23:45"), ("b-campaign", "mastodon", "en", "23:45")]
    assert [(p.code, p.where, p.is_error) for p in problems] == [("schedule.collision", "b-campaign/m4", False)]
    assert problems[0].message == ("mastodon (en) already posts at 23:45 on 2026-11-25 and the day has no free "
                                   "time left after it; move one of the campaigns' times")


def test_an_audience_has_its_own_time_zone_and_times(make_workspace, minimal_campaign_text):
    text = minimal_campaign_text.rstrip("\n") + (
        "\nschedule:\n  times: {default: '10:00', x: '09:30'}\n"
        "  audiences:\n    fr: {timezone: Africa/Dakar, times: {default: '08:00'}}\n")
    campaign = load_campaign(make_workspace({"minimal.yaml": text}), "minimal")
    slots = schedule_campaign(campaign, date_range(date(2026, 11, 25), date(2026, 11, 25)))
    assert sorted((s.platform, s.language, s.local_time) for s in slots) == [
        ("mastodon", "en", "2026-11-25T10:00:00+01:00"), ("mastodon", "fr", "2026-11-25T08:00:00+00:00"),
        ("x", "en", "2026-11-25T09:30:00+01:00"), ("x", "fr", "2026-11-25T08:00:00+00:00")]


def test_posts_per_week_counts_observance_days_too(make_workspace, minimal_campaign_text):
    """A week of the 16 Days (every day an observance day) posts posts_per_week times, not seven."""
    text = minimal_campaign_text.replace("    from: 11-25\n    to: 12-10\n",
                                         "    from: 11-25\n    to: 12-10\n    features: [detection]\n")
    campaign = load_campaign(make_workspace({"minimal.yaml": text}), "minimal")
    slots = schedule_campaign(campaign, parse_week("2026-W49"), ["x"], ["en"])
    assert len(slots) == 5 and all(s.observance is not None for s in slots)
    # the one featured message, then the others not yet posted that week, then repeats
    assert [s.message_id for s in slots][:2] == ["detection", "solidarity"]
