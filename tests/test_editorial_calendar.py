"""The editorial calendar on the shipped campaigns, 2024 to 2035: the days that matter post their own message on
every account, nothing goes out off season, posts_per_week holds, no account repeats a message in a week while
others are left, and no two posts share a minute on one account.

The rules are cases in tests/data/calendar/days-that-matter.yaml; the invariants are checked on whole years.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml

from generator.campaign import load_campaigns
from generator.dates import date_range, in_season
from generator.schedule import candidates, schedule_campaign, schedule_campaigns, stagger
from generator.workspace import Workspace

REPO = Path(__file__).resolve().parent.parent
RULES = yaml.safe_load((REPO / "tests" / "data" / "calendar" / "days-that-matter.yaml").read_text(encoding="utf-8"))
YEARS = range(RULES["years"][0], RULES["years"][1] + 1)


@pytest.fixture(scope="module")
def campaigns():
    return {campaign.id: campaign for campaign in load_campaigns(Workspace(REPO))}


def day_in(year: int, month_day: str) -> date:
    month, day = map(int, month_day.split("-"))
    return date(year, month, day)


@pytest.mark.parametrize("case", RULES["cases"], ids=lambda c: f"{c['campaign']}-{c['day']}")
def test_a_day_that_matters_posts_its_own_message_on_every_account(campaigns, case):
    campaign = campaigns[case["campaign"]]
    accounts = {(p, lang) for p in campaign.platforms for lang in campaign.languages}
    for year in YEARS:
        day = day_in(year, case["day"])
        slots = schedule_campaign(campaign, date_range(day, day))
        assert {s.account for s in slots} == accounts, (year, case["why"])
        wrong = sorted({s.message_id for s in slots} - set(case["messages"]))
        assert not wrong, f"{day}: {wrong} ({case['why']})"


@pytest.mark.parametrize("case", RULES["silent"], ids=lambda c: f"{c['campaign']}-{c['day']}")
def test_nothing_goes_out_off_season(campaigns, case):
    for year in YEARS:
        day = day_in(year, case["day"])
        assert schedule_campaign(campaigns[case["campaign"]], date_range(day, day)) == [], (day, case["why"])


def test_the_july_focus_posts_its_own_messages_first(campaigns):
    """25 July to 25 August: every Orange Day post is one of the focus period's (or a 25th's) own messages."""
    orange = campaigns["orange-day"]
    own = {m.id for o in orange.observances for m in candidates(orange, o.id)}
    for year in YEARS:
        slots = schedule_campaign(orange, date_range(date(year, 7, 25), date(year, 8, 25)), ["x"], ["en"])
        assert slots and all(s.observance is not None for s in slots), year
        assert {s.message_id for s in slots} <= own, year


@pytest.fixture(scope="module")
def years_of_slots(campaigns):
    """Every post of every shipped campaign on every account in every year from 2024 to 2035."""
    slots = []
    for year in YEARS:
        slots += schedule_campaigns(campaigns.values(), date_range(date(year, 1, 1), date(year, 12, 31)))
    return slots, campaigns


def test_no_post_of_a_campaign_is_off_its_season(years_of_slots):
    slots, campaigns = years_of_slots
    off = [s for s in slots if not in_season(campaigns[s.campaign_id], s.day)]
    assert off == []
    sixteen = {s.day for s in slots if s.campaign_id == "sixteen-days"}
    assert all((d.month, d.day) >= (11, 18) and (d.month, d.day) <= (12, 10) for d in sixteen)


def test_posts_per_week_holds_and_no_account_repeats_a_message_while_others_are_left(years_of_slots):
    slots, campaigns = years_of_slots
    weeks = defaultdict(list)
    for s in slots:
        weeks[(s.campaign_id, s.account, s.day.isocalendar()[:2])].append(s)
    repeats = 0
    for (campaign_id, (platform, _), _week), posted in weeks.items():
        campaign = campaigns[campaign_id]
        assert len(posted) <= campaign.schedule.posts_per_week
        counts = Counter(s.message_id for s in posted)
        if max(counts.values()) > 1:
            repeats += 1
            eligible = {m.id for m in campaign.messages if m.targets(platform) and not m.only_during}
            assert eligible <= set(counts), f"{campaign_id} repeats {counts} while {eligible - set(counts)} wait"
    assert repeats == 0  # the shipped campaigns have more messages than posts in any week


def test_staggering_leaves_no_two_posts_on_one_account_at_the_same_minute(years_of_slots):
    slots, _ = years_of_slots
    clashing = Counter((s.account, s.when) for s in slots)
    assert any(count > 1 for count in clashing.values())  # the shipped times do collide (threads, instagram)
    placed, problems = stagger(slots)
    assert problems == [] and len(placed) == len(slots)
    assert max(Counter((s.account, s.when) for s in placed).values()) == 1
    def identity(s):
        return s.campaign_id, s.account, s.day, s.message_id

    before = {identity(s): s.when for s in slots}
    shifts = Counter(s.when - before[identity(s)] for s in placed)
    # Most posts keep their time; a clashing one moves on by 30 minutes (60 when that minute is taken too).
    assert set(shifts) <= {timedelta(0), timedelta(minutes=30), timedelta(minutes=60)}
    assert shifts[timedelta(0)] > 10 * (shifts[timedelta(minutes=30)] + shifts[timedelta(minutes=60)]) > 0


def test_each_language_posts_at_its_audiences_local_time(campaigns):
    day = date(2026, 11, 25)
    slots = schedule_campaign(campaigns["sixteen-days"], date_range(day, day), ["x"])
    offsets = {s.language: s.when.utcoffset() for s in slots}
    assert offsets == {"en": timedelta(hours=-5), "fr": timedelta(hours=1), "es": timedelta(hours=-5),
                       "ar": timedelta(hours=2), "ru": timedelta(hours=3), "zh": timedelta(hours=8)}
    assert {s.when.strftime("%H:%M") for s in slots} == {"08:30"}  # the campaign's time for x, in each zone
